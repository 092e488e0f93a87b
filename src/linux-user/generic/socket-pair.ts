// socketpair(2): two connected Unix sockets, each a pipe in one direction and the other's pipe
// back (open-file.ts PipeEnd), so they live in the layer while one process has them and become
// host pipes, as pipes do, when a fork hands them to another. Datagram and seqpacket pairs keep
// each write a message of its own within a process; across processes they are byte streams.
import { E, SyscallError } from './errno.js';
import { GuestSocket, MSG_PEEK, Received, SHUT_RD, SHUT_RDWR, SHUT_WR } from './guest-socket.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRNORM, PipeBuffer, PipeEnd } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { AF_UNIX, SOCK_STREAM, SockAddr } from './socket-address.js';

export class SocketPairEnd extends GuestSocket {
  /** The pid SO_PEERCRED reports: the process that called socketpair. */
  creator: number;

  constructor(p: LinuxProcess, type: number, readonly rx: PipeEnd, readonly tx: PipeEnd) {
    super(p, AF_UNIX, type, 0);
    this.creator = p.pid;
  }

  /** Two ends over two new pipes. */
  static pair(p: LinuxProcess, type: number): [SocketPairEnd, SocketPairEnd] {
    const ab = new PipeBuffer(), ba = new PipeBuffer();
    return [
      new SocketPairEnd(p, type, new PipeEnd(ba, true, 2), new PipeEnd(ab, false, 2)),
      new SocketPairEnd(p, type, new PipeEnd(ab, true, 2), new PipeEnd(ba, false, 2)),
    ];
  }

  private get messages(): boolean { return this.type !== SOCK_STREAM && !this.rx.pipe.host; }

  override connect(): number { throw new SyscallError(E.ISCONN); }

  override recv(dst: Uint8Array, off: number, len: number, flags: number): Received {
    const pipe = this.rx.pipe;
    if (this.messages || (flags & MSG_PEEK && !pipe.host)) {
      const c = pipe.chunks[0];
      if (!c) return { n: this.rx.read(dst, off, 1) }; // 0 at EOF, else EAGAIN (nothing is copied)
      const n = Math.min(len, c.length);
      dst.set(c.subarray(0, n), off);
      if (!(flags & MSG_PEEK)) {
        if (this.messages || n === c.length) pipe.chunks.shift(); else pipe.chunks[0] = c.subarray(n);
      }
      return { n, full: c.length };
    }
    return { n: this.rx.read(dst, off, len) };
  }

  override send(src: Uint8Array, off: number, len: number): number {
    if (this.messages) {
      if (this.tx.pipe.readers === 0) throw new SyscallError(E.PIPE);
      this.tx.pipe.chunks.push(src.slice(off, off + len));
      return len;
    }
    return this.tx.write(src, off, len);
  }

  override shutdown(how: number): void {
    // Each direction is a pipe: shutting one down is closing that pipe's end here.
    if (how !== SHUT_WR && !this.rdDone) { this.rdDone = true; this.rx.release(); }
    if (how !== SHUT_RD && !this.wrDone) { this.wrDone = true; this.tx.release(); }
  }
  private rdDone = false;
  private wrDone = false;

  override localAddr(): SockAddr { return { family: AF_UNIX, path: '' }; }
  override peerAddr(): SockAddr { return { family: AF_UNIX, path: '' }; }

  override pollMask(): number {
    const r = this.rdDone ? 0 : this.rx.pollMask();
    const w = this.wrDone ? 0 : this.tx.pollMask();
    let mask = (r & (POLLIN | POLLRDNORM)) | (w & (POLLOUT | POLLWRNORM));
    if (r & POLLHUP || this.rdDone) mask |= POLLIN | POLLRDNORM | POLLRDHUP;
    if ((r & POLLHUP || this.rdDone) && (w & POLLERR || this.wrDone)) mask |= POLLHUP;
    return mask;
  }

  override get repollMs(): number | undefined { return this.rx.repollMs; }
  /** The read pipe's host fd (fork-state.ts carries the write pipe's beside it). */
  override hostFd(): number { return this.rx.hostFd(); }
  override available(): number { return this.rx.available(); }

  override release(): void {
    this.shutdown(SHUT_RDWR);
  }
}
