// UDP sockets over Node's dgram. Node binds and connects asynchronously (those calls wait for
// its events) and delivers datagrams as events: they queue here, up to what a host socket's
// default receive buffer holds, with their senders, and recv takes one at a time.
import type * as dgram from 'node:dgram';
import { AGAIN, E, hostErrno, SyscallError } from './errno.js';
import { dgramModule } from './host-modules.js';
import { GuestSocket, MSG_PEEK, MSG_TRUNC, Received } from './guest-socket.js';
import { POLLERR, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { AF_INET6, AF_UNSPEC, IpAddr, SockAddr, anyAddress, ipAddr, nodeAddr } from './socket-address.js';

/** net.core.rmem_default: what Linux queues for a UDP socket before dropping. */
const QUEUE_BYTES = 212992;
/** The largest UDP payload over IPv4 (65535 less the IP and UDP headers). */
const MAX_PAYLOAD = 65507;

export class DatagramSocket extends GuestSocket {
  private sock: dgram.Socket | undefined;
  private bound = false;
  /** A bind or connect under way: its outcome once known. */
  private result: number | undefined;
  private connected: IpAddr | undefined;
  private readonly queue: { data: Buffer; from: SockAddr }[] = [];
  private queued = 0;

  constructor(p: LinuxProcess, family: number, protocol: number) {
    super(p, family, 2, protocol);
  }

  private open(): dgram.Socket {
    if (this.sock) return this.sock;
    const sock = dgramModule().createSocket({ type: this.family === AF_INET6 ? 'udp6' : 'udp4', ipv6Only: this.v6Only });
    sock.on('message', (data, rinfo) => {
      if (this.queued + data.length > QUEUE_BYTES) return; // dropped, as a full socket buffer drops
      this.queue.push({ data, from: nodeAddr(this.family, rinfo.address, rinfo.port) });
      this.queued += data.length;
      this.changed();
    });
    sock.on('error', (e) => {
      const errno = hostErrno(e) ?? E.IO;
      if (this.result === undefined) this.result = errno; else this.pendingError = errno;
      this.changed();
    });
    this.sock = sock;
    return sock;
  }

  override settled(): number | undefined { return this.result; }

  override bind(a: SockAddr): void {
    if (this.bound || this.sock) throw new SyscallError(E.INVAL);
    const ip = ipAddr(a, this.family);
    this.startBind(ip.address, ip.port);
  }

  private startBind(address: string, port: number): void {
    const sock = this.open();
    this.result = undefined;
    sock.bind({ address, port }, () => { this.bound = true; this.result = 0; this.changed(); });
  }

  /** An unbound socket that sends or connects is bound to an ephemeral port first. */
  private ensureBound(): void {
    if (this.bound) return;
    if (!this.sock) this.startBind(anyAddress(this.family), 0);
    if (this.result === undefined) throw AGAIN;
    if (this.result !== 0) throw new SyscallError(this.result);
  }

  override connect(a: SockAddr): number | undefined {
    if (this.connected) this.sock!.disconnect();
    this.connected = undefined;
    if (a.family === AF_UNSPEC) return 0;
    const ip = ipAddr(a, this.family);
    const sock = this.open();
    this.result = undefined;
    sock.connect(ip.port, ip.address, () => { this.bound = true; this.result = 0; this.changed(); });
    this.connected = ip;
    return undefined;
  }

  override connectDone(): number | undefined {
    if (this.result === undefined) return undefined;
    if (this.result !== 0) this.connected = undefined;
    return this.result;
  }

  override recv(dst: Uint8Array, off: number, len: number, flags: number): Received {
    this.throwPending();
    const d = this.queue[0];
    if (!d) throw AGAIN;
    if (!(flags & MSG_PEEK)) {
      this.queue.shift();
      this.queued -= d.data.length;
    }
    const n = Math.min(len, d.data.length);
    dst.set(d.data.subarray(0, n), off);
    // MSG_TRUNC asks for the datagram's real length (udp(7)).
    return { n: flags & MSG_TRUNC ? d.data.length : n, from: d.from, full: d.data.length };
  }

  override send(src: Uint8Array, off: number, len: number, _flags: number, to?: SockAddr): number {
    this.throwPending();
    const dest = to ? ipAddr(to, this.family) : this.connected;
    if (!dest) throw new SyscallError(E.DESTADDRREQ);
    if (len > MAX_PAYLOAD) throw new SyscallError(E.MSGSIZE);
    this.ensureBound();
    const data = Buffer.from(src.subarray(off, off + len));
    const done = (e: Error | null): void => { if (e) { this.pendingError = hostErrno(e) ?? E.IO; this.changed(); } };
    const c = this.connected;
    if (!c) this.sock!.send(data, dest.port, dest.address, done);
    // Node sends from a connected socket only to its peer (Linux would send elsewhere too).
    else if (dest.port === c.port && dest.address === c.address) this.sock!.send(data, done);
    else throw new SyscallError(E.ISCONN);
    return len;
  }

  override localAddr(): SockAddr {
    if (this.bound) {
      const a = this.sock!.address();
      return nodeAddr(this.family, a.address, a.port);
    }
    return nodeAddr(this.family, anyAddress(this.family), 0);
  }

  override peerAddr(): SockAddr {
    if (!this.connected || this.result !== 0) throw new SyscallError(E.NOTCONN);
    const a = this.sock!.remoteAddress();
    return nodeAddr(this.family, a.address, a.port);
  }

  override pollMask(): number {
    return (this.queue.length ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM | (this.pendingError ? POLLERR : 0);
  }

  override available(): number { return this.queue[0]?.data.length ?? 0; }

  override release(): void {
    try { this.sock?.close(); } catch { /* closed already */ }
  }
}
