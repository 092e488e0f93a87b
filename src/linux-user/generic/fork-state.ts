// What fork carries to the new host process that continues the guest: Node cannot fork, so the
// child is a fresh tsemu that rebuilds the process from this state (the kernel's copy_process).
// The file holds a JSON header, then the bytes of every guest page that may be non-zero, then the
// forking thread's CPU state. Host fds travel as the child's inherited fds, at the guest's numbers.
import * as fs from 'node:fs';
import { CPU_CONTROL, CPU_STATE_BASE, GuestMemory, PAGE_SIZE } from '../../memory/guest-memory.js';
import type { InheritedFds } from './launcher.js';
import type { AddressSpace, Vma } from '../../memory/address-space.js';
import type { AltStack, GuestThread } from './guest-thread.js';
import { makeHostPipes } from './host-pipe.js';
import { shareForFork } from './memory-calls.js';
import { HostFile, MemFile, OpenFile, PipeBuffer, PipeEnd } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { SocketPairEnd } from './socket-pair.js';
import { ForkedStream, StreamSocket } from './stream-socket.js';

/** A pipe, and what this process had read ahead from it (base64), which goes to the child. */
type ForkedPipe = { pipe: number; ino: string; kept?: string };
type Forked = { flags: number; nonblock: boolean } & (
  | { kind: 'host'; path: string; pos: number; owned: boolean; append: boolean }
  | { kind: 'pipe'; reader: boolean } & ForkedPipe
  | { kind: 'mem'; path: string; pos: number; mode: number; data: string }
  | { kind: 'stream' } & ForkedStream
  // A socketpair end: its read pipe's host fd is at the guest's fd, its write pipe's at `txFd`.
  | { kind: 'pair'; type: number; creator: number; rx: ForkedPipe; tx: ForkedPipe; txFd: number });

/** Where a forked child finds the second host fd of a socketpair end: above every guest fd. */
const PAIR_FD_BASE = 1024;
/** Where it finds the backing files of shared memory (shared-pages.ts), one per file. */
const SHARED_FD_BASE = 1536;

export interface ForkHeader {
  ppid: number;
  exePath: string;
  argv: string[];
  envp: string[];
  auxv: string;
  comm: string;
  cwd: string;
  umask: number;
  rlimits: [number, string, string][];
  sigactions: [number, string, string, string, string][];
  sigmask: string;
  altstack: AltStack;
  brkStart: number;
  brk: number;
  vmas: Vma[];
  files: Forked[];
  /** Guest fd, index in files, close-on-exec. */
  fds: [number, number, boolean][];
  /** The shared memory regions: [start, end), file offset, the child's fd of the file. */
  shared: { start: number; end: number; offset: number; fd: number }[];
  /** [start, end) of each run of memory bytes that follows the header, in order. */
  runs: [number, number][];
  /** The child's stack pointer (clone's stack argument), 0 to keep the parent's. */
  stack: number;
  /** CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID addresses, 0 when not asked. */
  tids: { setTid: number; clearTid: number };
  /** The runner's own options (backend, logging), opaque here. */
  runner: unknown;
}

/** What the forking call decided about the child. */
export type ForkChoices = Pick<ForkHeader, 'stack' | 'tids' | 'runner'>;

/** Moves the in-memory pipes among `files` onto host pipes, so that another process can hold
 *  their ends. */
export function pipesToHost(files: OpenFile[]): void {
  const local = [...new Set(files.flatMap(pipeEnds).flatMap((e) => (e.pipe.host ? [] : [e.pipe])))];
  makeHostPipes(local.length).forEach((h, i) => local[i].moveToHost(h.r, h.w));
}

/** The pipe ends a file is made of: a pipe end itself, or a socketpair end's two. */
const pipeEnds = (f: OpenFile): PipeEnd[] => (f instanceof PipeEnd ? [f] : f instanceof SocketPairEnd ? [f.rx, f.tx] : []);

/** A spawn's stdio array from the host fd to give at each child fd number; the gaps, and the
 *  stdio fds the guest closed, are 'ignore' (Node then opens /dev/null at 0-2). */
export function stdioOf(hostFds: Map<number, number>): InheritedFds {
  const stdio: InheritedFds = [];
  for (const [fd, host] of hostFds) stdio[fd] = host;
  for (let fd = 0; fd < stdio.length || fd < 3; fd++) stdio[fd] ??= 'ignore';
  return stdio;
}

/** The fds a forked child needs from its parent: as a spawn's stdio array (the host fd to put
 *  at each child fd number), and as what a process started earlier has to open to get them
 *  (child fd number, the parent's host fd, open flags for /proc/<parent>/fd/<fd>), except
 *  `inherited`: the host fds this process did not open itself (its stdio), which such a process
 *  must have inherited when it started, since only the same open file shares the offset of a
 *  regular file (`prog > out` where parent and child both write). */
export interface ForkFds { stdio: InheritedFds; reopen: [number, number, number][] | undefined; inherited: number[] }

/** Open flags that give a new description like a forked file's, through /proc/<pid>/fd/<n>.
 *  Pipe ends are opened non-blocking (a write end's open would wait for a reader; a blocked
 *  transfer waits in the loop instead). */
function reopenFlags(d: Forked): number {
  const c = fs.constants;
  if (d.kind === 'pipe' || d.kind === 'pair') return (d.kind === 'pair' || d.reader ? c.O_RDONLY : c.O_WRONLY) | c.O_NONBLOCK;
  return (d.flags & 3) | (d.kind === 'host' && d.append ? c.O_APPEND : 0);
}

/** Zeros to compare guest memory with: a 64 KiB chunk at once, then page by page in a chunk
 *  that is not all zero. memcmp (Buffer.compare) takes ~0.5 ms for 8 MB; a loop over words in
 *  JavaScript took 7 ms for the first forks, before V8 optimized it. */
const ZEROS = new Uint8Array(16 * PAGE_SIZE);

/** The page runs of [from, to) (page aligned) that hold a non-zero byte: most of a stack or a
 *  heap was never written, and the child's fresh memory is zero already. */
function nonZeroRuns(mem: GuestMemory, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  const zero = (at: number, end: number): boolean => Buffer.compare(mem.u8.subarray(at, end), ZEROS.subarray(0, end - at)) === 0;
  for (let chunk = from; chunk < to; chunk += ZEROS.length) {
    const chunkEnd = Math.min(to, chunk + ZEROS.length);
    if (zero(chunk, chunkEnd)) continue;
    for (let at = chunk; at < chunkEnd; at += PAGE_SIZE) {
      if (zero(at, at + PAGE_SIZE)) continue;
      const last = out[out.length - 1];
      if (last && last[1] === at) last[1] += PAGE_SIZE; else out.push([at, at + PAGE_SIZE]);
    }
  }
  return out;
}

/** Writes the state of process p, as thread t sees it, to `file`, and says which fds the child
 *  needs. Pipes become host pipes first. */
export function writeForkState(p: LinuxProcess, t: GuestThread, choices: ForkChoices, file: string): ForkFds {
  const opened: OpenFile[] = [];
  const fds: [number, number, boolean][] = [];
  for (const fd of p.fds.fds()) {
    const f = p.fds.get(fd);
    // Layer-only files (epoll, signalfd, eventfd, timerfd, UDP sockets, a stream socket not yet
    // bound) are not carried.
    if (!(f instanceof HostFile || f instanceof PipeEnd || f instanceof MemFile || f instanceof SocketPairEnd || (f instanceof StreamSocket && f.forkable))) continue;
    if (!opened.includes(f)) opened.push(f);
    fds.push([fd, opened.indexOf(f), p.fds.getCloexec(fd)]);
  }
  pipesToHost(opened);
  const pipes = [...new Set(opened.flatMap(pipeEnds).map((e) => e.pipe))];
  const pipeOf = (e: PipeEnd): ForkedPipe => {
    const d: ForkedPipe = { pipe: pipes.indexOf(e.pipe), ino: String(e.pipe.ino) };
    if (e.reader) {
      // The child reads this pipe too from now on: this process no longer reads ahead, and
      // hands what it did read ahead to the child (which the pattern fork-then-close expects).
      e.pipe.readShared = true;
      if (e.pipe.chunks.length) d.kept = Buffer.concat(e.pipe.chunks).toString('base64');
      e.pipe.chunks = [];
    }
    return d;
  };
  let pairs = 0;
  const files = opened.map((f): Forked => {
    const common = { flags: f.flags, nonblock: f.nonblock };
    if (f instanceof HostFile) return { ...common, kind: 'host', path: f.path, pos: f.pos, owned: f.owned, append: f.append };
    if (f instanceof PipeEnd) return { ...common, kind: 'pipe', ...pipeOf(f), reader: f.reader };
    if (f instanceof SocketPairEnd) return { ...common, kind: 'pair', type: f.type, creator: f.creator, rx: pipeOf(f.rx), tx: pipeOf(f.tx), txFd: PAIR_FD_BASE + pairs++ };
    if (f instanceof StreamSocket) return { ...common, kind: 'stream', ...f.forkState() };
    const m = f as MemFile;
    return { ...common, kind: 'mem', path: m.path, pos: m.pos, mode: m.mode, data: Buffer.from(m.data).toString('base64') };
  });
  const hostFds = new Map<number, number>();
  const reopen: [number, number, number][] = [];
  for (const [fd, i] of fds) {
    const d = files[i];
    if (d.kind === 'mem' || fds.some(([g, j]) => j === i && g < fd)) continue;
    hostFds.set(fd, opened[i].hostFd());
    reopen.push([fd, opened[i].hostFd(), reopenFlags(d)]);
    if (d.kind === 'pair') {
      const w = (opened[i] as SocketPairEnd).tx.hostFd();
      hostFds.set(d.txFd, w);
      reopen.push([d.txFd, w, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK]);
    }
  }
  const sharedFds = new Map<number, number>();
  const shared = shareForFork(p).map((r) => {
    let fd = sharedFds.get(r.fd);
    if (fd === undefined) {
      fd = SHARED_FD_BASE + sharedFds.size;
      sharedFds.set(r.fd, fd);
      hostFds.set(fd, r.fd);
      reopen.push([fd, r.fd, fs.constants.O_RDWR]);
    }
    return { start: r.start, end: r.end, offset: r.offset, fd };
  });
  // Only a spawn's inherited fds carry a socket (it cannot be opened through /proc/<pid>/fd).
  const spawnOnly = opened.some((f) => f instanceof StreamSocket);
  const inherited = [...new Set(opened.flatMap((f) => (f instanceof HostFile && !f.owned ? [f.hostFd()] : [])))];

  const runs: [number, number][] = [];
  for (const v of p.as.vmas) for (const [from, to] of p.mem.usedRuns(v.start, v.end)) runs.push(...nonZeroRuns(p.mem, from, to));
  const header: ForkHeader = {
    ppid: p.pid, exePath: p.exePath, argv: p.argv, envp: p.envp, auxv: Buffer.from(p.auxv).toString('base64'),
    comm: p.comm, cwd: p.cwd, umask: p.umask,
    rlimits: [...p.rlimits].map(([r, [cur, max]]) => [r, String(cur), String(max)]),
    sigactions: [...p.sigactions].map(([s, a]) => [s, String(a.handler), String(a.flags), String(a.restorer), String(a.mask)]),
    sigmask: String(t.sigmask), altstack: t.altstack, brkStart: p.as.brkStart, brk: p.as.brk,
    vmas: p.as.vmas, files, fds, shared, runs, ...choices,
  };
  const json = Buffer.from(JSON.stringify(header));
  const out = fs.openSync(file, 'w', 0o600);
  try {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length);
    fs.writeSync(out, len);
    fs.writeSync(out, json);
    for (const [from, to] of runs) fs.writeSync(out, p.mem.u8, from, to - from);
    fs.writeSync(out, p.mem.u8, t.env, CPU_CONTROL);
  } finally {
    fs.closeSync(out);
  }
  return { stdio: stdioOf(hostFds), reopen: spawnOnly ? undefined : reopen, inherited };
}

/** Reads a fork state into a fresh memory and address space: the mappings with their bytes, and
 *  the forking thread's CPU state as the first vCPU's. The file is removed. */
export function readForkState(file: string, mem: GuestMemory, as: AddressSpace): ForkHeader {
  const data = fs.readFileSync(file);
  fs.unlinkSync(file);
  const len = data.readUInt32LE(0);
  const header = JSON.parse(data.subarray(4, 4 + len).toString()) as ForkHeader;
  let at = 4 + len;
  as.vmas = header.vmas;
  as.brkStart = header.brkStart;
  as.brk = header.brk;
  for (const v of header.vmas) mem.setProt(v.start, v.end - v.start, v.prot);
  for (const [from, to] of header.runs) {
    mem.writeRaw(from, data.subarray(at, at + to - from));
    at += to - from;
  }
  mem.u8.set(data.subarray(at, at + CPU_CONTROL), CPU_STATE_BASE);
  return header;
}

/** Gives process p (just created over the restored memory) the forked process's fds, ids,
 *  dispositions, limits and the thread's mask and alternate stack. The host fds are at the
 *  guest's numbers, or where `moved` says; those in `borrowed` are not the child's to close
 *  (a spare's inherited copies of its parent's stdio). */
export function restoreProcess(p: LinuxProcess, h: ForkHeader, moved = new Map<number, number>(), borrowed = new Set<number>()): void {
  p.cwd = h.cwd;
  p.umask = h.umask;
  p.comm = h.comm;
  for (const [r, cur, max] of h.rlimits) p.rlimits.set(r, [BigInt(cur), BigInt(max)]);
  for (const [s, handler, flags, restorer, mask] of h.sigactions) {
    p.sigactions.set(s, { handler: BigInt(handler), flags: BigInt(flags), restorer: BigInt(restorer), mask: BigInt(mask) });
  }
  p.current.sigmask = BigInt(h.sigmask);
  if (h.tids.setTid) p.mem.writeU32(h.tids.setTid, p.pid);
  p.current.clearChildTid = h.tids.clearTid;
  p.current.altstack = h.altstack;
  p.fds.closeAll();
  for (const r of h.shared) p.sharedPages.add({ start: r.start, end: r.end, offset: r.offset, fd: moved.get(r.fd) ?? r.fd });
  const pipes = new Map<number, PipeBuffer>();
  const made = new Map<number, OpenFile>();
  for (const [fd, i, cloexec] of h.fds) {
    let f = made.get(i);
    if (f) f.refs++;
    else {
      f = openForked(p, h.files[i], moved.get(fd) ?? fd, moved, pipes, borrowed);
      made.set(i, f);
    }
    p.fds.set(fd, f, cloexec);
  }
}

/** The child's own open file for a forked one, over the host fd it inherited at `fd`. */
function openForked(p: LinuxProcess, d: Forked, fd: number, moved: Map<number, number>, pipes: Map<number, PipeBuffer>,
  borrowed: Set<number>): OpenFile {
  /** The end of forked pipe `fp` over host fd `host`. */
  const endOf = (fp: ForkedPipe, reader: boolean, host: number): PipeEnd => {
    let pipe = pipes.get(fp.pipe);
    if (!pipe) {
      pipe = new PipeBuffer(BigInt(fp.ino));
      pipe.host = { r: -1, w: -1 };
      if (fp.kept) pipe.chunks.push(Buffer.from(fp.kept, 'base64'));
      pipes.set(fp.pipe, pipe);
    }
    if (reader) pipe.host!.r = host; else pipe.host!.w = host;
    return new PipeEnd(pipe, reader, d.flags);
  };
  let f: OpenFile;
  if (d.kind === 'host') {
    const h = new HostFile(fd, d.path, d.flags, d.owned || (fd > 2 && !borrowed.has(fd)), d.append);
    h.pos = d.pos;
    f = h;
  } else if (d.kind === 'pipe') {
    f = endOf(d, d.reader, fd);
  } else if (d.kind === 'pair') {
    const end = new SocketPairEnd(p, d.type, endOf(d.rx, true, fd), endOf(d.tx, false, moved.get(d.txFd) ?? d.txFd));
    end.creator = d.creator;
    f = end;
  } else if (d.kind === 'stream') {
    f = StreamSocket.inherited(p, fd, d);
  } else {
    const m = new MemFile(d.path, d.flags, Buffer.from(d.data, 'base64'), d.mode);
    m.pos = d.pos;
    f = m;
  }
  f.nonblock = d.nonblock;
  return f;
}
