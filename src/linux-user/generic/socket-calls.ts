// The socket calls (socket(2) and its family) over the socket kinds of guest-socket.ts. Calls
// that Node completes asynchronously (bind, listen, connect, and transfers that would block)
// wait through LinuxProcess.waitFor, so a socket needs the main thread's event loop: creating
// one moves the process to it (thread-host.ts).
import { E, SyscallError } from './errno.js';
import { blocking, iovecs, MAX_IO } from './io-calls.js';
import { DatagramSocket } from './datagram-socket.js';
import {
  GuestSocket, IPPROTO_IPV6, IPPROTO_TCP, IPV6_V6ONLY, MSG_CMSG_CLOEXEC, MSG_DONTWAIT, MSG_EOR, MSG_MORE, MSG_NOSIGNAL, MSG_PEEK,
  MSG_TRUNC, MSG_WAITALL, Received, SHUT_RDWR, SOL_SOCKET, SO_KEEPALIVE, TCP_NODELAY, optKey,
} from './guest-socket.js';
import type { LinuxProcess } from './process.js';
import { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, SockAddr, readSockAddr, writeSockAddr } from './socket-address.js';
import { SocketPairEnd } from './socket-pair.js';
import { StreamSocket } from './stream-socket.js';
import { readStruct, writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';

const SOCK_TYPE_MASK = 0xf;
const IPPROTO_IP = 0, IPPROTO_UDP = 17;
// The other SOL_SOCKET options (include/uapi/asm-generic/socket.h).
const SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8;
const SO_OOBINLINE = 10, SO_PRIORITY = 12, SO_LINGER = 13, SO_REUSEPORT = 15, SO_RCVLOWAT = 18;
const SO_PEERCRED = 17, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21, SO_ACCEPTCONN = 30, SO_PROTOCOL = 38, SO_DOMAIN = 39;
const SO_RCVTIMEO_NEW = 66, SO_SNDTIMEO_NEW = 67;
// IPPROTO_TCP and IPPROTO_IP options (include/uapi/linux/tcp.h, in.h).
const TCP_MAXSEG = 2, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5, TCP_KEEPCNT = 6, TCP_QUICKACK = 12;
const IP_TOS = 1, IP_TTL = 2;

/** Options kept as plain ints, with what getsockopt reports before any setsockopt. */
const INT_OPTIONS = new Map<number, number>([
  [optKey(SOL_SOCKET, SO_REUSEADDR), 0], [optKey(SOL_SOCKET, SO_KEEPALIVE), 0], [optKey(SOL_SOCKET, SO_BROADCAST), 0],
  [optKey(SOL_SOCKET, SO_OOBINLINE), 0], [optKey(SOL_SOCKET, SO_PRIORITY), 0], [optKey(SOL_SOCKET, SO_REUSEPORT), 0],
  [optKey(SOL_SOCKET, SO_RCVLOWAT), 1],
  [optKey(IPPROTO_TCP, TCP_NODELAY), 0], [optKey(IPPROTO_TCP, TCP_MAXSEG), 536], [optKey(IPPROTO_TCP, TCP_CORK), 0],
  [optKey(IPPROTO_TCP, TCP_KEEPIDLE), 7200], [optKey(IPPROTO_TCP, TCP_KEEPINTVL), 75], [optKey(IPPROTO_TCP, TCP_KEEPCNT), 9],
  [optKey(IPPROTO_TCP, TCP_QUICKACK), 1],
  [optKey(IPPROTO_IP, IP_TOS), 0], [optKey(IPPROTO_IP, IP_TTL), 64], [optKey(IPPROTO_IPV6, IPV6_V6ONLY), 0],
]);
/** Of those, the flags: any non-zero value is kept as 1 (as the kernel's sock_valbool_flag). */
const BOOL_OPTIONS = new Set([
  optKey(SOL_SOCKET, SO_REUSEADDR), optKey(SOL_SOCKET, SO_KEEPALIVE), optKey(SOL_SOCKET, SO_BROADCAST),
  optKey(SOL_SOCKET, SO_REUSEPORT), optKey(IPPROTO_TCP, TCP_NODELAY), optKey(IPPROTO_IPV6, IPV6_V6ONLY),
]);
/** Buffer sizes: Linux keeps twice what is set, with these floors, and these defaults
 *  (net.ipv4.tcp_rmem/tcp_wmem's middle values; rmem_default for the others). */
const BUF_FLOOR = { [SO_SNDBUF]: 4608, [SO_RCVBUF]: 2304 } as Record<number, number>;
function defaultBuf(s: GuestSocket, name: number): number {
  if (s.type !== SOCK_STREAM || s.family === AF_UNIX) return 212992;
  return name === SO_SNDBUF ? 16384 : 131072;
}

function socketOf(p: LinuxProcess, fd: number): GuestSocket {
  const f = p.fds.get(fd);
  if (!(f instanceof GuestSocket)) throw new SyscallError(E.NOTSOCK);
  return f;
}

/** Sets SOCK_NONBLOCK's effect on a new socket (F_GETFL shows it too). */
function withFlags(p: LinuxProcess, s: GuestSocket, nonblock: boolean): GuestSocket {
  s.nonblock = nonblock;
  if (nonblock) s.flags |= p.arch.openFlags.O_NONBLOCK;
  return s;
}

function install(p: LinuxProcess, s: GuestSocket, flags: { nonblock: boolean; cloexec: boolean }): number {
  return p.fds.add(withFlags(p, s, flags.nonblock), flags.cloexec);
}

function socket(p: LinuxProcess, domain: number, type: number, protocol: number): number {
  const flags = p.createFlags(type & ~SOCK_TYPE_MASK);
  const kind = type & SOCK_TYPE_MASK;
  let s: GuestSocket;
  if (domain === AF_INET || domain === AF_INET6) {
    if (kind === SOCK_STREAM && (protocol === 0 || protocol === IPPROTO_TCP)) s = new StreamSocket(p, domain, IPPROTO_TCP);
    else if (kind === SOCK_DGRAM && (protocol === 0 || protocol === IPPROTO_UDP)) s = new DatagramSocket(p, domain, IPPROTO_UDP);
    else throw new SyscallError(kind === SOCK_STREAM || kind === SOCK_DGRAM ? E.PROTONOSUPPORT : E.SOCKTNOSUPPORT);
  } else if (domain === AF_UNIX) {
    // Node has Unix stream sockets only; datagram ones exist here as socketpairs.
    if (kind === SOCK_STREAM && protocol === 0) s = new StreamSocket(p, domain, 0);
    else throw new SyscallError(kind === SOCK_DGRAM || kind === SOCK_SEQPACKET ? E.SOCKTNOSUPPORT : E.PROTONOSUPPORT);
  } else throw new SyscallError(E.AFNOSUPPORT);
  // Node's sockets report through the main thread's event loop.
  p.host.needEventLoop();
  return install(p, s, flags);
}

function socketpair(p: LinuxProcess, domain: number, type: number, protocol: number, sv: number): number {
  const { nonblock, cloexec } = p.createFlags(type & ~SOCK_TYPE_MASK);
  const kind = type & SOCK_TYPE_MASK;
  if (domain !== AF_UNIX) throw new SyscallError(domain === AF_INET || domain === AF_INET6 ? E.OPNOTSUPP : E.AFNOSUPPORT);
  if (kind !== SOCK_STREAM && kind !== SOCK_DGRAM && kind !== SOCK_SEQPACKET) throw new SyscallError(E.SOCKTNOSUPPORT);
  if (protocol !== 0) throw new SyscallError(E.PROTONOSUPPORT);
  p.mem.check(sv, 8, true);
  const [a, b] = SocketPairEnd.pair(p, kind);
  const [fa, fb] = p.fds.addPair(withFlags(p, a, nonblock), withFlags(p, b, nonblock), cloexec);
  p.mem.writeU32(sv, fa);
  p.mem.writeU32(sv + 4, fb);
  return 0;
}

/** Waits until a bind, listen or connect Node is doing has settled (`done` gives 0 or an
 *  errno then); the call's result. A signal handler interrupts the wait with EINTR, and what
 *  Node does goes on (a connect retried then says EALREADY). */
function settle(p: LinuxProcess, done: () => number | undefined): number {
  const result = (): number | undefined => {
    const errno = done();
    return errno === undefined ? undefined : errno === 0 ? 0 : -errno;
  };
  return result() ?? Number(p.waitFor({ poll: result, interrupted: () => -E.INTR }));
}

function bind(p: LinuxProcess, fd: number, addr: number, len: number): number {
  const s = socketOf(p, fd);
  s.bind(readSockAddr(p, addr, len));
  return settle(p, () => s.settled());
}

function listen(p: LinuxProcess, fd: number, backlog: number): number {
  const s = socketOf(p, fd);
  s.listen(backlog);
  return settle(p, () => s.settled());
}

function accept(p: LinuxProcess, fd: number, addr: number, lenp: number, flags: number): number {
  const s = socketOf(p, fd);
  const f = p.createFlags(flags);
  if (addr) p.mem.check(lenp, 4, true);
  // All of the call happens in the attempt: a call that waited completes with its result.
  return blocking(p, s, true, () => {
    const conn = s.accept();
    const newFd = install(p, conn, f);
    writeSockAddr(p, addr, lenp, conn.peerAddr());
    return newFd;
  }, timeoutOf(s, SO_RCVTIMEO));
}

function connect(p: LinuxProcess, fd: number, addr: number, len: number): number {
  const s = socketOf(p, fd);
  const r = s.connect(readSockAddr(p, addr, len));
  if (r !== undefined && (r !== -E.INPROGRESS || s.nonblock)) return r;
  return settle(p, () => s.connectDone());
}

function getsockname(p: LinuxProcess, fd: number, addr: number, lenp: number): number {
  writeSockAddr(p, addr, lenp, socketOf(p, fd).localAddr());
  return 0;
}

function getpeername(p: LinuxProcess, fd: number, addr: number, lenp: number): number {
  writeSockAddr(p, addr, lenp, socketOf(p, fd).peerAddr());
  return 0;
}

const KNOWN_MSG_FLAGS = MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT | MSG_WAITALL | MSG_EOR | MSG_NOSIGNAL | MSG_MORE | MSG_CMSG_CLOEXEC;

/** SO_RCVTIMEO/SO_SNDTIMEO in milliseconds (0: none). */
function timeoutOf(s: GuestSocket, name: number): number {
  return s.options.get(optKey(SOL_SOCKET, name)) ?? 0;
}

/** Sends `data` (the bytes send, sendto and sendmsg read from the guest). */
function sendFrom(p: LinuxProcess, s: GuestSocket, data: Uint8Array, flags: number, to?: SockAddr): number {
  if (flags & ~KNOWN_MSG_FLAGS) throw new SyscallError(E.OPNOTSUPP);
  p.current.noSigpipe = (flags & MSG_NOSIGNAL) !== 0;
  return blocking(p, s, !(flags & MSG_DONTWAIT), () => s.send(data, 0, data.length, flags, to), timeoutOf(s, SO_SNDTIMEO));
}

/** Receives up to len bytes and hands them and the sender to `deliver`, which writes them to
 *  the guest; within the attempt, so that a call that waited does it when it completes. */
function recvWith(p: LinuxProcess, s: GuestSocket, len: number, flags: number, deliver: (data: Uint8Array, r: Received) => void): number {
  if (flags & ~KNOWN_MSG_FLAGS) throw new SyscallError(E.OPNOTSUPP);
  const data = new Uint8Array(Math.min(len, MAX_IO));
  return blocking(p, s, !(flags & MSG_DONTWAIT), () => {
    const r = s.recv(data, 0, data.length, flags);
    deliver(data, r);
    return r.n;
  }, timeoutOf(s, SO_RCVTIMEO));
}

function sendto(p: LinuxProcess, fd: number, buf: number, len: number, flags: number, addr: number, alen: number): number {
  const s = socketOf(p, fd);
  const to = addr && s.type !== SOCK_STREAM ? readSockAddr(p, addr, alen) : undefined;
  return sendFrom(p, s, p.mem.read(buf, Math.min(len, MAX_IO)), flags, to);
}

function recvfrom(p: LinuxProcess, fd: number, buf: number, len: number, flags: number, addr: number, lenp: number): number {
  const s = socketOf(p, fd);
  p.mem.check(buf, Math.min(len, MAX_IO), true);
  if (addr) p.mem.check(lenp, 4, true);
  return recvWith(p, s, len, flags, (data, r) => {
    p.mem.write(buf, data.subarray(0, Math.min(r.n, data.length)));
    if (!addr) return;
    if (r.from) writeSockAddr(p, addr, lenp, r.from);
    else p.mem.writeU32(lenp, 0);
  });
}

function sendmsg(p: LinuxProcess, fd: number, msg: number, flags: number): number {
  const s = socketOf(p, fd);
  const m = readStruct(p.mem, msg, p.layouts.msghdr);
  // Passing fds or credentials between processes is not done by this layer.
  if (m.controllen) throw new SyscallError(E.OPNOTSUPP);
  const parts = iovecs(p, m.iov, m.iovlen).map((v) => p.mem.read(v.base, v.len));
  const data = Buffer.concat(parts);
  const to = m.name && s.type !== SOCK_STREAM ? readSockAddr(p, m.name, m.namelen) : undefined;
  return sendFrom(p, s, data, flags, to);
}

function recvmsg(p: LinuxProcess, fd: number, msg: number, flags: number): number {
  const s = socketOf(p, fd);
  const l = p.layouts.msghdr;
  const m = readStruct(p.mem, msg, l);
  const iov = iovecs(p, m.iov, m.iovlen);
  for (const v of iov) p.mem.check(v.base, v.len, true);
  return recvWith(p, s, iov.reduce((n, v) => n + v.len, 0), flags, (data, r) => {
    let at = 0;
    const copied = Math.min(r.n, data.length);
    for (const v of iov) {
      if (at >= copied) break;
      const n = Math.min(v.len, copied - at);
      p.mem.write(v.base, data.subarray(at, at + n));
      at += n;
    }
    const namelenAt = msg + l.fields.namelen.offset;
    let namelen = 0;
    if (m.name && r.from) {
      writeSockAddr(p, m.name, namelenAt, r.from);
      namelen = p.mem.readU32(namelenAt);
    }
    const truncated = r.full !== undefined && r.full > data.length;
    writeStruct(p.mem, msg, l, { ...m, namelen, controllen: 0, flags: truncated ? MSG_TRUNC : 0 });
  });
}

function shutdown(p: LinuxProcess, fd: number, how: number): number {
  const s = socketOf(p, fd);
  if (how < 0 || how > SHUT_RDWR) throw new SyscallError(E.INVAL);
  s.shutdown(how);
  return 0;
}

/** The option keys setsockopt takes as a struct timeval (seconds, microseconds). */
function isTimeout(level: number, name: number): boolean {
  return level === SOL_SOCKET && (name === SO_RCVTIMEO || name === SO_SNDTIMEO || name === SO_RCVTIMEO_NEW || name === SO_SNDTIMEO_NEW);
}

/** A timeout option's timeval: of longs for the old names, of 64-bit fields for the _NEW ones
 *  (32-bit arches); and the key its milliseconds are kept under. */
function timeoutOption(p: LinuxProcess, name: number): { wide: boolean; key: number } {
  const recv = name === SO_RCVTIMEO || name === SO_RCVTIMEO_NEW;
  return {
    wide: name === SO_RCVTIMEO_NEW || name === SO_SNDTIMEO_NEW || p.arch.wordBits === 64,
    key: optKey(SOL_SOCKET, recv ? SO_RCVTIMEO : SO_SNDTIMEO),
  };
}

/** Whether an int option applies to this kind of socket (TCP options to stream sockets, IPv6
 *  ones to AF_INET6 sockets). */
function intOptionFor(s: GuestSocket, level: number, key: number): boolean {
  return INT_OPTIONS.has(key) && !(level === IPPROTO_TCP && s.type !== SOCK_STREAM) && !(level === IPPROTO_IPV6 && s.family !== AF_INET6);
}

function setsockopt(p: LinuxProcess, fd: number, level: number, name: number, val: number, len: number): number {
  const s = socketOf(p, fd);
  const key = optKey(level, name);
  if (len < 0) throw new SyscallError(E.INVAL);
  if (isTimeout(level, name)) {
    const { wide, key: msKey } = timeoutOption(p, name);
    const w = wide ? 8 : 4;
    if (len < 2 * w) throw new SyscallError(E.INVAL);
    const sec = wide ? Number(p.mem.readU64(val)) : p.mem.readI32(val);
    const usec = wide ? Number(p.mem.readU64(val + 8)) : p.mem.readI32(val + 4);
    if (usec < 0 || usec >= 1e6) throw new SyscallError(E.DOM);
    s.options.set(msKey, sec < 0 ? 0 : sec * 1000 + Math.ceil(usec / 1000));
    return 0;
  }
  if (level === SOL_SOCKET && name === SO_LINGER) {
    if (len < 8) throw new SyscallError(E.INVAL);
    s.options.set(key, p.mem.readI32(val) ? p.mem.readI32(val + 4) : -1);
    return 0;
  }
  if (len < 4) throw new SyscallError(E.INVAL);
  const v = p.mem.readI32(val);
  if (level === SOL_SOCKET && (name === SO_SNDBUF || name === SO_RCVBUF)) {
    s.options.set(key, Math.max(BUF_FLOOR[name], Math.min(v, 0x7fffffff / 2) * 2));
    return 0;
  }
  if (!intOptionFor(s, level, key)) throw new SyscallError(E.NOPROTOOPT);
  const value = BOOL_OPTIONS.has(key) ? Number(v !== 0) : v;
  s.options.set(key, value);
  s.applyOption(key, value);
  return 0;
}

function getsockopt(p: LinuxProcess, fd: number, level: number, name: number, val: number, lenp: number): number {
  const s = socketOf(p, fd);
  const room = p.mem.readI32(lenp);
  if (room < 0) throw new SyscallError(E.INVAL);
  const key = optKey(level, name);
  let out: Buffer;
  const int = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32LE(v); return b; };
  if (isTimeout(level, name)) {
    const { wide, key: msKey } = timeoutOption(p, name);
    const ms = s.options.get(msKey) ?? 0;
    out = Buffer.alloc(wide ? 16 : 8);
    if (wide) { out.writeBigInt64LE(BigInt(Math.floor(ms / 1000))); out.writeBigInt64LE(BigInt((ms % 1000) * 1000), 8); }
    else { out.writeInt32LE(Math.floor(ms / 1000)); out.writeInt32LE((ms % 1000) * 1000, 4); }
  } else if (level === SOL_SOCKET && name === SO_LINGER) {
    const l = s.options.get(key) ?? -1;
    out = Buffer.alloc(8);
    out.writeInt32LE(l >= 0 ? 1 : 0);
    out.writeInt32LE(Math.max(l, 0), 4);
  } else if (level === SOL_SOCKET && name === SO_PEERCRED && s instanceof SocketPairEnd) {
    // struct ucred: the creator of the pair, which is this process or its forked parent.
    out = Buffer.alloc(12);
    out.writeInt32LE(s.creator);
    out.writeInt32LE(process.getuid?.() ?? 0, 4);
    out.writeInt32LE(process.getgid?.() ?? 0, 8);
  } else if (level === SOL_SOCKET && [SO_TYPE, SO_ERROR, SO_SNDBUF, SO_RCVBUF, SO_ACCEPTCONN, SO_PROTOCOL, SO_DOMAIN].includes(name)) {
    switch (name) {
      case SO_TYPE: out = int(s.type); break;
      case SO_ERROR: out = int(s.pendingError); s.pendingError = 0; break;
      case SO_SNDBUF: case SO_RCVBUF: out = int(s.options.get(key) ?? defaultBuf(s, name)); break;
      case SO_ACCEPTCONN: out = int(s instanceof StreamSocket && s.isListening ? 1 : 0); break;
      case SO_PROTOCOL: out = int(s.protocol); break;
      default: out = int(s.family);
    }
  } else if (intOptionFor(s, level, key)) {
    out = int(s.options.get(key) ?? INT_OPTIONS.get(key)!);
  } else throw new SyscallError(E.NOPROTOOPT);
  p.mem.write(val, out.subarray(0, Math.min(room, out.length)));
  p.mem.writeU32(lenp, Math.min(room, out.length));
  return 0;
}

export const SOCKET_CALLS: Record<string, SyscallImpl> = {
  socket: { args: ['int', 'int', 'int'], fn: socket },
  socketpair: { args: ['int', 'int', 'int', 'ptr'], fn: socketpair },
  bind: { args: ['fd', 'ptr', 'uint'], fn: bind },
  listen: { args: ['fd', 'int'], fn: listen },
  accept: { args: ['fd', 'ptr', 'ptr'], fn: (p, fd, addr, lenp) => accept(p, fd, addr, lenp, 0) },
  accept4: { args: ['fd', 'ptr', 'ptr', 'int'], fn: accept },
  connect: { args: ['fd', 'ptr', 'uint'], fn: connect },
  getsockname: { args: ['fd', 'ptr', 'ptr'], fn: getsockname },
  getpeername: { args: ['fd', 'ptr', 'ptr'], fn: getpeername },
  sendto: { args: ['fd', 'buf', 'ulong', 'hex', 'ptr', 'uint'], fn: sendto },
  send: { args: ['fd', 'buf', 'ulong', 'hex'], fn: (p, fd, buf, len, flags) => sendto(p, fd, buf, len, flags, 0, 0) },
  recvfrom: { args: ['fd', 'buf', 'ulong', 'hex', 'ptr', 'ptr'], fn: recvfrom },
  recv: { args: ['fd', 'buf', 'ulong', 'hex'], fn: (p, fd, buf, len, flags) => recvfrom(p, fd, buf, len, flags, 0, 0) },
  sendmsg: { args: ['fd', 'ptr', 'hex'], fn: sendmsg },
  recvmsg: { args: ['fd', 'ptr', 'hex'], fn: recvmsg },
  shutdown: { args: ['fd', 'int'], fn: shutdown },
  setsockopt: { args: ['fd', 'int', 'int', 'ptr', 'uint'], fn: setsockopt },
  getsockopt: { args: ['fd', 'int', 'int', 'ptr', 'ptr'], fn: getsockopt },
};
