// The committed guest corpus as the tests see it: which programs exist for an arch, the
// arguments and stdin recorded next to them, and how to run one the way the Makefile did
// when it recorded the expected output (same cwd, same relative path, so argv matches).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A guest arch of the corpus: its folder under tests/guest-bins, its tsemu entry and its oracle. */
export interface GuestArch {
  name: 'riscv64' | 'arm';
  /** The compiled entry point the tests run. */
  cli: string;
  qemu: string;
}

function guestArch(name: GuestArch['name']): GuestArch {
  return {
    name,
    cli: join(ROOT, `dist/src/cli/tsemu-${name}.js`),
    qemu: `qemu-${name}`,
  };
}

export const RISCV64 = guestArch('riscv64');
export const ARM = guestArch('arm');
export const TSEMU_CLI = RISCV64.cli;
/** Generous: the cold interpreter tier runs a few million guest instructions a second. */
export const RUN_TIMEOUT_MS = 120_000;

export interface Outcome {
  stdout: string;
  stderr: string;
  /** As a shell reports it: the exit code, or 128+N after death by signal N. */
  status: number;
}

/** Programs of an arch that have recorded expectations, sorted by name. */
export function programs(arch = 'riscv64'): string[] {
  const dir = join(ROOT, 'tests/guest-bins', arch);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.status'))
    .map((f) => f.slice(0, -'.status'.length))
    .sort();
}

/** The path a program is run by, relative to ROOT. */
export function programPath(name: string, arch = 'riscv64'): string {
  return `tests/guest-bins/${arch}/${name}`;
}

function optional(path: string): Buffer | undefined {
  return existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path)) : undefined;
}

/** NAME.args holds one argument per line (empty lines are empty arguments). */
export function programArgs(name: string, arch = 'riscv64'): string[] {
  const text = optional(`${programPath(name, arch)}.args`)?.toString('utf8');
  if (text === undefined) return [];
  return text.replace(/\n$/, '').split('\n');
}

export function expected(name: string, arch = 'riscv64'): Omit<Outcome, 'stderr'> {
  const base = join(ROOT, programPath(name, arch));
  return {
    stdout: readFileSync(`${base}.stdout`, 'utf8'),
    status: Number(readFileSync(`${base}.status`, 'utf8').trim()),
  };
}

function shellStatus(r: { status: number | null; signal: NodeJS.Signals | null }): number {
  if (r.status !== null) return r.status;
  const signo = r.signal ? constants.signals[r.signal] : undefined;
  if (signo === undefined) throw new Error(`process ended without status or known signal (${r.signal})`);
  return 128 + signo;
}

/** What a finished child left: its output and how it ended. */
export interface Finished { stdout: Buffer; stderr: Buffer; status: number | null; signal: NodeJS.Signals | null }

/**
 * spawnSync's job without blocking: a test file runs many programs, and a worker blocked in
 * spawnSync for minutes cannot answer vitest's RPC ("Timeout calling onTaskUpdate").
 */
export function spawnAsync(
  command: string, args: string[], opts: { cwd: string; input?: Buffer | string; env?: NodeJS.ProcessEnv },
): Promise<Finished> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, timeout: RUN_TIMEOUT_MS });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.on('error', () => {}); // a program that exits without reading its input
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) =>
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), status, signal }));
  });
}

/**
 * Runs `command ...prefix <program> <args>` from ROOT with the program's stdin (or an empty
 * one). Core dumps are disabled first so a signal death prints and leaves the same thing
 * whatever the caller's ulimit is.
 */
export async function runProgram(command: string, prefix: string[], name: string, arch = 'riscv64'): Promise<Outcome> {
  const argv = [command, ...prefix, programPath(name, arch), ...programArgs(name, arch)];
  const r = await spawnAsync('sh', ['-c', 'ulimit -c 0; exec "$@"', 'sh', ...argv], {
    cwd: ROOT,
    input: optional(`${programPath(name, arch)}.stdin`),
  });
  return { stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), status: shellStatus(r) };
}

/** qemu-user hands a guest's execve to the host kernel, which runs another guest binary only
 *  through binfmt_misc (scripts/qemu-binfmt.sh registers it): without that, qemu is no oracle
 *  for programs that exec guest binaries. */
export function qemuRunsGuestExec(arch: GuestArch): boolean {
  try {
    return readFileSync(`/proc/sys/fs/binfmt_misc/qemu-${arch.name}`, 'utf8').startsWith('enabled');
  } catch {
    return false;
  }
}

/** Corpus programs that exec guest binaries (themselves, through /proc/self/exe or a #! line). */
export const EXECS_GUESTS = new Set(['proc_fork', 'go_net']);

export function onPath(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}
