// Open file descriptions: what a guest fd points at. Several fds (dup) share one description and
// its position. Host files are read and written positionally with the position kept here,
// because Node has no lseek; streams (ttys, pipes, inherited stdio) use the host's own position.
import * as fs from 'node:fs';
import { AGAIN, E, SyscallError } from './errno.js';
import { HostReader } from './host-reader.js';
import { fileWritten } from './shared-file-maps.js';
import { netModule, ttyModule } from './host-modules.js';
import { type GuestFs, hostFs } from './guest-fs.js';

/** The stat fields the syscall layer reports (Node's BigIntStats has them all). */
export type StatInfo = Pick<fs.BigIntStats,
  'dev' | 'ino' | 'mode' | 'nlink' | 'uid' | 'gid' | 'rdev' | 'size' | 'blksize' | 'blocks' |
  'atimeNs' | 'mtimeNs' | 'ctimeNs' | 'birthtimeNs'>;

export const S_IFMT = 0o170000;
export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFSOCK = 0o140000;

// poll(2) event bits (include/uapi/asm-generic/poll.h; ARM and riscv use these values).
export const POLLIN = 0x1;
export const POLLPRI = 0x2;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
export const POLLRDNORM = 0x40;
export const POLLWRNORM = 0x100;
export const POLLRDHUP = 0x2000;

// lseek whence values (include/uapi/linux/fs.h).
const SEEK_SET = 0;
const SEEK_CUR = 1;
const SEEK_END = 2;

export abstract class OpenFile {
  refs = 1;
  /** O_NONBLOCK as the guest set it (the caller decodes the arch's flag). */
  nonblock = false;
  /** Counts arrivals (data, a connection, room to write) on files that report them (sockets):
   *  an edge-triggered epoll reports each, even when the readiness it saw never dropped. */
  generation = 0;
  /** The guest's file status flags (access mode, O_APPEND, O_NONBLOCK) for F_GETFL. */
  constructor(readonly path: string, public flags: number) {}
  abstract read(dst: Uint8Array, off: number, len: number, pos?: number): number;
  abstract write(src: Uint8Array, off: number, len: number, pos?: number): number;
  abstract stat(): StatInfo;
  seek(_off: number, _whence: number): number { throw new SyscallError(E.SPIPE); }
  /** The poll(2) events this file has now. Files, /proc files and host streams are always
   *  readable and writable: Node cannot ask the host whether a stream would block, and a
   *  blocking read of a host stdin is what a poll with no timeout would have waited for. */
  pollMask(_look = true): number { return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM; }
  /** Set while something outside reports this file's next arrival by itself (Node watching a
   *  socket): a poll may leave out its read ahead (`look` false) and wait for that report. */
  get watched(): boolean { return false; }
  /** Bytes readable without blocking (FIONREAD). */
  available(): number { return 0; }
  /** Set when whether a read or write would block is host state nothing reports (a pipe shared
   *  with another process): a blocked call tries again this often, in ms. */
  get repollMs(): number | undefined { return undefined; }
  /** The host fd when there is one (fsync, fchmod, ftruncate...). */
  hostFd(): number { throw new SyscallError(E.INVAL); }
  /** The fd and the filesystem it is of, for the calls on an fd's file (fchmod, ftruncate...). */
  fileFd(): { fs: GuestFs; fd: number } { return { fs: hostFs, fd: this.hostFd() }; }
  isTty(): boolean { return false; }
  release(): void {}
}

/** What fstat reports of a file that lives only in the layer (an anon inode: signalfd, epoll). */
export function anonInodeStat(): StatInfo {
  return {
    dev: 0n, ino: 0n, mode: 0o600n, nlink: 1n, uid: 0n, gid: 0n, rdev: 0n, size: 0n, blksize: 4096n,
    blocks: 0n, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n, birthtimeNs: 0n,
  };
}

function newPos(cur: number, size: number, off: number, whence: number): number {
  const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? cur : whence === SEEK_END ? size : NaN;
  const pos = base + off;
  if (!(pos >= 0)) throw new SyscallError(E.INVAL);
  return pos;
}

export class HostFile extends OpenFile {
  pos = 0;
  /** Directory listing snapshot for getdents64, taken at the first call. */
  dirEntries: { name: string; ino: bigint; type: number }[] | undefined;
  private readonly seekable: boolean;
  private readonly tty: boolean;

  /** `fs` is the filesystem `fd` was opened in (guest-fs.ts); `path` is the guest's name of it. */
  constructor(private readonly fd: number, path: string, flags: number, readonly owned: boolean,
    readonly append: boolean, readonly fs: GuestFs = hostFs) {
    super(path, flags);
    const st = this.fs.fstatSync(fd);
    // Inherited stdio keeps the host's position (a shell's `>>` or a shared terminal).
    this.seekable = owned && (st.isFile() || st.isBlockDevice() || st.isDirectory());
    // Only a character device can be a terminal, and never one of the memory devices (major 1:
    // /dev/null, /dev/zero, the usual stdin of a CI job): node:tty is not worth loading for those.
    this.tty = st.isCharacterDevice() && ((st.rdev >> 8) & 0xfff) !== MEM_MAJOR && ttyModule().isatty(fd);
  }

  private at(pos: number | undefined): number | null {
    return pos ?? (this.seekable ? this.pos : null);
  }

  /** Set once the vCPUs run in workers (thread-server.ts), where syscalls run on the event
   *  loop's thread: a read of a host stream (an inherited stdin pipe or terminal) must not block
   *  it, so it goes through a non-blocking twin of the fd (its own open file description,
   *  opened through /proc/self/fd, so the shared one's flags stay as they are), and the call
   *  waits in the loop, looking again every STREAM_REPOLL_MS. */
  static threaded = false;
  /** The twin: undefined until needed, -1 when the fd has none (a socket). */
  private twin: number | undefined;
  /** What a poll read ahead through the twin, given out first; and whether it found EOF. */
  private readonly ahead: Uint8Array[] = [];
  private aheadEof = false;
  private reader: HostReader | undefined;

  private twinReader(twin: number): HostReader {
    return (this.reader ??= new HostReader(twin));
  }

  private get nonblockingTwin(): number {
    if (!HostFile.threaded || this.seekable || (this.flags & 3) === 1) return -1; // O_WRONLY
    if (this.twin === undefined) {
      try {
        this.twin = fs.openSync(`/proc/self/fd/${this.fd}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      } catch {
        // A socket (Node's own spawn gives its children socketpairs for stdio) cannot be
        // reopened; its description is this process's alone, so it is made non-blocking
        // itself, which a Node socket over the fd does (without reading from it).
        this.twin = fs.fstatSync(this.fd).isSocket() ? nonblockingSocket(this.fd) : -1;
      }
    }
    return this.twin;
  }

  read(dst: Uint8Array, off: number, len: number, pos?: number): number {
    const twin = pos === undefined ? this.nonblockingTwin : -1;
    if (twin >= 0) {
      if (this.ahead.length) return takeChunks(this.ahead, dst, off, len);
      if (this.aheadEof) { this.aheadEof = false; return 0; }
      return this.twinReader(twin).transfer(dst, off, len);
    }
    for (;;) {
      try {
        const n = this.fs.readSync(this.fd, dst, off, len, this.at(pos));
        if (pos === undefined && this.seekable) this.pos += n;
        return n;
      } catch (e) {
        // A non-blocking host stdin the guest did not ask to be non-blocking: wait a little.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || this.nonblock) throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }

  write(src: Uint8Array, off: number, len: number, pos?: number): number {
    let done = 0;
    // Streams may take partial writes (EAGAIN on a non-blocking pipe): finish like a blocking fd.
    while (done < len) {
      try {
        const at = pos !== undefined ? pos + done : this.append ? null : this.at(undefined);
        const n = this.fs.writeSync(this.fd, src, off + done, len - done, at);
        done += n;
        if (pos === undefined && this.seekable) this.pos = this.append ? Number(this.fs.fstatSync(this.fd).size) : this.pos + n;
        // Shared mappings of the file show what was written (shared-file-maps.ts).
        if (this.seekable && n > 0) fileWritten(this, pos !== undefined || !this.append ? at! : this.pos - n, src.subarray(off + done - n, off + done));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        if (this.nonblock) { if (done > 0) return done; throw e; }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
    return done;
  }

  stat(): StatInfo { return this.fs.fstatSync(this.fd, { bigint: true }); }

  override seek(off: number, whence: number): number {
    if (!this.seekable) throw new SyscallError(E.SPIPE);
    this.pos = newPos(this.pos, Number(this.stat().size), off, whence);
    if (this.dirEntries && this.pos === 0) this.dirEntries = undefined; // rewinddir re-reads
    return this.pos;
  }

  override available(): number {
    if (this.ahead.length) return this.ahead.reduce((s, c) => s + c.length, 0);
    return this.seekable ? Math.max(0, Number(this.stat().size) - this.pos) : 0;
  }

  /** Through a twin, readable once something is there to read (a poll that may `look` reads it
   *  ahead); otherwise always, as OpenFile says. */
  override pollMask(look = true): number {
    const twin = this.nonblockingTwin;
    if (twin < 0) return super.pollMask();
    if (look && !this.ahead.length && !this.aheadEof) this.aheadEof = readAheadIfDue(this.twinReader(twin), this.ahead, this.lastEmpty) === 0;
    return POLLOUT | POLLWRNORM | (this.ahead.length || this.aheadEof ? POLLIN | POLLRDNORM : 0);
  }

  private readonly lastEmpty = { at: -Infinity };

  override get repollMs(): number | undefined { return this.nonblockingTwin >= 0 ? STREAM_REPOLL_MS : undefined; }

  /** A file of another filesystem than the host's (a memfs volume) has no host fd: what needs
   *  one (a MAP_SHARED mapping a forked process shares) finds that device has no such files. */
  override hostFd(): number {
    if (this.fs !== hostFs) throw new SyscallError(E.NODEV);
    return this.fd;
  }
  override fileFd(): { fs: GuestFs; fd: number } { return { fs: this.fs, fd: this.fd }; }
  override isTty(): boolean { return this.tty; }
  override release(): void {
    if (this.twin !== undefined && this.twin >= 0 && this.twin !== this.fd) fs.closeSync(this.twin);
    if (this.owned) this.fs.closeSync(this.fd);
  }
}

/** The major number of /dev/null, /dev/zero, /dev/urandom and the like (Documentation/admin-guide/devices.txt). */
const MEM_MAJOR = 1;

/** Makes the socket at host fd `fd` non-blocking (libuv's open of it does) and returns fd. */
function nonblockingSocket(fd: number): number {
  new (netModule().Socket)({ fd, readable: false, writable: false });
  return fd;
}

/** How often a read of a host stream through its twin looks again (nothing reports its data). */
const STREAM_REPOLL_MS = 5;

/** A file whose contents are computed when opened (/proc emulation). Read-only. */
export class MemFile extends OpenFile {
  pos = 0;
  constructor(path: string, flags: number, readonly data: Uint8Array, readonly mode = S_IFREG | 0o444) {
    super(path, flags);
  }
  read(dst: Uint8Array, off: number, len: number, pos?: number): number {
    const from = pos ?? this.pos;
    const n = Math.max(0, Math.min(len, this.data.length - from));
    dst.set(this.data.subarray(from, from + n), off);
    if (pos === undefined) this.pos += n;
    return n;
  }
  write(): number { throw new SyscallError(E.BADF); }
  override seek(off: number, whence: number): number {
    this.pos = newPos(this.pos, this.data.length, off, whence);
    return this.pos;
  }
  override available(): number { return Math.max(0, this.data.length - this.pos); }
  stat(): StatInfo {
    const now = BigInt(Date.now()) * 1000000n;
    return {
      dev: 0n, ino: 0n, mode: BigInt(this.mode), nlink: 1n, uid: 0n, gid: 0n, rdev: 0n, size: 0n,
      blksize: 1024n, blocks: 0n, atimeNs: now, mtimeNs: now, ctimeNs: now, birthtimeNs: now,
    };
  }
}

/** A pipe: an in-memory queue while only this process has it. Reading it empty with a writer
 *  open, or writing it full, is EAGAIN here; the read and write calls wait on that unless the fd
 *  is non-blocking (io-calls.ts). Before a fork hands its ends to another process it becomes a
 *  host pipe (`host`: this process's host fds of its ends, -1 for an end it does not hold). */
export class PipeBuffer {
  chunks: Uint8Array[] = [];
  readers = 0;
  writers = 0;
  host: { r: number; w: number } | undefined;
  /** A fork gave another process this host pipe's read end: reading ahead to see whether it
   *  is readable could take bytes the other process is to read. */
  readShared = false;
  readonly ino: bigint;
  constructor(ino?: bigint) { this.ino = ino ?? BigInt(Math.floor(Math.random() * 1e6) + 1); }
  get size(): number { return this.chunks.reduce((s, c) => s + c.length, 0); }
  private reader: HostReader | undefined;

  /** What reads the host read end (once the pipe is on the host). */
  hostReader(): HostReader {
    return (this.reader ??= new HostReader(this.host!.r));
  }

  /** Moves the pipe onto host fds `r` (opened non-blocking) and `w`, with what it buffers. */
  moveToHost(r: number, w: number): void {
    this.host = { r, w };
    for (const c of this.chunks) fs.writeSync(w, c);
    this.chunks = [];
    // An end this process closed already (a pipe filled, then its write end closed, before the
    // fork) closes on the host too, or the reader would never see EOF.
    if (this.writers === 0) { fs.closeSync(w); this.host.w = -1; }
    if (this.readers === 0) { fs.closeSync(r); this.host.r = -1; }
  }
}

/** Copies up to len bytes from the front of a byte queue to dst at off, taking them off it,
 *  or leaving them there to be read again (MSG_PEEK). */
export function takeChunks(chunks: Uint8Array[], dst: Uint8Array, off: number, len: number, peek = false): number {
  let n = 0;
  for (let i = 0; n < len && i < chunks.length;) {
    const c = chunks[i];
    const take = Math.min(c.length, len - n);
    dst.set(c.subarray(0, take), off + n);
    n += take;
    if (peek) i++;
    else if (take === c.length) chunks.shift();
    else chunks[0] = c.subarray(take);
  }
  return n;
}

/** Reads ahead once from a non-blocking host fd onto the queue `chunks` (for a poll, which must
 *  not consume what the guest reads): the byte count, 0 at EOF, -1 when nothing is there yet;
 *  another error is thrown as the guest's. */
export function readAhead(reader: HostReader, chunks: Uint8Array[]): number {
  const r = reader.chunk();
  if (typeof r !== 'number') {
    chunks.push(r);
    return r.length;
  }
  if (r === -E.AGAIN) return -1;
  if (r < 0) throw new SyscallError(-r);
  return 0;
}

/** How long a poll trusts a read ahead that found a host stream empty: an event loop's server
 *  polls its stdin and sockets between every two requests, and each look is a host call (about
 *  2 us when it finds nothing); what comes meanwhile is seen at most this much later (the
 *  repolls of a wait come every few ms anyway). */
export const EMPTY_FRESH_MS = 1;

/** readAhead, or -1 without a look while the last one that found the fd empty (`last.at`) is
 *  fresher than EMPTY_FRESH_MS. */
export function readAheadIfDue(reader: HostReader, chunks: Uint8Array[], last: { at: number }): number {
  const now = performance.now();
  if (now - last.at < EMPTY_FRESH_MS) return -1;
  const n = readAhead(reader, chunks);
  if (n < 0) last.at = now;
  return n;
}

/** A transfer on a non-blocking host fd, whose EAGAIN the blocking calls wait out. */
export function hostTransfer(op: () => number): number {
  try {
    return op();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') throw AGAIN;
    throw e;
  }
}

/** Linux's default pipe capacity (16 pages). */
const PIPE_CAPACITY = 65536;
/** How often a blocked read of a host pipe looks again: nothing tells the loop it got data. */
const HOST_PIPE_REPOLL_MS = 2;

export class PipeEnd extends OpenFile {
  constructor(readonly pipe: PipeBuffer, readonly reader: boolean, flags: number) {
    super('pipe:[' + pipe.ino + ']', flags);
    if (reader) pipe.readers++; else pipe.writers++;
  }
  override get repollMs(): number | undefined { return this.pipe.host ? HOST_PIPE_REPOLL_MS : undefined; }
  read(dst: Uint8Array, off: number, len: number, pos?: number): number {
    if (pos !== undefined) throw new SyscallError(E.SPIPE);
    if (!this.reader) throw new SyscallError(E.BADF);
    // The host read end is non-blocking: EAGAIN when empty, as for the in-memory queue. What
    // a poll read ahead (pollMask) comes first.
    if (this.pipe.host && this.pipe.chunks.length === 0) return this.pipe.hostReader().transfer(dst, off, len);
    if (this.pipe.chunks.length === 0) {
      if (this.pipe.writers === 0 || len === 0) return 0;
      throw AGAIN;
    }
    return takeChunks(this.pipe.chunks, dst, off, len);
  }
  write(src: Uint8Array, off: number, len: number, pos?: number): number {
    if (pos !== undefined) throw new SyscallError(E.SPIPE);
    if (this.reader) throw new SyscallError(E.BADF);
    // A host write end may be non-blocking (a forked child's): full is EAGAIN as here.
    if (this.pipe.host) return hostTransfer(() => fs.writeSync(this.pipe.host!.w, src, off, len));
    if (this.pipe.readers === 0) throw new SyscallError(E.PIPE);
    const room = PIPE_CAPACITY - this.pipe.size;
    if (room <= 0) throw AGAIN;
    const n = Math.min(room, len);
    this.pipe.chunks.push(src.slice(off, off + n));
    return n;
  }
  override available(): number { return this.reader ? this.pipe.size : 0; }
  /** As Linux's pipe_poll: data to read, room to write, HUP without writers, ERR without readers.
   *  A host pipe's read end looks by reading ahead into the queue (EOF: HUP); its write end is
   *  always writable, since nothing says how full the host pipe is. */
  override pollMask(look = true): number {
    if (this.pipe.host && this.reader) {
      if (!look) return this.pipe.chunks.length ? POLLIN | POLLRDNORM : 0;
      return this.pipe.readShared ? this.maybeReadable() : this.peekHost();
    }
    if (this.pipe.host) return POLLOUT | POLLWRNORM;
    if (this.reader) return (this.pipe.size > 0 ? POLLIN | POLLRDNORM : 0) | (this.pipe.writers === 0 ? POLLHUP : 0);
    return (this.pipe.size < PIPE_CAPACITY ? POLLOUT | POLLWRNORM : 0) | (this.pipe.readers === 0 ? POLLERR : 0);
  }
  /** Readiness of a read end another process reads too: nothing can tell without taking
   *  bytes, so it says "maybe" once per repoll interval, and a read finds out (EAGAIN). */
  private maybeReadable(): number {
    if (this.pipe.chunks.length) return POLLIN | POLLRDNORM;
    const now = performance.now();
    if (now - this.lastMaybe < HOST_PIPE_REPOLL_MS) return 0;
    this.lastMaybe = now;
    this.generation++;
    return POLLIN | POLLRDNORM;
  }
  private lastMaybe = 0;
  private readonly lastEmpty = { at: -Infinity };

  /** Readiness of a host read end this process alone reads: it reads ahead into the queue. */
  private peekHost(): number {
    if (this.pipe.chunks.length) return POLLIN | POLLRDNORM;
    const n = readAheadIfDue(this.pipe.hostReader(), this.pipe.chunks, this.lastEmpty);
    if (n <= 0) return n === 0 ? POLLHUP : 0;
    this.generation++;
    return POLLIN | POLLRDNORM;
  }
  override hostFd(): number {
    const fd = this.pipe.host ? (this.reader ? this.pipe.host.r : this.pipe.host.w) : -1;
    if (fd < 0) throw new SyscallError(E.INVAL);
    return fd;
  }
  stat(): StatInfo {
    const now = BigInt(Date.now()) * 1000000n;
    return {
      dev: 0n, ino: this.pipe.ino, mode: BigInt(S_IFIFO | 0o600), nlink: 1n,
      uid: BigInt(process.getuid?.() ?? 0), gid: BigInt(process.getgid?.() ?? 0), rdev: 0n, size: 0n,
      blksize: 4096n, blocks: 0n, atimeNs: now, mtimeNs: now, ctimeNs: now, birthtimeNs: now,
    };
  }
  override release(): void {
    const left = this.reader ? --this.pipe.readers : --this.pipe.writers;
    const host = this.pipe.host;
    if (left > 0 || !host) return;
    // The last end of this side here: the host's end closes, so the other process sees EOF or EPIPE.
    const fd = this.reader ? host.r : host.w;
    if (fd >= 0) fs.closeSync(fd);
    if (this.reader) host.r = -1; else host.w = -1;
  }
}
