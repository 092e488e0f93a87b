// Benchmarks tsemu against qemu-user: each CPU-bound guest program in bench/riscv64 and the
// static hello (start-up cost, with `node -e 0` as the floor of any Node-based tool) run
// under both, interleaved, best wall time of N runs. Prints seconds and qemu/tsemu (> 1 means
// tsemu is faster) and checks both gave the same stdout and status. Never used by tests.
//
//   npm run bench -- [--runs 3] [--backend tiered] [--timeout 300] [--only nbody,sort]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface Run {
  seconds: number;
  stdout: string;
  status: string;
  timedOut: boolean;
}

interface Row {
  name: string;
  qemu?: number;
  tsemu?: number;
  node?: number;
  note: string;
}

/** The repository root: the nearest folder above this script holding package.json. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the bench script');
    dir = up;
  }
  return dir;
}

function timeOnce(command: string, args: string[], cwd: string, timeoutMs: number): Run {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, timeout: timeoutMs, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (r.error && !timedOut) throw r.error;
  return { seconds, stdout: r.stdout?.toString() ?? '', status: r.signal ?? String(r.status), timedOut };
}

function fmt(seconds: number | undefined): string {
  return seconds === undefined ? '-' : seconds.toFixed(3);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      backend: { type: 'string' },
      timeout: { type: 'string', default: '300' },
      only: { type: 'string' },
    },
  });
  const runs = Math.max(1, Number(values.runs));
  const timeoutMs = Number(values.timeout) * 1000;
  const only = values.only?.split(',');
  const root = findRoot();
  const cli = join(root, 'dist/src/cli/tsemu-riscv64.js');
  const tsemuPrefix = [cli, ...(values.backend ? ['-backend', values.backend] : [])];
  const hasQemu = spawnSync('qemu-riscv64', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  if (!hasQemu) console.log('qemu-riscv64 is not on PATH: timing tsemu alone, no output check\n');

  const benchDir = join(root, 'bench/riscv64');
  const programs = readdirSync(benchDir)
    .filter((f) => !f.includes('.') && statSync(join(benchDir, f)).isFile())
    .filter((f) => !only || only.includes(f))
    .sort()
    .map((f) => ({ name: f, path: join('bench/riscv64', f) }));
  const hello = { name: 'hello (start-up)', path: 'tests/guest-bins/riscv64/hello' };

  const rows: Row[] = [];
  let mismatches = 0;
  for (const prog of [hello, ...programs]) {
    const row: Row = { name: prog.name, note: '' };
    const best = (prev: number | undefined, r: Run) => (prev === undefined ? r.seconds : Math.min(prev, r.seconds));
    let reference: Run | undefined;
    for (let i = 0; i < runs; i++) {
      // Interleaved so a slow moment of a shared machine hits both sides alike.
      if (prog === hello) row.node = best(row.node, timeOnce(process.execPath, ['-e', '0'], root, timeoutMs));
      if (hasQemu) {
        const q = timeOnce('qemu-riscv64', [prog.path], root, timeoutMs);
        reference = q;
        row.qemu = best(row.qemu, q);
      }
      const t = timeOnce(process.execPath, [...tsemuPrefix, prog.path], root, timeoutMs);
      if (t.timedOut) { row.note = `tsemu timed out after ${values.timeout} s`; row.tsemu = undefined; break; }
      row.tsemu = best(row.tsemu, t);
      if (reference && (t.stdout !== reference.stdout || t.status !== reference.status)) {
        row.note = `output differs (status ${t.status} vs qemu ${reference.status})`;
        mismatches++;
        break;
      }
    }
    if (!row.note && reference) row.note = 'same output';
    rows.push(row);
    process.stderr.write(`${prog.name}: done\n`);
  }

  const header = ['program', 'qemu s', 'tsemu s', 'qemu/tsemu', 'node -e 0 s', 'check'];
  const table = rows.map((r) => [
    r.name,
    fmt(r.qemu),
    fmt(r.tsemu),
    r.qemu !== undefined && r.tsemu !== undefined ? (r.qemu / r.tsemu).toFixed(3) : '-',
    fmt(r.node),
    r.note,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  console.log(`best of ${runs} wall-clock runs${values.backend ? `, -backend ${values.backend}` : ''}; qemu/tsemu > 1 means tsemu is faster`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
  if (mismatches > 0) process.exitCode = 1;
}

main();
