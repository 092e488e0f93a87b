// poll, ppoll, select and pselect6 over the fds the layer has (OpenFile.pollMask). The guest is
// one thread and its own pipes are the only files whose readiness can be "not yet", so nothing
// can change while a call waits: a call that finds nothing ready sleeps out its timeout and
// returns 0, and one that would wait forever fails with EAGAIN instead of hanging (as a read of
// an empty pipe with a writer does). Signal masks passed to ppoll/pselect6 are checked and then
// have nothing to do: no signal arrives asynchronously during the call.
import { E, SyscallError } from './errno.js';
import { MAX_FDS } from './fd-table.js';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { readStruct, writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';
import { readTimespec, sleepNs } from './time-calls.js';

/** struct pollfd { int fd; short events; short revents; }: 8 bytes on every arch. */
const POLLFD_SIZE = 8;
// What select's three sets wait for, as Linux's fs/select.c POLL*_SET.
const IN_SET = POLLIN | POLLRDNORM | POLLHUP | POLLERR;
const OUT_SET = POLLOUT | POLLWRNORM | POLLERR;
const EX_SET = POLLPRI;

/** A timeout in nanoseconds; -1n waits forever. */
type Timeout = bigint;

/** Sleeps out a timeout when nothing was ready (see the header). */
function waitNothingReady(timeout: Timeout): void {
  if (timeout < 0n) throw new SyscallError(E.AGAIN);
  sleepNs(timeout);
}

function doPoll(p: LinuxProcess, fds: number, nfds: number, timeout: Timeout): number {
  if (nfds < 0 || nfds > MAX_FDS) throw new SyscallError(E.INVAL);
  const raw = p.mem.read(fds, nfds * POLLFD_SIZE);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let ready = 0;
  for (let i = 0; i < nfds; i++) {
    const fd = dv.getInt32(i * POLLFD_SIZE, true);
    const events = dv.getUint16(i * POLLFD_SIZE + 4, true);
    let revents = 0;
    if (fd >= 0) {
      revents = p.fds.has(fd) ? p.fds.get(fd).pollMask() & (events | POLLERR | POLLHUP) : POLLNVAL;
    }
    dv.setUint16(i * POLLFD_SIZE + 6, revents, true);
    if (revents) ready++;
  }
  if (ready === 0 && timeout !== 0n) waitNothingReady(timeout);
  p.mem.write(fds, raw);
  return ready;
}

/** A timespec/timeval argument as a timeout (NULL: forever); when the call waited it out, the
 *  kernel writes back the time left, which is then zero. */
function timeoutAt(p: LinuxProcess, addr: number, layout: 'timespec' | 'timeval'): Timeout {
  if (!addr) return -1n;
  if (layout === 'timespec') return readTimespec(p, addr);
  const tv = readStruct(p.mem, addr, p.layouts.timeval);
  if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1e6) throw new SyscallError(E.INVAL);
  return BigInt(tv.sec) * 1000000000n + BigInt(tv.usec) * 1000n;
}

function clearTimeout(p: LinuxProcess, addr: number, layout: 'timespec' | 'timeval', result: number): void {
  if (addr && result === 0) writeStruct(p.mem, addr, p.layouts[layout], {});
}

function checkSigset(p: LinuxProcess, set: number, size: number): void {
  if (set && size !== p.arch.sigsetSize) throw new SyscallError(E.INVAL);
}

/** select's fd_set: nfds bits in whole longs, little-endian on every arch the layer has, so bit
 *  n is byte n/8's bit n%8. */
function doSelect(p: LinuxProcess, nfds: number, sets: number[], timeout: Timeout): number {
  if (nfds < 0) throw new SyscallError(E.INVAL);
  nfds = Math.min(nfds, MAX_FDS);
  const word = p.arch.wordBits;
  const bytes = Math.ceil(nfds / word) * (word / 8);
  const wanted = sets.map((a) => (a ? p.mem.read(a, bytes) : undefined));
  const got = wanted.map((w) => (w ? new Uint8Array(bytes) : undefined));
  const masks = [IN_SET, OUT_SET, EX_SET];
  let ready = 0;
  for (let fd = 0; fd < nfds; fd++) {
    const bit = 1 << (fd & 7);
    const asked = wanted.map((w) => (w ? w[fd >> 3] & bit : 0));
    if (!asked.some((x) => x)) continue;
    if (!p.fds.has(fd)) throw new SyscallError(E.BADF);
    const mask = p.fds.get(fd).pollMask();
    asked.forEach((x, i) => {
      if (x && mask & masks[i]) { got[i]![fd >> 3] |= bit; ready++; }
    });
  }
  if (ready === 0 && timeout !== 0n) waitNothingReady(timeout);
  got.forEach((g, i) => { if (g) p.mem.write(sets[i], g); });
  return ready;
}

/** pselect6's sixth argument: { const sigset_t *ss; size_t ss_len } in guest words. */
function pselectSigmask(p: LinuxProcess, addr: number): void {
  if (!addr) return;
  const w = p.arch.wordBits / 8;
  const readWord = (a: number): number => (w === 8 ? Number(p.mem.readU64(a)) : p.mem.readU32(a));
  checkSigset(p, readWord(addr), readWord(addr + w));
}

// qemu's -strace has no printer for these: it shows the raw registers (straceRaw).
export const POLL_CALLS: Record<string, SyscallImpl> = {
  poll: {
    args: ['ptr', 'uint', 'int'],
    straceRaw: true,
    fn: (p, fds, nfds, ms) => doPoll(p, fds, nfds, ms < 0 ? -1n : BigInt(ms) * 1000000n),
  },
  ppoll: {
    args: ['ptr', 'uint', 'ptr', 'ptr', 'sigsetsize'],
    straceRaw: true,
    fn: (p, fds, nfds, tsp, set, size) => {
      checkSigset(p, set, size);
      const r = doPoll(p, fds, nfds, timeoutAt(p, tsp, 'timespec'));
      clearTimeout(p, tsp, 'timespec', r);
      return r;
    },
  },
  pselect6: {
    args: ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'],
    straceRaw: true,
    fn: (p, nfds, r, w, x, tsp, sig) => {
      pselectSigmask(p, sig);
      const n = doSelect(p, nfds, [r, w, x], timeoutAt(p, tsp, 'timespec'));
      clearTimeout(p, tsp, 'timespec', n);
      return n;
    },
  },
  select: {
    args: ['int', 'ptr', 'ptr', 'ptr', 'ptr'],
    straceRaw: true,
    fn: (p, nfds, r, w, x, tvp) => {
      const n = doSelect(p, nfds, [r, w, x], timeoutAt(p, tvp, 'timeval'));
      clearTimeout(p, tvp, 'timeval', n);
      return n;
    },
  },
};
