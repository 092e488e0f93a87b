// The TCP echo part of `npm run bench`: the guest server bench/ARCH/tcp_echo runs under each
// emulator, and a client here (Node's net, on 127.0.0.1) makes (a) 1,000 sequential round trips
// of 64 bytes on one connection and (b) 100 connections at once, 100 round trips each, checking
// every echo. Each load is timed after a warm-up of the same kind, untimed, for both emulators:
// the rate a server sustains, not its warm-up (start-up is bench.ts's hello row). The sequential
// warm-up is 5,000 round trips: the rate of every server, the same C program built for the host
// included, climbs over the first 3,000 or so (this client's own JIT and the loopback's), and
// after only 1,000 a native server measured half its sustained rate. If an emulator cannot run the server or stalls (--timeout, at most 120 s here), its rows
// say so ("tsemu failed: ...") and the rest goes on; every server is ended and its process group
// killed.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';

/** What the TCP part needs of the bench's options. */
export interface TcpOptions {
  runs: number;
  timeoutMs: number;
  backend?: string;
}

const TCP_PAYLOAD = 64;
const TCP_SEQUENTIAL = 1000;
const TCP_SEQUENTIAL_WARMUP = 5000;
const TCP_CONNECTIONS = 100;
const TCP_PER_CONNECTION = 100;
/** For the server's start and for each load; qemu needs well under a second for either. */
const TCP_TIMEOUT_MS = 120_000;
const TCP_TESTS = [
  { key: 'sequential', name: `tcp_echo ${TCP_SEQUENTIAL} sequential` },
  { key: 'concurrent', name: `tcp_echo ${TCP_CONNECTIONS} conns x ${TCP_PER_CONNECTION}` },
] as const;
type TcpKey = (typeof TCP_TESTS)[number]['key'];

export interface TcpRow {
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
      // (a) one connection; round trips untimed first.
      const one = await EchoClient.connect(port);
      clients.push(one);
      for (let i = 1; i <= TCP_SEQUENTIAL_WARMUP; i++) await one.roundTrip(message(0, i));
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
export async function benchTcp(root: string, arch: string, opts: TcpOptions): Promise<{ rows: TcpRow[]; mismatches: number }> {
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

export function printTcpTable(rows: TcpRow[], runs: number): void {
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
