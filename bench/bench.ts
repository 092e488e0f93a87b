// Benchmarks tsemu against qemu-user, per guest arch: each CPU-bound guest program in
// bench/ARCH (the same sources built for each arch) and the static hello (start-up cost,
// with `node -e 0` as the floor of any Node-based tool) run under tsemu-ARCH and qemu-ARCH,
// interleaved, best wall time of N runs. Prints seconds and qemu/tsemu (> 1 means tsemu is
// faster) and checks both gave the same stdout and status. threads_cpu runs with 1 and with 2
// threads (the same work split in two), and the speed-up of each emulator is printed after the
// table. Never used by tests.
//
//   npm run bench -- [--arch riscv64,arm] [--runs 3] [--backend tiered] [--timeout 300] [--only nbody,sort]
//
// By default every arch whose tsemu entry point is built runs; one named by --arch must be.
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
  arch: string;
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

const ARCHES = ['riscv64', 'arm'];
/** Programs run once per argument list, each a row named with its arguments. */
const PROGRAM_ARGS: Record<string, string[][]> = { threads_cpu: [['1'], ['2']] };

interface Options {
  runs: number;
  timeoutMs: number;
  backend?: string;
  only?: string[];
}

/** Times one arch's programs; returns its rows and how many outputs differed from qemu's. */
function benchArch(root: string, arch: string, opts: Options): { rows: Row[]; mismatches: number } {
  const cli = join(root, `dist/src/cli/tsemu-${arch}.js`);
  const qemu = `qemu-${arch}`;
  const tsemuPrefix = [cli, ...(opts.backend ? ['-backend', opts.backend] : [])];
  const hasQemu = spawnSync(qemu, ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasQemu) console.log(`${qemu} is not on PATH: timing tsemu-${arch} alone, no output check\n`);

  const benchDir = join(root, 'bench', arch);
  const programs = readdirSync(benchDir)
    .filter((f) => !f.includes('.') && statSync(join(benchDir, f)).isFile())
    .filter((f) => !opts.only || opts.only.includes(f))
    .sort()
    .flatMap((f) => (PROGRAM_ARGS[f] ?? [[]]).map((args) => ({ name: [f, ...args].join(' '), path: join('bench', arch, f), args })));
  const hello = { name: 'hello (start-up)', path: `tests/guest-bins/${arch}/hello`, args: [] as string[] };

  const rows: Row[] = [];
  let mismatches = 0;
  for (const prog of [hello, ...programs]) {
    const row: Row = { arch, name: prog.name, note: '' };
    const best = (prev: number | undefined, r: Run) => (prev === undefined ? r.seconds : Math.min(prev, r.seconds));
    let reference: Run | undefined;
    for (let i = 0; i < opts.runs; i++) {
      // Interleaved so a slow moment of a shared machine hits both sides alike.
      if (prog === hello) row.node = best(row.node, timeOnce(process.execPath, ['-e', '0'], root, opts.timeoutMs));
      if (hasQemu) {
        const q = timeOnce(qemu, [prog.path, ...prog.args], root, opts.timeoutMs);
        reference = q;
        row.qemu = best(row.qemu, q);
      }
      const t = timeOnce(process.execPath, [...tsemuPrefix, prog.path, ...prog.args], root, opts.timeoutMs);
      if (t.timedOut) { row.note = `tsemu timed out after ${opts.timeoutMs / 1000} s`; row.tsemu = undefined; break; }
      row.tsemu = best(row.tsemu, t);
      if (reference && (t.stdout !== reference.stdout || t.status !== reference.status)) {
        row.note = `output differs (status ${t.status} vs qemu ${reference.status})`;
        mismatches++;
        break;
      }
    }
    if (!row.note && reference) row.note = 'same output';
    rows.push(row);
    process.stderr.write(`${arch} ${prog.name}: done\n`);
  }
  return { rows, mismatches };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      arch: { type: 'string' },
      runs: { type: 'string', default: '3' },
      backend: { type: 'string' },
      timeout: { type: 'string', default: '300' },
      only: { type: 'string' },
    },
  });
  const opts: Options = {
    runs: Math.max(1, Number(values.runs)),
    timeoutMs: Number(values.timeout) * 1000,
    backend: values.backend,
    only: values.only?.split(','),
  };
  const root = findRoot();
  const built = (arch: string) => existsSync(join(root, `dist/src/cli/tsemu-${arch}.js`));
  const named = values.arch?.split(',');
  for (const arch of named ?? []) {
    if (!ARCHES.includes(arch)) throw new Error(`unknown --arch ${arch} (one of ${ARCHES.join(', ')})`);
    if (!built(arch)) throw new Error(`dist/src/cli/tsemu-${arch}.js is missing: run \`npm run build\` first`);
  }
  const arches = named ?? ARCHES.filter(built);
  if (arches.length === 0) throw new Error('no dist/src/cli/tsemu-*.js: run `npm run build` first');
  for (const arch of ARCHES) if (!arches.includes(arch)) console.log(`tsemu-${arch} is not built: skipping ${arch}\n`);

  const rows: Row[] = [];
  let mismatches = 0;
  for (const arch of arches) {
    const r = benchArch(root, arch, opts);
    rows.push(...r.rows);
    mismatches += r.mismatches;
  }

  const header = ['arch', 'program', 'qemu s', 'tsemu s', 'qemu/tsemu', 'node -e 0 s', 'check'];
  const table = rows.map((r) => [
    r.arch,
    r.name,
    fmt(r.qemu),
    fmt(r.tsemu),
    r.qemu !== undefined && r.tsemu !== undefined ? (r.qemu / r.tsemu).toFixed(3) : '-',
    fmt(r.node),
    r.note,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c <= 1 || c === 6 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  console.log(`best of ${opts.runs} wall-clock runs${values.backend ? `, -backend ${values.backend}` : ''}; qemu/tsemu > 1 means tsemu is faster`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
  for (const arch of arches) {
    const [one, two] = ['threads_cpu 1', 'threads_cpu 2'].map((n) => rows.find((r) => r.arch === arch && r.name === n));
    if (!one || !two) continue;
    const speedup = (a?: number, b?: number): string => (a && b ? `${(a / b).toFixed(2)}x` : '-');
    console.log(`${arch} threads_cpu, 2 threads against 1: tsemu ${speedup(one.tsemu, two.tsemu)}, qemu ${speedup(one.qemu, two.qemu)}`);
  }
  if (mismatches > 0) process.exitCode = 1;
}

main();
