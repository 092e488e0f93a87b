// TCP between a guest and the host, both ways: the guest echo server of the benchmark
// (bench/ARCH/tcp_echo) answering clients of this test, and the guest client
// tests/guest-bins/ARCH/net_client talking to a server of this test (its protocol is described
// in net_client.c). Every child runs in its own process group and is killed with it after each
// test, whatever happened.
//
// The runner is chosen by TSEMU_NET_TEST_RUNNER: `tsemu` (the default: node
// dist/src/cli/tsemu-ARCH.js), `qemu` (qemu-ARCH, skipped when not on PATH) or `both`.
//   TSEMU_NET_TEST_RUNNER=qemu npx vitest run tests/net-host.test.ts
import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import { constants } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ARM, GuestArch, RISCV64, ROOT, onPath, programPath } from './guest-bins/corpus.js';

const STEP_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 120_000;

type Runner = { name: string; argv: string[]; available: boolean };

function runners(arch: GuestArch): Runner[] {
  const which = (process.env.TSEMU_NET_TEST_RUNNER ?? 'tsemu').trim() || 'tsemu';
  if (!['tsemu', 'qemu', 'both'].includes(which)) {
    throw new Error(`TSEMU_NET_TEST_RUNNER=${which}: expected tsemu, qemu or both`);
  }
  const list: Runner[] = [];
  if (which !== 'qemu') list.push({ name: 'tsemu', argv: [process.execPath, arch.cli], available: true });
  if (which !== 'tsemu') list.push({ name: arch.qemu, argv: [arch.qemu], available: onPath(arch.qemu) });
  return list;
}

// Everything a test opens, closed or killed after it.
const children = new Set<ChildProcess>();
const sockets = new Set<net.Socket>();
const servers = new Set<net.Server>();

/** Kills the child's process group (it leads one), even when the leader already ended. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

process.on('exit', () => { for (const c of children) killGroup(c); });

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  for (const c of children) killGroup(c);
  await Promise.all([...children].map((c) => exited(c)));
  children.clear();
  await Promise.all([...servers].map((s) => new Promise((r) => s.close(r))));
  servers.clear();
});

function withTimeout<T>(p: Promise<T>, what: string, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Resolves with each child's shell status (its exit code, or 128+N after signal N) once it
 *  ended and its output was all read. */
const closed = new WeakMap<ChildProcess, Promise<number>>();

function exited(child: ChildProcess): Promise<number> {
  return closed.get(child)!;
}

interface Guest { child: ChildProcess; stdout: () => string; stderr: () => string }

/** Starts `argv` from ROOT in its own process group, with piped stdio, tracked for cleanup. */
function startGuest(argv: string[]): Guest {
  const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  children.add(child);
  closed.set(child, new Promise((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('close', (code, signal) => resolve(code ?? 128 + constants.signals[signal!]));
  }));
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
  child.stdin!.on('error', () => {});
  return { child, stdout: () => out, stderr: () => err };
}

/** Starts the echo server under `runner` and resolves with it once it printed its port. */
async function startEchoServer(runner: Runner, arch: GuestArch): Promise<Guest & { port: number }> {
  const g = startGuest([...runner.argv, `bench/${arch.name}/tcp_echo`]);
  const port = await withTimeout(new Promise<number>((resolve, reject) => {
    const look = (): void => {
      const m = /^port (\d+)\n/.exec(g.stdout());
      if (m) resolve(Number(m[1]));
    };
    g.child.stdout!.on('data', look);
    g.child.on('error', reject);
    g.child.on('exit', (code, signal) =>
      reject(new Error(`tcp_echo ended (${code ?? signal}) before printing its port; stderr: ${g.stderr()}`)));
  }), 'tcp_echo printing its port');
  return { ...g, port };
}

/** A connected client socket with exact-length reads. */
class Peer {
  private chunks: Buffer[] = [];
  private length = 0;
  private wanted?: { n: number; resolve: (b: Buffer) => void };
  private ended = false;
  private failure?: Error;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (b: Buffer) => { this.chunks.push(b); this.length += b.length; this.serve(); });
    socket.on('end', () => { this.ended = true; this.serve(); });
    socket.on('error', (e) => { this.failure = e; this.serve(); });
  }

  static connect(port: number): Promise<Peer> {
    return withTimeout(new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      sockets.add(s);
      s.once('error', reject);
      s.once('connect', () => { s.off('error', reject); resolve(new Peer(s)); });
    }), `connecting to port ${port}`);
  }

  /** The next n bytes. */
  read(n: number): Promise<Buffer> {
    return withTimeout(new Promise<Buffer>((resolve) => { this.wanted = { n, resolve }; this.serve(); }), `reading ${n} bytes`)
      .then((b) => {
        if (b.length < n) throw this.failure ?? new Error(`connection ended after ${b.length} of ${n} bytes`);
        return b;
      });
  }

  /** Sends `data` and resolves with as many bytes read back. */
  async roundTrip(data: Buffer): Promise<Buffer> {
    this.socket.write(data);
    return this.read(data.length);
  }

  private serve(): void {
    if (!this.wanted) return;
    const { n, resolve } = this.wanted;
    if (this.length < n && !this.ended && !this.failure) return;
    this.wanted = undefined;
    const all = Buffer.concat(this.chunks);
    const take = Math.min(n, all.length);
    this.chunks = take < all.length ? [all.subarray(take)] : [];
    this.length = all.length - take;
    resolve(all.subarray(0, take));
  }
}

/** A deterministic byte pattern, different per seed. */
function pattern(length: number, seed: number): Buffer {
  const b = Buffer.alloc(length);
  let x = (seed * 0x9e3779b9 + 1) >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** FNV-1a, 32 bits, as net_client.c computes it. */
function fnv1a(data: Buffer, h = 0x811c9dc5): number {
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193) >>> 0;
  return h >>> 0;
}

/** The server side of net_client's protocol: "ping N" -> "pong N", "data L" + L bytes -> hash. */
function startProtocolServer(): Promise<{ server: net.Server; port: number; errors: string[] }> {
  const errors: string[] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let pending: Buffer = Buffer.alloc(0);
    let dataLeft = 0;
    let hash = 0;
    socket.on('error', (e) => errors.push(`server socket: ${e.message}`));
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length > 0) {
        if (dataLeft > 0) {
          const take = Math.min(dataLeft, pending.length);
          hash = fnv1a(pending.subarray(0, take), hash);
          pending = pending.subarray(take);
          dataLeft -= take;
          if (dataLeft === 0) socket.write(`${hash.toString(16).padStart(8, '0')}\n`);
          continue;
        }
        const nl = pending.indexOf(0x0a);
        if (nl < 0) break;
        const line = pending.subarray(0, nl).toString('latin1');
        pending = pending.subarray(nl + 1);
        let m: RegExpExecArray | null;
        if ((m = /^ping (\d+)$/.exec(line))) socket.write(`pong ${m[1]}\n`);
        else if ((m = /^data (\d+)$/.exec(line)) && Number(m[1]) > 0) { dataLeft = Number(m[1]); hash = 0x811c9dc5; }
        else { errors.push(`unexpected line ${JSON.stringify(line)}`); socket.write('error\n'); }
      }
    });
  });
  servers.add(server);
  return withTimeout(new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port, errors }));
  }), 'host server listening');
}

describe.each([RISCV64, ARM])('TCP with a host peer ($name)', (arch) => {
  describe.each(runners(arch).map((r) => [r.name, r] as const))('%s', (_name, runner) => {
    it.skipIf(!runner.available)('guest TCP echo server answered by a host client', async () => {
      const g = await startEchoServer(runner, arch);

      const one = await Peer.connect(g.port);
      for (const [i, msg] of [Buffer.from('hello\n'), Buffer.from('x'), pattern(65536 + 17, 1), pattern(1 << 20, 2), Buffer.from('bye\n')].entries()) {
        const back = await one.roundTrip(msg);
        expect(back.equals(msg), `message ${i} (${msg.length} bytes) echoed byte-exact`).toBe(true);
      }

      // 10 connections at once, each with its own messages interleaved with the others'.
      const peers = await Promise.all(Array.from({ length: 10 }, () => Peer.connect(g.port)));
      await Promise.all(peers.map(async (p, c) => {
        for (let i = 0; i < 20; i++) {
          const msg = pattern(1 + ((c * 977 + i * 4099) % 20000), 100 + c * 20 + i);
          const back = await p.roundTrip(msg);
          expect(back.equals(msg), `connection ${c} message ${i} echoed byte-exact`).toBe(true);
        }
      }));

      // A closed connection only ends its own thread: the server still answers.
      for (const p of peers) p.socket.end();
      const after = await Peer.connect(g.port);
      expect((await after.roundTrip(Buffer.from('still here\n'))).toString()).toBe('still here\n');
      one.socket.end();
      after.socket.end();

      g.child.stdin!.end();
      const status = await withTimeout(exited(g.child), 'tcp_echo exiting at stdin EOF');
      expect({ status, stderr: g.stderr() }).toEqual({ status: 0, stderr: '' });
    }, TEST_TIMEOUT_MS);

    it.skipIf(!runner.available)('the guest echo server ends on SIGTERM', async () => {
      const g = await startEchoServer(runner, arch);
      const p = await Peer.connect(g.port);
      expect((await p.roundTrip(Buffer.from('ping\n'))).toString()).toBe('ping\n');
      g.child.kill('SIGTERM');
      const status = await withTimeout(exited(g.child), 'tcp_echo exiting on SIGTERM');
      expect(status).toBe(0);
    }, TEST_TIMEOUT_MS);

    it.skipIf(!runner.available)('guest client talking to a host server', async () => {
      const { port, errors } = await startProtocolServer();
      const g = startGuest([...runner.argv, programPath('net_client', arch.name), String(port)]);
      g.child.stdin!.end();
      const status = await withTimeout(exited(g.child), 'net_client exiting');
      const data = Buffer.alloc(300000);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 9)) & 0xff;
      const sum = fnv1a(data).toString(16).padStart(8, '0');
      expect({ stdout: g.stdout(), status, stderr: g.stderr(), errors }).toEqual({
        stdout: 'pong 1\npong 2\npong 3\npong 4\npong 5\n' + `checksum ${sum}\nchecksum matches\nserver closed\n`,
        status: 0,
        stderr: '',
        errors: [],
      });
    }, TEST_TIMEOUT_MS);
  });
});
