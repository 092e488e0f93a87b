// What every guest socket is to the syscall layer (socket-calls.ts): an open file with the
// socket operations, each of which throws EAGAIN when it would block (the calls wait on that
// unless the socket or the call is non-blocking), and its options as setsockopt left them.
// The kinds: stream-socket.ts (TCP and Unix stream over Node's net), datagram-socket.ts (UDP
// over dgram), socket-pair.ts (socketpair within the layer).
import { E, SyscallError } from './errno.js';
import { OpenFile, S_IFSOCK, StatInfo, anonInodeStat } from './open-file.js';
import type { LinuxProcess } from './process.js';
import type { SockAddr } from './socket-address.js';

// recv/send flags (include/linux/socket.h).
export const MSG_PEEK = 0x2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_EOR = 0x800;
export const MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000, MSG_CMSG_CLOEXEC = 0x40000000;
// shutdown(2)'s how (include/linux/net.h).
export const SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
// Option levels and the options a socket acts on itself (include/uapi/asm-generic/socket.h,
// linux/in.h, linux/tcp.h, linux/in6.h; ARM and riscv use these numbers).
export const SOL_SOCKET = 1, SO_KEEPALIVE = 9, IPPROTO_TCP = 6, TCP_NODELAY = 1, IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;

export interface Received {
  n: number;
  /** The sender (datagram sockets). */
  from?: SockAddr;
  /** The datagram was longer than the buffer (n is what was copied, full its length). */
  full?: number;
}

/** Option values a socket keeps: (level << 16 | name) -> value. */
export type SocketOptions = Map<number, number>;
export const optKey = (level: number, name: number): number => level * 65536 + name;

let nextIno = 1000n;

export abstract class GuestSocket extends OpenFile {
  readonly options: SocketOptions = new Map();
  readonly ino: bigint;
  /** The error SO_ERROR reports once (an asynchronous connect's failure). */
  pendingError = 0;

  constructor(protected readonly p: LinuxProcess, readonly family: number, readonly type: number, readonly protocol: number) {
    super(`socket:[${nextIno}]`, 2);
    this.ino = nextIno++;
  }

  /** IPV6_V6ONLY as set before Node opens the host socket. */
  protected get v6Only(): boolean { return this.options.get(optKey(IPPROTO_IPV6, IPV6_V6ONLY)) === 1; }

  /** Throws the error pending on the socket (an asynchronous failure), once. */
  protected throwPending(): void {
    const err = this.pendingError;
    if (!err) return;
    this.pendingError = 0;
    throw new SyscallError(err);
  }

  /** Something a waiting call depends on changed (data came, a connection, an error). */
  protected changed(): void {
    this.generation++;
    this.p.host.changed();
  }

  /** Binds, or starts binding (then settled() says when it is done). */
  bind(_a: SockAddr): void { throw new SyscallError(E.OPNOTSUPP); }
  /** The outcome of a bind, listen or connect Node is doing: undefined while under way, else 0
   *  or an errno. */
  settled(): number | undefined { return 0; }
  listen(_backlog: number): void { throw new SyscallError(E.OPNOTSUPP); }
  accept(): GuestSocket { throw new SyscallError(E.OPNOTSUPP); }
  /** Starts a connection: 0 when connected, -EINPROGRESS while under way (the call waits for
   *  connectDone unless non-blocking), undefined when the call waits for it in any case. */
  abstract connect(a: SockAddr): number | undefined;
  /** A connection's outcome: undefined while under way, else 0 or an errno (as settled()). */
  connectDone(): number | undefined { return 0; }
  abstract recv(dst: Uint8Array, off: number, len: number, flags: number): Received;
  abstract send(src: Uint8Array, off: number, len: number, flags: number, to?: SockAddr): number;
  shutdown(_how: number): void { throw new SyscallError(E.NOTCONN); }
  abstract localAddr(): SockAddr;
  abstract peerAddr(): SockAddr;
  /** Applies an option the socket acts on (TCP_NODELAY...); all are also kept in `options`. */
  applyOption(_key: number, _value: number): void {}

  read(dst: Uint8Array, off: number, len: number, pos?: number): number {
    if (pos !== undefined) throw new SyscallError(E.SPIPE);
    return this.recv(dst, off, len, 0).n;
  }

  write(src: Uint8Array, off: number, len: number, pos?: number): number {
    if (pos !== undefined) throw new SyscallError(E.SPIPE);
    return this.send(src, off, len, 0);
  }

  stat(): StatInfo {
    return { ...anonInodeStat(), ino: this.ino, mode: BigInt(S_IFSOCK | 0o777), blksize: 4096n };
  }
}
