// Benchmarks tsemu against qemu-user, per guest arch: each CPU-bound guest program in
// bench/ARCH (the same sources built for each arch) and the static hello (start-up cost,
// with `node -e 0` as the floor of any Node-based tool) run under tsemu-ARCH and qemu-ARCH,
// interleaved, best wall time of N runs. Prints seconds and qemu/tsemu (> 1 means tsemu is
// faster) and checks both gave the same stdout and status. threads_cpu runs with 1 and with 2
// threads (the same work split in two), and the speed-up of each emulator is printed after the
// table. Never used by tests.
//
// Then a TCP echo benchmark per arch: the guest server bench/ARCH/tcp_echo runs under each
// emulator, and a client here (Node's net, on 127.0.0.1) makes (a) 1,000 sequential round trips
// of 64 bytes on one connection and (b) 100 connections at once, 100 round trips each, checking
// every echo. Each load is timed after the same load once untimed, for both emulators: the rate
// a server sustains, not its warm-up (tsemu's JIT tiers and V8's; start-up is the hello row). Printed as requests per second, best of N runs, and tsemu/qemu (the bar is 0.5).
// If an emulator cannot run the server or stalls (--timeout, at most 120 s here), its rows say so
// ("tsemu failed: ...") and the rest goes on; every server is ended and its process group killed.
//
//   npm run bench -- [--arch riscv64,arm] [--runs 3] [--backend tiered] [--timeout 300] [--only nbody,sort,tcp_echo]
//
// By default every arch whose tsemu entry point is built runs; one named by --arch must be.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as net from 'node:net';
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
/** Programs of bench/ARCH that are servers, not timed as CPU programs (the TCP part runs them). */
const SERVERS = new Set(['tcp_echo']);

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
    .filter((f) => !f.includes('.') && !SERVERS.has(f) && statSync(join(benchDir, f)).isFile())
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

// ---- TCP echo -------------------------------------------------------------------------------

const TCP_PAYLOAD = 64;
const TCP_SEQUENTIAL = 1000;
const TCP_CONNECTIONS = 100;
const TCP_PER_CONNECTION = 100;
/** For the server's start and for each load; qemu needs well under a second for either. */
const TCP_TIMEOUT_MS = 120_000;
const TCP_TESTS = [
  { key: 'sequential', name: `tcp_echo ${TCP_SEQUENTIAL} sequential` },
  { key: 'concurrent', name: `tcp_echo ${TCP_CONNECTIONS} conns x ${TCP_PER_CONNECTION}` },
] as const;
type TcpKey = (typeof TCP_TESTS)[number]['key'];

interface TcpRow {
  arch: string;
  name: string;
  key: TcpKey;
  /** Requests per second, best run. */
  qemu?: number;
  tsemu?: number;
  note: string;
}

/** Rejects after `ms` unless `p` settled first. */
function deadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s ${what}`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** A client connection to the echo server: send a message, wait for as many bytes back. */
class EchoClient {
  private chunks: Buffer[] = [];
  private have = 0;
  private waiting?: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void };
  private failure?: Error;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (b: Buffer) => {
      this.chunks.push(b);
      this.have += b.length;
      this.settle();
    });
    socket.on('error', (e) => { this.failure = e; this.settle(); });
    socket.on('close', () => { this.failure ??= new Error('the server closed the connection'); this.settle(); });
  }

  static connect(port: number): Promise<EchoClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('error', reject);
      s.once('connect', () => { s.off('error', reject); resolve(new EchoClient(s)); });
    });
  }

  /** Sends `msg` and checks the echo is the same bytes. */
  async roundTrip(msg: Buffer): Promise<void> {
    const back = new Promise<Buffer>((resolve, reject) => { this.waiting = { n: msg.length, resolve, reject }; });
    this.socket.write(msg);
    this.settle();
    if (!(await back).equals(msg)) throw new Error('echo differs from what was sent');
  }

  private settle(): void {
    const w = this.waiting;
    if (!w) return;
    if (this.have >= w.n) {
      this.waiting = undefined;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.chunks = all.length > w.n ? [all.subarray(w.n)] : [];
      this.have = all.length - w.n;
      w.resolve(all.subarray(0, w.n));
    } else if (this.failure) {
      this.waiting = undefined;
      w.reject(this.failure);
    }
  }
}

function message(conn: number, i: number): Buffer {
  const b = Buffer.alloc(TCP_PAYLOAD, 0x61 + ((conn + i) % 26));
  b.writeUInt32LE(i, 0);
  b.writeUInt32LE(conn, 4);
  return b;
}

/** Kills a process group led by `child` (it was spawned detached), ignoring one already gone. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // gone
  }
}

/**
 * Starts the echo server as `argv` (in its own process group), runs both client loads and ends
 * the server by closing its stdin (then SIGTERM, then SIGKILL for the whole group). Resolves with
 * requests per second per load and a note when the server did not end as asked.
 */
async function tcpEchoRun(root: string, argv: string[], timeoutMs: number): Promise<{ rps: Record<TcpKey, number>; note: string }> {
  const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const ended = new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(`spawn error ${e.message}`));
    child.once('close', (code, signal) => resolve(signal ?? String(code)));
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  child.stdin.on('error', () => {});
  const clients: EchoClient[] = [];
  try {
    const port = await deadline(new Promise<number>((resolve, reject) => {
      const look = (): void => {
        const m = /^port (\d+)\n/.exec(stdout);
        if (m) resolve(Number(m[1]));
      };
      child.stdout.on('data', look);
      void ended.then((status) => {
        const said = stderr.trim().split('\n').pop() ?? '';
        reject(new Error(`server ended with status ${status} before printing its port${said ? `: ${said}` : ''}`));
      });
    }), timeoutMs, 'waiting for the server\'s port');

    const run = async (): Promise<Record<TcpKey, number>> => {
      // (a) one connection; the same round trips once untimed first.
      const one = await EchoClient.connect(port);
      clients.push(one);
      for (let i = 1; i <= TCP_SEQUENTIAL; i++) await one.roundTrip(message(0, i));
      let start = process.hrtime.bigint();
      for (let i = 1; i <= TCP_SEQUENTIAL; i++) await one.roundTrip(message(0, i));
      const sequential = TCP_SEQUENTIAL / (Number(process.hrtime.bigint() - start) / 1e9);
      one.socket.end();

      // (b) all connections open, all round trips at once: untimed, then timed.
      const many = await Promise.all(Array.from({ length: TCP_CONNECTIONS }, () => EchoClient.connect(port)));
      clients.push(...many);
      const load = (): Promise<void[]> => Promise.all(many.map(async (c, n) => {
        for (let i = 1; i <= TCP_PER_CONNECTION; i++) await c.roundTrip(message(n, i));
      }));
      await load();
      start = process.hrtime.bigint();
      await load();
      const concurrent = (TCP_CONNECTIONS * TCP_PER_CONNECTION) / (Number(process.hrtime.bigint() - start) / 1e9);
      for (const c of many) c.socket.end();
      return { sequential, concurrent };
    };
    const rps = await deadline(run(), timeoutMs, 'in the round trips');

    // Ask it to end: stdin EOF, then SIGTERM; either gives status 0.
    for (const c of clients) c.socket.destroy();
    child.stdin.end();
    let status = await deadline(ended, 5000, '').catch(() => undefined);
    let note = '';
    if (status === undefined) {
      note = 'server ignored stdin EOF';
      killGroup(child, 'SIGTERM');
      status = await deadline(ended, 5000, '').catch(() => undefined);
    }
    if (status === undefined) note = 'server ignored stdin EOF and SIGTERM';
    else if (status !== '0') note = `server exit status ${status}`;
    return { rps, note };
  } catch (e) {
    const said = stderr.trim().split('\n').pop() ?? '';
    const msg = (e as Error).message;
    throw new Error(said && !msg.includes(said) ? `${msg} (server stderr: ${said})` : msg);
  } finally {
    for (const c of clients) c.socket.destroy();
    killGroup(child, 'SIGKILL');
    await ended;
  }
}

/** The TCP echo rows of one arch, qemu and tsemu interleaved, best of opts.runs each. */
async function benchTcp(root: string, arch: string, opts: Options): Promise<{ rows: TcpRow[]; mismatches: number }> {
  const server = join('bench', arch, 'tcp_echo');
  const rows: TcpRow[] = TCP_TESTS.map((t) => ({ arch, name: t.name, key: t.key, note: '' }));
  if (!existsSync(join(root, server))) {
    for (const r of rows) r.note = `${server} is not built (make -C tests/guest-bins ARCH=${arch} bench)`;
    return { rows, mismatches: 0 };
  }
  const qemu = `qemu-${arch}`;
  const hasQemu = spawnSync(qemu, ['--version'], { stdio: 'ignore' }).status === 0;
  const runners: { name: 'qemu' | 'tsemu'; argv: string[] }[] = [
    ...(hasQemu ? [{ name: 'qemu' as const, argv: [qemu, server] }] : []),
    { name: 'tsemu', argv: [process.execPath, join(root, `dist/src/cli/tsemu-${arch}.js`), ...(opts.backend ? ['-backend', opts.backend] : []), server] },
  ];
  const failed: Partial<Record<'qemu' | 'tsemu', string>> = {};
  const notes = new Set<string>();
  let mismatches = 0;
  for (let i = 0; i < opts.runs; i++) {
    for (const runner of runners) {
      if (failed[runner.name]) continue;
      try {
        const r = await tcpEchoRun(root, runner.argv, Math.min(opts.timeoutMs, TCP_TIMEOUT_MS));
        for (const row of rows) row[runner.name] = Math.max(row[runner.name] ?? 0, r.rps[row.key]);
        if (r.note) notes.add(`${runner.name}: ${r.note}`);
      } catch (e) {
        const msg = (e as Error).message;
        failed[runner.name] = `${runner.name} failed: ${msg}`;
        if (msg.includes('echo differs')) mismatches++;
        for (const row of rows) row[runner.name] = undefined;
      }
    }
  }
  for (const row of rows) {
    const parts = [...Object.values(failed), ...notes];
    row.note = parts.length ? parts.join('; ') : hasQemu ? 'echo checked' : 'echo checked, no qemu';
  }
  process.stderr.write(`${arch} tcp_echo: done\n`);
  return { rows, mismatches };
}

function printTcpTable(rows: TcpRow[], runs: number): void {
  const header = ['arch', 'tcp echo, 64 B', 'qemu req/s', 'tsemu req/s', 'tsemu/qemu', 'check'];
  const rate = (v?: number): string => (v === undefined ? '-' : v.toFixed(0));
  const table = rows.map((r) => [
    r.arch,
    r.name,
    rate(r.qemu),
    rate(r.tsemu),
    r.qemu !== undefined && r.tsemu !== undefined ? (r.tsemu / r.qemu).toFixed(3) : '-',
    r.note,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c <= 1 || c === 5 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  console.log(`\nTCP echo, best of ${runs} runs, requests per second; tsemu/qemu >= 0.5 is the bar`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
}

async function main(): Promise<void> {
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
  const tcpRows: TcpRow[] = [];
  if (!opts.only || opts.only.includes('tcp_echo')) {
    for (const arch of arches) {
      const r = await benchTcp(root, arch, opts);
      tcpRows.push(...r.rows);
      mismatches += r.mismatches;
    }
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
  if (tcpRows.length > 0) printTcpTable(tcpRows, opts.runs);
  if (mismatches > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
