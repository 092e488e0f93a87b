// poll, ppoll, select and pselect6 over the fds the layer has (OpenFile.pollMask). The guest's
// own pipes and signalfds are the files whose readiness can be "not yet"; a call that finds
// nothing ready waits (LinuxProcess.waitFor) until something is, its timeout passes or a signal
// handler interrupts it. Signal masks passed to ppoll/pselect6 are checked, not yet applied.
import { E, ERESTARTNOHAND, SyscallError } from './errno.js';
import { MAX_FDS } from './fd-table.js';
import { OpenFile, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { readStruct, writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';
import { readTimespec } from './time-calls.js';
import { deadlineAfterNs } from './blocking.js';

/** struct pollfd { int fd; short events; short revents; }: 8 bytes on every arch. */
const POLLFD_SIZE = 8;
// What select's three sets wait for, as Linux's fs/select.c POLL*_SET.
const IN_SET = POLLIN | POLLRDNORM | POLLHUP | POLLERR;
const OUT_SET = POLLOUT | POLLWRNORM | POLLERR;
const EX_SET = POLLPRI;

/** A timeout in nanoseconds; -1n waits forever. */
type Timeout = bigint;

/** How often a wait on `files` looks again by itself: some say when, none of them (a pipe
 *  shared with another process) tell the loop when they become ready. */
export function repollOf(files: Iterable<OpenFile>): number | undefined {
  let ms: number | undefined;
  for (const f of files) {
    const r = f.repollMs;
    if (r !== undefined && (ms === undefined || r < ms)) ms = r;
  }
  return ms;
}

/** The open files of those of `fds` the process has. */
function filesOf(p: LinuxProcess, fds: number[]): OpenFile[] {
  return fds.filter((fd) => fd >= 0 && p.fds.has(fd)).map((fd) => p.fds.get(fd));
}

/** Runs `check` (a count of ready fds, having written the results) until it finds some, the
 *  timeout passes (then it runs once more, and `expired` writes back the time left, zero) or a
 *  handler interrupts. */
function waitReady(p: LinuxProcess, timeout: Timeout, check: () => number, expired?: () => void, repollMs?: number): number | bigint {
  const first = check();
  if (first > 0 && timeout !== 0n) p.host.eventLoopTurn(p.current);
  if (first > 0 || timeout === 0n) return first;
  return p.waitFor({
    repollMs,
    poll: () => {
      const n = check();
      return n > 0 ? n : undefined;
    },
    deadline: timeout < 0n ? undefined : deadlineAfterNs(timeout),
    timeout: () => {
      const n = check();
      if (n === 0) expired?.();
      return n;
    },
    interrupted: () => -ERESTARTNOHAND,
  });
}

function doPoll(p: LinuxProcess, fds: number, nfds: number, timeout: Timeout, expired?: () => void): number | bigint {
  if (nfds < 0 || nfds > MAX_FDS) throw new SyscallError(E.INVAL);
  const raw = p.mem.read(fds, nfds * POLLFD_SIZE);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return waitReady(p, timeout, () => {
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
    p.mem.write(fds, raw);
    return ready;
  }, expired, repollOf(filesOf(p, Array.from({ length: nfds }, (_, i) => dv.getInt32(i * POLLFD_SIZE, true)))));
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

/** What a call that waited out its timeout writes back: the time left, zero. */
const zeroTimeout = (p: LinuxProcess, addr: number, layout: 'timespec' | 'timeval') => (): void => {
  if (addr) writeStruct(p.mem, addr, p.layouts[layout], {});
};

function checkSigset(p: LinuxProcess, set: number, size: number): void {
  if (set && size !== p.arch.sigsetSize) throw new SyscallError(E.INVAL);
}

/** select's fd_set: nfds bits in whole longs, little-endian on every arch the layer has, so bit
 *  n is byte n/8's bit n%8. */
function doSelect(p: LinuxProcess, nfds: number, sets: number[], timeout: Timeout, expired?: () => void): number | bigint {
  if (nfds < 0) throw new SyscallError(E.INVAL);
  nfds = Math.min(nfds, MAX_FDS);
  const word = p.arch.wordBits;
  const bytes = Math.ceil(nfds / word) * (word / 8);
  const wanted = sets.map((a) => (a ? p.mem.read(a, bytes) : undefined));
  const masks = [IN_SET, OUT_SET, EX_SET];
  return waitReady(p, timeout, () => {
    const got = wanted.map((w) => (w ? new Uint8Array(bytes) : undefined));
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
    got.forEach((g, i) => { if (g) p.mem.write(sets[i], g); });
    return ready;
  }, expired, repollOf(filesOf(p, Array.from({ length: nfds }, (_, fd) => (wanted.some((w) => w && w[fd >> 3] & (1 << (fd & 7))) ? fd : -1)))));
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
      return doPoll(p, fds, nfds, timeoutAt(p, tsp, 'timespec'), zeroTimeout(p, tsp, 'timespec'));
    },
  },
  pselect6: {
    args: ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'],
    straceRaw: true,
    fn: (p, nfds, r, w, x, tsp, sig) => {
      pselectSigmask(p, sig);
      return doSelect(p, nfds, [r, w, x], timeoutAt(p, tsp, 'timespec'), zeroTimeout(p, tsp, 'timespec'));
    },
  },
  select: {
    args: ['int', 'ptr', 'ptr', 'ptr', 'ptr'],
    straceRaw: true,
    fn: (p, nfds, r, w, x, tvp) => {
      return doSelect(p, nfds, [r, w, x], timeoutAt(p, tvp, 'timeval'), zeroTimeout(p, tvp, 'timeval'));
    },
  },
};
