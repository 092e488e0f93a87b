// Running one batch program under qemu-user and under tsemu (each backend) and comparing their
// state records.
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FuzzArch } from './arch.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BACKENDS = ['interp', 'wasm', 'tiered'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** Passes of a batch under the tiered backend: a block is queued for compilation after 100
 *  interpreted runs (src/tcg/cpu-exec.ts HOT_THRESHOLD), so the last pass runs compiled code,
 *  regions of chained blocks included. The other backends run one pass. */
export const TIERED_PASSES = 105;

export const cliOf = (arch: FuzzArch): string => join(ROOT, `dist/src/cli/tsemu-${arch.name}.js`);

export interface RunResult { out: Buffer; status: number; stderr: string }

export function run(cmd: string, args: string[], timeoutMs = 300_000): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ out: Buffer.concat(out), status: code ?? 128 + (signal === 'SIGKILL' ? 9 : 1), stderr: Buffer.concat(err).toString() });
    });
  });
}

/** Writes a batch program to `dir` and returns its path. */
export function writeProgram(dir: string, name: string, elf: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, elf);
  chmodSync(path, 0o755);
  return path;
}

export const runQemu = (arch: FuzzArch, path: string): Promise<RunResult> => run(arch.qemu, [...arch.qemuArgs, path]);
export const runTsemu = (arch: FuzzArch, backend: BackendName, path: string): Promise<RunResult> =>
  run(process.execPath, [cliOf(arch), '-backend', backend, path]);

export interface SliceDiff { name: string; want: string; got: string }

/** How a sequence's run under tsemu differed from qemu's: its record (from the first or the last
 *  pass) differs in `diffs`, or the run ended before writing it (`crash`). */
export interface Outcome { index: number; pass: 'first' | 'last'; diffs: SliceDiff[]; crash?: string }

const hex = (b: Buffer): string => `0x${Buffer.from(b).reverse().toString('hex')}`;

export function diffRecord(arch: FuzzArch, want: Buffer, got: Buffer): SliceDiff[] {
  return arch.slices
    .filter((s) => !want.subarray(s.at, s.at + s.size).equals(got.subarray(s.at, s.at + s.size)))
    .map((s) => ({ name: s.name, want: hex(want.subarray(s.at, s.at + s.size)), got: hex(got.subarray(s.at, s.at + s.size)) }));
}

/** The sequences whose records in `got` differ from qemu's `want` (one record per sequence),
 *  in order; `passes` > 1 means `got` holds the records of the first pass and then the last's.
 *  A run that ended early reports the first missing record as a crash and nothing after it. */
export function compareRuns(arch: FuzzArch, count: number, want: Buffer, got: RunResult, passes: number): Outcome[] {
  const size = arch.recordSize;
  const out: Outcome[] = [];
  const rounds = passes > 1 ? 2 : 1;
  for (let k = 0; k < count * rounds; k++) {
    const index = k % count, pass = k < count ? 'first' : 'last';
    const g = got.out.subarray(k * size, (k + 1) * size);
    if (g.length < size) {
      out.push({ index, pass, diffs: [], crash: `exit status ${got.status}${got.stderr ? `: ${got.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}` });
      break;
    }
    const diffs = diffRecord(arch, want.subarray(index * size, (index + 1) * size), g);
    if (diffs.length) out.push({ index, pass, diffs });
  }
  return out;
}
