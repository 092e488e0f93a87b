// Benchmarks tsemu against qemu-user, per guest arch: each guest program in bench/ARCH (the
// same sources built for each arch: bench/src/*.c, and CoreMark, built from EEMBC's source by
// `make coremark`) and the static hello (start-up cost, with `node -e 0` as the floor of any
// Node-based tool) run under tsemu-ARCH and qemu-ARCH, interleaved, best wall time of N runs.
// Prints seconds, qemu/tsemu (> 1 means tsemu is faster) and each emulator's peak RSS (largest
// of the runs), and checks both gave the same stdout and status (CoreMark's timing lines
// masked, see output-checks.ts; CoreMark and dhrystone also check their own results). Per arch
// it prints the geometric mean of qemu/tsemu over the CPU-bound rows: every program but hello
// (start-up), fork_loop (processes) and threads_cpu (threads), and only rows timed on both
// sides with the same output; the rows it took are named. threads_cpu runs with 1 and with 2
// threads (the same work split in two), and the speed-up of each emulator is printed after the
// table. Never used by tests, nor by CI.
//
// The peak RSS comes from GNU time (/usr/bin/time, Debian package `time`: apt-get install
// time); without it the RSS columns say n/a. A CoreMark missing from bench/ARCH (its source is
// fetched from GitHub, see tests/guest-bins/Makefile) gives a row saying how to build it.
//
// Then a TCP echo benchmark per arch (tcp-echo.ts): the guest server bench/ARCH/tcp_echo under
// each emulator and a client here, as requests per second, best of N runs, and tsemu/qemu (the
// bar is 0.5). It runs unless --only leaves out tcp_echo.
//
//   npm run bench -- [--arch riscv64,arm] [--runs 3] [--backend tiered] [--timeout 300]
//                    [--only coremark,dhrystone,nbody,tcp_echo]
//
// By default every arch whose tsemu entry point is built runs; one named by --arch must be.
// --only names programs (files of bench/ARCH); hello always runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { comparedOutput, selfCheck } from './output-checks.js';
import { benchTcp, printTcpTable, TcpRow } from './tcp-echo.js';
import { Run, Timer } from './timed-run.js';

interface Row {
  arch: string;
  /** The program's file name in bench/ARCH ('hello' for the start-up row). */
  program: string;
  /** The program with its arguments, as printed. */
  name: string;
  qemu?: number;
  tsemu?: number;
  node?: number;
  /** Peak RSS in KiB, the largest of the runs. */
  qemuRss?: number;
  tsemuRss?: number;
  /** Timed on both sides with the same output (and its own check passed, if it has one). */
  good: boolean;
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

function fmt(seconds: number | undefined): string {
  return seconds === undefined ? '-' : seconds.toFixed(3);
}

function fmtRss(kib: number | undefined, measured: boolean): string {
  if (!measured) return 'n/a';
  return kib === undefined ? '-' : (kib / 1024).toFixed(1);
}

const ARCHES = ['riscv64', 'arm'];
/** Programs run once per argument list, each a row named with its arguments. */
const PROGRAM_ARGS: Record<string, string[][]> = { threads_cpu: [['1'], ['2']] };
/** Programs of bench/ARCH that are servers, not timed as CPU programs (the TCP part runs them). */
const SERVERS = new Set(['tcp_echo']);
/** Programs that measure something besides single-threaded CPU work: out of the geometric mean. */
const NOT_CPU_BOUND: Record<string, string> = { hello: 'start-up', fork_loop: 'processes', threads_cpu: 'threads' };
/** Programs not built by `make bench` (their source is fetched): how to build them. */
const FETCHED: Record<string, (arch: string) => string> = {
  coremark: (arch) => `make coremark ARCH=${arch}`,
};

interface Options {
  runs: number;
  timeoutMs: number;
  backend?: string;
  only?: string[];
}

/** Times one arch's programs; returns its rows and how many outputs differed from qemu's. */
function benchArch(root: string, arch: string, opts: Options, timer: Timer): { rows: Row[]; mismatches: number } {
  const cli = join(root, `dist/src/cli/tsemu-${arch}.js`);
  const qemu = `qemu-${arch}`;
  const tsemuPrefix = [cli, ...(opts.backend ? ['-backend', opts.backend] : [])];
  const hasQemu = spawnSync(qemu, ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasQemu) console.log(`${qemu} is not on PATH: timing tsemu-${arch} alone, no output check\n`);

  const benchDir = join(root, 'bench', arch);
  const wanted = (f: string) => !opts.only || opts.only.includes(f);
  const files = readdirSync(benchDir).filter((f) => !f.includes('.') && !SERVERS.has(f) && statSync(join(benchDir, f)).isFile());
  const unbuilt = Object.keys(FETCHED).filter((f) => !files.includes(f));
  const programs = [...files, ...unbuilt]
    .filter(wanted)
    .sort()
    .flatMap((f) => (PROGRAM_ARGS[f] ?? [[]]).map((args) => ({ program: f, name: [f, ...args].join(' '), path: join('bench', arch, f), args })));
  const hello = { program: 'hello', name: 'hello (start-up)', path: `tests/guest-bins/${arch}/hello`, args: [] as string[] };

  const rows: Row[] = [];
  let mismatches = 0;
  for (const prog of [hello, ...programs]) {
    if (unbuilt.includes(prog.program)) {
      rows.push({ arch, program: prog.program, name: prog.name, good: false, note: `${prog.program} not built: run ${FETCHED[prog.program](arch)}` });
      continue;
    }
    const row: Row = { arch, program: prog.program, name: prog.name, good: false, note: '' };
    const best = (prev: number | undefined, r: Run) => (prev === undefined ? r.seconds : Math.min(prev, r.seconds));
    const peak = (prev: number | undefined, r: Run) => (r.rssKiB === undefined ? prev : Math.max(prev ?? 0, r.rssKiB));
    let reference: Run | undefined;
    let own = { ok: true, says: '' };
    for (let i = 0; i < opts.runs; i++) {
      // Interleaved so a slow moment of a shared machine hits both sides alike.
      if (prog === hello) row.node = best(row.node, timer.run(process.execPath, ['-e', '0'], root, opts.timeoutMs));
      if (hasQemu) {
        const q = timer.run(qemu, [prog.path, ...prog.args], root, opts.timeoutMs);
        if (q.timedOut) { row.note = `qemu timed out after ${opts.timeoutMs / 1000} s`; row.qemu = row.qemuRss = undefined; break; }
        reference = q;
        row.qemu = best(row.qemu, q);
        row.qemuRss = peak(row.qemuRss, q);
      }
      const t = timer.run(process.execPath, [...tsemuPrefix, prog.path, ...prog.args], root, opts.timeoutMs);
      if (t.timedOut) { row.note = `tsemu timed out after ${opts.timeoutMs / 1000} s`; row.tsemu = undefined; break; }
      row.tsemu = best(row.tsemu, t);
      row.tsemuRss = peak(row.tsemuRss, t);
      const compared = comparedOutput(prog.program, t.stdout);
      own = selfCheck(prog.program, compared);
      if (reference && (compared !== comparedOutput(prog.program, reference.stdout) || t.status !== reference.status)) {
        row.note = `output differs (status ${t.status} vs qemu ${reference.status})`;
        mismatches++;
        break;
      }
      if (!own.ok) { row.note = own.says; mismatches++; break; }
    }
    if (!row.note) {
      row.good = row.tsemu !== undefined && (!hasQemu || row.qemu !== undefined);
      row.note = [reference ? 'same output' : 'no qemu to compare', own.says].filter(Boolean).join('; ');
    }
    rows.push(row);
    process.stderr.write(`${arch} ${prog.name}: done\n`);
  }
  return { rows, mismatches };
}

function printTable(rows: Row[], rssMeasured: boolean): void {
  const header = ['arch', 'program', 'qemu s', 'tsemu s', 'qemu/tsemu', 'qemu MiB', 'tsemu MiB', 'node -e 0 s', 'check'];
  const table = rows.map((r) => [
    r.arch,
    r.name,
    fmt(r.qemu),
    fmt(r.tsemu),
    r.qemu !== undefined && r.tsemu !== undefined ? (r.qemu / r.tsemu).toFixed(3) : '-',
    fmtRss(r.qemuRss, rssMeasured),
    fmtRss(r.tsemuRss, rssMeasured),
    fmt(r.node),
    r.note,
  ]);
  const last = header.length - 1;
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c <= 1 || c === last ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
}

/** Per arch: the geometric mean of qemu/tsemu over the CPU-bound rows, naming them. */
function printGeomeans(rows: Row[], arches: string[]): void {
  const left = Object.entries(NOT_CPU_BOUND).map(([p, why]) => `${p} (${why})`).join(', ');
  for (const arch of arches) {
    const cpu = rows.filter((r) => r.arch === arch && !(r.program in NOT_CPU_BOUND));
    const taken = cpu.filter((r) => r.good && r.qemu !== undefined && r.tsemu !== undefined);
    const missing = cpu.filter((r) => !taken.includes(r)).map((r) => r.name);
    if (taken.length === 0) {
      console.log(`${arch}: no CPU-bound row timed on both sides, no geometric mean`);
      continue;
    }
    const mean = Math.exp(taken.reduce((sum, r) => sum + Math.log(r.qemu! / r.tsemu!), 0) / taken.length);
    console.log(
      `${arch} geometric mean of qemu/tsemu over ${taken.length} CPU-bound rows (${taken.map((r) => r.name).join(', ')}): ${mean.toFixed(3)}` +
        (missing.length ? `; left out, not timed on both sides or output differs: ${missing.join(', ')}` : ''),
    );
  }
  console.log(`(not CPU-bound, never in the mean: ${left})`);
}

const USAGE = 'usage: npm run bench -- [--arch riscv64,arm] [--runs 3] [--backend tiered] [--timeout 300] [--only coremark,dhrystone,nbody,tcp_echo]';

/** A mistake in how the bench was called: printed as one line with the usage, not a stack. */
class UsageError extends Error {}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        arch: { type: 'string' },
        runs: { type: 'string', default: '3' },
        backend: { type: 'string' },
        timeout: { type: 'string', default: '300' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
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
    if (!ARCHES.includes(arch)) throw new UsageError(`unknown --arch ${arch} (one of ${ARCHES.join(', ')})`);
    if (!built(arch)) throw new Error(`dist/src/cli/tsemu-${arch}.js is missing: run \`npm run build\` first`);
  }
  const arches = named ?? ARCHES.filter(built);
  if (arches.length === 0) throw new Error('no dist/src/cli/tsemu-*.js: run `npm run build` first');
  for (const arch of ARCHES) if (!arches.includes(arch)) console.log(`tsemu-${arch} is not built: skipping ${arch}\n`);

  const timer = new Timer();
  const rows: Row[] = [];
  let mismatches = 0;
  try {
    for (const arch of arches) {
      const r = benchArch(root, arch, opts, timer);
      rows.push(...r.rows);
      mismatches += r.mismatches;
    }
  } finally {
    timer.close();
  }
  const tcpRows: TcpRow[] = [];
  if (!opts.only || opts.only.includes('tcp_echo')) {
    for (const arch of arches) {
      const r = await benchTcp(root, arch, opts);
      tcpRows.push(...r.rows);
      mismatches += r.mismatches;
    }
  }

  console.log(`best of ${opts.runs} wall-clock runs${values.backend ? `, -backend ${values.backend}` : ''}; qemu/tsemu > 1 means tsemu is faster; ` +
    (timer.measuresRss ? 'MiB: peak RSS, largest of the runs (GNU time)' : 'rss: n/a (no /usr/bin/time: apt-get install time)'));
  printTable(rows, timer.measuresRss);
  printGeomeans(rows, arches);
  for (const arch of arches) {
    const [one, two] = ['threads_cpu 1', 'threads_cpu 2'].map((n) => rows.find((r) => r.arch === arch && r.name === n));
    if (!one || !two) continue;
    const speedup = (a?: number, b?: number): string => (a && b ? `${(a / b).toFixed(2)}x` : '-');
    console.log(`${arch} threads_cpu, 2 threads against 1: tsemu ${speedup(one.tsemu, two.tsemu)}, qemu ${speedup(one.qemu, two.qemu)}`);
  }
  if (tcpRows.length > 0) printTcpTable(tcpRows, opts.runs);
  if (mismatches > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof UsageError ? `bench: ${e.message}\n${USAGE}` : e);
  process.exitCode = 1;
});
