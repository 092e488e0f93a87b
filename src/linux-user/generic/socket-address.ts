// Socket addresses as the guest passes them (struct sockaddr_in, sockaddr_in6, sockaddr_un) and
// as Node takes them (address strings, ports, paths). The layouts are the same on every arch:
// family in host order, port and IPv4/IPv6 address in network order (include/uapi/linux/in.h,
// in6.h, un.h).
import { E, SyscallError } from './errno.js';
import { netModule } from './host-modules.js';
import type { LinuxProcess } from './process.js';

// Address families and socket types (include/linux/socket.h, include/linux/net.h).
export const AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
export const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;

const SOCKADDR_IN = 16, SOCKADDR_IN6 = 28, SUN_PATH = 108;
/** Bound on any sockaddr the guest passes (sizeof(struct sockaddr_storage)). */
const SOCKADDR_MAX = 128;

/** A decoded address: IP family with a Node address string and port, or a Unix path (an
 *  abstract name starts with NUL, as Node takes it; '' is unnamed), or AF_UNSPEC (connect's
 *  "dissolve the association"). */
export type IpAddr = { family: typeof AF_INET | typeof AF_INET6; address: string; port: number };
export type SockAddr = IpAddr | { family: typeof AF_UNIX; path: string } | { family: typeof AF_UNSPEC };

/** `a` as an address of an IP socket of `family`. */
export function ipAddr(a: SockAddr, family: number): IpAddr {
  if (a.family !== family || a.family === AF_UNIX || a.family === AF_UNSPEC) throw new SyscallError(E.AFNOSUPPORT);
  return a;
}

export function readSockAddr(p: LinuxProcess, ptr: number, len: number): SockAddr {
  if (len < 2 || len > SOCKADDR_MAX) throw new SyscallError(E.INVAL);
  const b = Buffer.from(p.mem.read(ptr, len));
  const family = b.readUInt16LE(0);
  if (family === AF_INET) {
    if (len < SOCKADDR_IN) throw new SyscallError(E.INVAL);
    return { family, port: b.readUInt16BE(2), address: [...b.subarray(4, 8)].join('.') };
  }
  if (family === AF_INET6) {
    if (len < 24) throw new SyscallError(E.INVAL); // SIN6_LEN_RFC2133: without sin6_scope_id
    const words = [];
    for (let i = 0; i < 8; i++) words.push(b.readUInt16BE(8 + 2 * i).toString(16));
    return { family, port: b.readUInt16BE(2), address: words.join(':') };
  }
  if (family === AF_UNSPEC) return { family };
  if (family === AF_UNIX) {
    const raw = b.subarray(2, Math.min(len, 2 + SUN_PATH));
    // A pathname ends at its NUL; an abstract name (leading NUL) is all the bytes given.
    const end = raw[0] === 0 ? raw.length : (raw.indexOf(0) + 1 || raw.length + 1) - 1;
    const name = raw.subarray(0, end).toString('latin1');
    return { family, path: raw[0] === 0 || name === '' ? name : p.socketPath(name) };
  }
  throw new SyscallError(E.AFNOSUPPORT);
}

/** The bytes of `a` as a sockaddr; an IPv4 address on an AF_INET6 socket is v4-mapped. */
export function encodeSockAddr(a: SockAddr): Buffer {
  if (a.family === AF_UNSPEC) return Buffer.alloc(2);
  if (a.family === AF_UNIX) {
    if (a.path === '') return Buffer.from([AF_UNIX, 0]);
    const name = Buffer.from(a.path, 'latin1');
    // A pathname's length counts its terminating NUL; an abstract name's does not.
    const b = Buffer.alloc(2 + name.length + (name[0] === 0 ? 0 : 1));
    b.writeUInt16LE(AF_UNIX, 0);
    name.copy(b, 2);
    return b;
  }
  if (a.family === AF_INET) {
    const b = Buffer.alloc(SOCKADDR_IN);
    b.writeUInt16LE(AF_INET, 0);
    b.writeUInt16BE(a.port, 2);
    a.address.split('.').forEach((o, i) => { b[4 + i] = Number(o); });
    return b;
  }
  const b = Buffer.alloc(SOCKADDR_IN6);
  b.writeUInt16LE(AF_INET6, 0);
  b.writeUInt16BE(a.port, 2);
  ipv6Bytes(a.address).copy(b, 8);
  return b;
}

/** The 16 bytes of an IPv6 address string (with '::', an embedded IPv4 tail, or a zone). */
function ipv6Bytes(address: string): Buffer {
  const out = Buffer.alloc(16);
  let text = address.replace(/%.*$/, '');
  const tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (tail) {
    const o = tail[1].split('.').map(Number);
    text = text.slice(0, -tail[1].length) + ((o[0] << 8) | o[1]).toString(16) + ':' + ((o[2] << 8) | o[3]).toString(16);
  }
  const [head, rest] = text.split('::');
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const words = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill('0'), ...r];
  words.forEach((w, i) => out.writeUInt16BE(parseInt(w, 16) || 0, 2 * i));
  return out;
}

/** The wildcard address of an IP family, as Node takes it. */
export const anyAddress = (family: number): string => (family === AF_INET6 ? '::' : '0.0.0.0');

/** A Node-reported address on a socket of `family`: IPv4 ones on AF_INET6 become v4-mapped. */
export function nodeAddr(family: number, address: string, port: number): SockAddr {
  if (family === AF_INET6 && netModule().isIPv4(address)) return { family: AF_INET6, address: '::ffff:' + address, port };
  return { family: family === AF_INET6 ? AF_INET6 : AF_INET, address, port };
}

/** Writes `a` to the guest's (addr, addrlen) pair as accept, getsockname and recvfrom do: at
 *  most *addrlen bytes, and the full length back into *addrlen. addr 0 asks for nothing. */
export function writeSockAddr(p: LinuxProcess, ptr: number, lenPtr: number, a: SockAddr): void {
  if (!ptr) return;
  const room = p.mem.readU32(lenPtr) | 0;
  if (room < 0) throw new SyscallError(E.INVAL);
  const b = encodeSockAddr(a);
  p.mem.write(ptr, b.subarray(0, Math.min(room, b.length)));
  p.mem.writeU32(lenPtr, b.length);
}
