// Clocks, sleeping and CPU accounting.
import { E, SyscallError } from './errno.js';
import type { LinuxProcess } from './process.js';
import { readStruct, writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';
import { deadlineAfterNs } from './blocking.js';

const NS = 1000000000n;
// Clock ids (include/uapi/linux/time.h).
const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;
const CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;
const CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9, CLOCK_TAI = 11;
const TIMER_ABSTIME = 1;
/** USER_HZ: the unit of times() and clock_t. */
const CLK_TCK = 100n;
/** The coarse clocks tick with the kernel's jiffies (HZ=250 on common configs). */
const COARSE_RES = 4000000n;

/** CLOCK_REALTIME minus the monotonic clock (process.hrtime: one clock for every thread), fixed
 *  at startup so both advance together. vCPU workers take the main thread's: Date.now() counts
 *  whole milliseconds, so each thread's own would differ by up to one, and a futex's
 *  CLOCK_REALTIME deadline (on the main thread) would pass early for the guest's clock_gettime
 *  (in its worker). */
let realOffset = BigInt(Date.now()) * 1000000n - process.hrtime.bigint();
export const realtimeOffset = (): bigint => realOffset;
export function adoptRealtimeOffset(ns: bigint): void {
  realOffset = ns;
}

function cpuNs(): bigint {
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
}

/** Nanoseconds on a guest clock, or EINVAL for a clock Linux does not have. */
export function clockNs(clk: number): bigint {
  switch (clk) {
    case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: case CLOCK_REALTIME_ALARM: case CLOCK_TAI:
      return realOffset + process.hrtime.bigint();
    case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME: case CLOCK_BOOTTIME_ALARM:
      return process.hrtime.bigint();
    case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID:
      return cpuNs();
    default:
      throw new SyscallError(E.INVAL);
  }
}

function writeTimespec(p: LinuxProcess, addr: number, ns: bigint): void {
  writeStruct(p.mem, addr, p.layouts.timespec, { sec: ns / NS, nsec: ns % NS });
}

/** A guest timespec as nanoseconds; EINVAL when out of range (man 2 nanosleep). */
export function readTimespec(p: LinuxProcess, addr: number): bigint {
  const t = readStruct(p.mem, addr, p.layouts.timespec);
  if (t.sec < 0 || t.nsec < 0 || t.nsec >= 1e9) throw new SyscallError(E.INVAL);
  return BigInt(t.sec) * NS + BigInt(t.nsec);
}

/** A sleep ends at its time, or early with EINTR for a signal handler, writing the time left to
 *  `rem` when relative (sleeps are never restarted after a handler: signal(7)). */
function clockNanosleep(p: LinuxProcess, clk: number, flags: number, req: number, rem: number): number | bigint {
  const t = readTimespec(p, req);
  const abs = (flags & TIMER_ABSTIME) !== 0;
  const ns = abs ? t - clockNs(clk) : t;
  if (ns <= 0n) return 0;
  const deadline = deadlineAfterNs(ns);
  return p.waitFor({
    poll: () => undefined,
    deadline,
    timeout: () => 0,
    interrupted: () => {
      if (!abs && rem) writeTimespec(p, rem, BigInt(Math.max(0, Math.round((deadline - performance.now()) * 1e6))));
      return -E.INTR;
    },
  });
}

/** A timespec as qemu's -strace shows it. */
export const timespecText = (p: LinuxProcess, addr: number): string => {
  const t = readStruct(p.mem, addr, p.layouts.timespec);
  return `{tv_sec = ${t.sec},tv_nsec = ${t.nsec}}`;
};

function rusage(): Record<string, number> {
  const r = process.resourceUsage();
  return {
    utime_sec: Math.floor(r.userCPUTime / 1e6), utime_usec: r.userCPUTime % 1e6,
    stime_sec: Math.floor(r.systemCPUTime / 1e6), stime_usec: r.systemCPUTime % 1e6,
    maxrss: r.maxRSS, minflt: r.minorPageFault, majflt: r.majorPageFault,
    inblock: r.fsRead, oublock: r.fsWrite, nvcsw: r.voluntaryContextSwitches, nivcsw: r.involuntaryContextSwitches,
  };
}

export const TIME_CALLS: Record<string, SyscallImpl> = {
  clock_gettime: {
    args: ['clockid', 'ptr'],
    fn: (p, clk, tp) => { writeTimespec(p, tp, clockNs(clk)); return 0; },
    straceOut: (p, a, r) => (r === 0 ? timespecText(p, a[1]) : ''),
  },
  clock_getres: {
    args: ['clockid', 'ptr'],
    fn: (p, clk, tp) => {
      clockNs(clk);
      const coarse = clk === CLOCK_REALTIME_COARSE || clk === CLOCK_MONOTONIC_COARSE;
      if (tp) writeTimespec(p, tp, coarse ? COARSE_RES : 1n);
      return 0;
    },
    straceOut: (p, a, r) => (r === 0 && a[1] ? timespecText(p, a[1]) : ''),
  },
  gettimeofday: {
    args: ['ptr', 'ptr'],
    fn: (p, tv, tz) => {
      const us = clockNs(CLOCK_REALTIME) / 1000n;
      if (tv) writeStruct(p.mem, tv, p.layouts.timeval, { sec: us / 1000000n, usec: us % 1000000n });
      if (tz) writeStruct(p.mem, tz, p.layouts.timezone, {});
      return 0;
    },
  },
  nanosleep: { args: ['ptr', 'ptr'], fn: (p, req, rem) => clockNanosleep(p, CLOCK_MONOTONIC, 0, req, rem) },
  clock_nanosleep: { args: ['clockid', 'int', 'timespec', 'ptr'], fn: clockNanosleep },
  times: {
    args: ['ptr'],
    fn: (p, buf) => {
      const r = rusage();
      const ticks = (s: number, us: number): bigint => (BigInt(s) * 1000000n + BigInt(us)) * CLK_TCK / 1000000n;
      if (buf) writeStruct(p.mem, buf, p.layouts.tms, { utime: ticks(r.utime_sec, r.utime_usec), stime: ticks(r.stime_sec, r.stime_usec) });
      return process.hrtime.bigint() * CLK_TCK / NS;
    },
  },
  getrusage: {
    args: ['int', 'ptr'],
    fn: (p, who, buf) => {
      // RUSAGE_SELF 0, RUSAGE_CHILDREN -1, RUSAGE_THREAD 1 (include/uapi/linux/resource.h).
      if (who !== 0 && who !== -1 && who !== 1) throw new SyscallError(E.INVAL);
      writeStruct(p.mem, buf, p.layouts.rusage, who === -1 ? {} : rusage());
      return 0;
    },
  },
};
