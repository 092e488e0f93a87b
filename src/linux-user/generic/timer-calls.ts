// Interval timers and POSIX timers: alarm, setitimer/getitimer (ITIMER_REAL on the monotonic
// clock, ITIMER_VIRTUAL and ITIMER_PROF on the process's CPU time) and timer_create & co. with
// SIGEV_SIGNAL, SIGEV_THREAD_ID and SIGEV_NONE. They fire on the main thread's event loop
// (LinuxProcess.later); CPU-time timers are checked against process.cpuUsage() on a short
// interval while one is armed.
import { AGAIN, E, SyscallError } from './errno.js';
import { GuestThread, SI_KERNEL, SI_TIMER, SigInfo } from './guest-thread.js';
import type { LinuxProcess } from './process.js';
import { sendSignal } from './signal-delivery.js';
import { readStruct, readStructBig, writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';
import { clockNs } from './time-calls.js';

const NS = 1000000000n;
const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;
const CLOCK_BOOTTIME = 7;
const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
const SIGALRM = 14, SIGVTALRM = 26, SIGPROF = 27;
const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
const TIMER_ABSTIME = 1;
/** How often armed CPU-time timers are checked (ms). */
const CPU_POLL_MS = 2;
/** Linux's limit on POSIX timers per process is RLIMIT_SIGPENDING; this bound is generous. */
const MAX_TIMERS = 4096;

/** The time a timer counts: the monotonic clock, or the process's CPU time (user only for
 *  ITIMER_VIRTUAL). */
type Count = 'wall' | 'cpu' | 'user';

function countNs(c: Count): bigint {
  if (c === 'wall') return process.hrtime.bigint();
  const u = process.cpuUsage();
  return BigInt(c === 'user' ? u.user : u.user + u.system) * 1000n;
}

export class GuestTimer {
  /** When it fires next, in countNs(count) nanoseconds; undefined while disarmed. */
  due: bigint | undefined;
  interval = 0n;
  /** Expiries counted into the pending signal; the delivered one's count, once it is taken. */
  private overrun = 0;
  /** The count of the signal delivered before the pending one. */
  private lastOverrun = 0;
  private handle: NodeJS.Timeout | undefined;
  /** The signal of the last expiry while it is still pending (further expiries are overruns). */
  private sent: SigInfo | undefined;

  constructor(
    private readonly p: LinuxProcess,
    readonly count: Count,
    /** What an expiry sends; none for SIGEV_NONE. */
    private readonly signal: (() => SigInfo) | undefined,
    private readonly target: GuestThread | undefined,
    /** Called at each expiry (a timerfd counts them). */
    private readonly onExpiry?: () => void,
  ) {}

  /** Arms (value > 0, in ns from now) or disarms (value 0). */
  set(value: bigint, interval: bigint): void {
    this.cancel();
    this.interval = interval;
    this.due = value > 0n ? countNs(this.count) + value : undefined;
    if (this.due !== undefined) this.schedule();
  }

  remaining(): bigint {
    if (this.due === undefined) return 0n;
    const left = this.due - countNs(this.count);
    return left > 0n ? left : 1n; // due but not yet fired: about to
  }

  cancel(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    cpuTimers.get(this.p)?.delete(this);
  }

  private schedule(): void {
    if (this.count === 'wall') {
      const ms = Number(this.due! - countNs('wall')) / 1e6;
      this.handle = this.p.later(Math.max(0, ms), () => this.fire());
    } else {
      watchCpu(this.p, this);
    }
  }

  private sentPending(): boolean {
    const queues = [this.p.pending, ...[...this.p.threads.values()].map((t) => t.pending)];
    return this.sent !== undefined && queues.some((q) => q.includes(this.sent!));
  }

  /** timer_getoverrun: the overruns of the last signal delivered (the kernel's it_overrun_last). */
  overruns(): number {
    return this.sentPending() ? this.lastOverrun : this.overrun;
  }

  /** An expiry: signals (or counts an overrun), then re-arms by the interval. */
  fire(): void {
    this.handle = undefined;
    // Node's timers count whole milliseconds of a cached loop time and may run a little before
    // the deadline: an expiry is never reported early, so the rest is waited out first.
    if (this.count === 'wall' && this.due !== undefined && countNs('wall') < this.due) {
      this.schedule();
      return;
    }
    this.onExpiry?.();
    if (this.signal) {
      if (this.sentPending()) {
        this.overrun++;
        this.sent!.fields = { ...this.sent!.fields, overrun: this.overrun };
      } else {
        this.lastOverrun = this.overrun;
        this.overrun = 0;
        this.sent = this.signal();
        sendSignal(this.p, this.target && this.p.threads.has(this.target.tid) ? this.target : undefined, this.sent);
      }
    }
    if (this.interval > 0n && this.due !== undefined) {
      this.due += this.interval;
      const now = countNs(this.count);
      if (this.due <= now) this.due = now + this.interval; // late: the missed periods are lost
      this.schedule();
    } else {
      this.due = undefined;
      cpuTimers.get(this.p)?.delete(this);
    }
  }
}

/** Armed CPU-time timers per process, checked every CPU_POLL_MS while there are any. */
const cpuTimers = new WeakMap<LinuxProcess, Set<GuestTimer>>();

function watchCpu(p: LinuxProcess, t: GuestTimer): void {
  let set = cpuTimers.get(p);
  if (set) {
    set.add(t);
    return;
  }
  cpuTimers.set(p, (set = new Set([t])));
  const tick = (): void => {
    for (const timer of [...set!]) {
      if (timer.due !== undefined && countNs(timer.count) >= timer.due) {
        set!.delete(timer);
        timer.fire();
      }
    }
    if (set!.size > 0) p.later(CPU_POLL_MS, tick);
    else cpuTimers.delete(p);
  };
  p.later(CPU_POLL_MS, tick);
}

/** Per process: the three interval timers and the POSIX timers by id. */
interface Timers { itimers: GuestTimer[]; posix: Map<number, { timer: GuestTimer; clock: number }> }
const timersOf = new WeakMap<LinuxProcess, Timers>();

function timers(p: LinuxProcess): Timers {
  let t = timersOf.get(p);
  if (!t) {
    const kernelSignal = (signo: number) => (): SigInfo => ({ signo, code: SI_KERNEL });
    t = {
      itimers: [
        new GuestTimer(p, 'wall', kernelSignal(SIGALRM), undefined),
        new GuestTimer(p, 'user', kernelSignal(SIGVTALRM), undefined),
        new GuestTimer(p, 'cpu', kernelSignal(SIGPROF), undefined),
      ],
      posix: new Map(),
    };
    timersOf.set(p, t);
  }
  return t;
}

const US = 1000n;
const split = (ns: bigint, unit: bigint): [bigint, bigint] => [ns / NS, (ns % NS) / unit];

function itimer(p: LinuxProcess, which: number): GuestTimer {
  if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) throw new SyscallError(E.INVAL);
  return timers(p).itimers[which];
}

function writeItimerval(p: LinuxProcess, addr: number, t: GuestTimer): void {
  const [is, iu] = split(t.interval, US);
  const [vs, vu] = split(t.remaining(), US);
  writeStruct(p.mem, addr, p.layouts.itimerval, { interval_sec: is, interval_usec: iu, value_sec: vs, value_usec: vu });
}

function setitimer(p: LinuxProcess, which: number, next: number, old: number): number {
  const t = itimer(p, which);
  const v = next ? readStruct(p.mem, next, p.layouts.itimerval) : undefined;
  if (v && [v.interval_usec, v.value_usec].some((us) => us < 0 || us >= 1e6)) throw new SyscallError(E.INVAL);
  if (old) writeItimerval(p, old, t);
  if (v) {
    const ns = (s: number, us: number): bigint => BigInt(s) * NS + BigInt(us) * US;
    t.set(ns(v.value_sec, v.value_usec), ns(v.interval_sec, v.interval_usec));
  }
  return 0;
}

/** alarm(2): the seconds left of the previous alarm, rounded as the kernel's alarm_setitimer. */
function alarm(p: LinuxProcess, seconds: number): number {
  const t = itimer(p, ITIMER_REAL);
  const left = t.remaining();
  t.set(BigInt(seconds >>> 0) * NS, 0n);
  const [s, us] = split(left, US);
  return Number(s) + (us >= 500000n || (s === 0n && us > 0n) ? 1 : 0);
}

export function clockCount(clock: number): Count {
  switch (clock) {
    case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: return 'wall';
    case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID: return 'cpu';
    default: throw new SyscallError(E.INVAL);
  }
}

function timerCreate(p: LinuxProcess, clock: number, sevp: number, idPtr: number): number {
  const count = clockCount(clock);
  const all = timers(p).posix;
  let id = 0;
  while (all.has(id)) id++;
  if (id >= MAX_TIMERS) throw AGAIN;
  const ev = sevp ? readStructBig(p.mem, sevp, p.layouts.sigevent) : { notify: BigInt(SIGEV_SIGNAL), signo: BigInt(SIGALRM), value: BigInt(id), tid: 0n };
  const notify = Number(ev.notify);
  const signo = Number(ev.signo);
  let target: GuestThread | undefined;
  if (notify === SIGEV_THREAD_ID) {
    target = p.threads.get(Number(ev.tid));
    if (!target) throw new SyscallError(E.INVAL);
  } else if (notify !== SIGEV_SIGNAL && notify !== SIGEV_THREAD && notify !== SIGEV_NONE) {
    throw new SyscallError(E.INVAL);
  }
  if (notify !== SIGEV_NONE && (signo < 1 || signo > 64)) throw new SyscallError(E.INVAL);
  p.mem.check(idPtr, 4, true);
  const signal = notify === SIGEV_NONE ? undefined : (): SigInfo => ({
    signo, code: SI_TIMER, fields: { tid: id, overrun: 0, value: ev.value },
  });
  all.set(id, { timer: new GuestTimer(p, count, signal, target), clock });
  p.mem.writeU32(idPtr, id);
  return 0;
}

function posixTimer(p: LinuxProcess, id: number): { timer: GuestTimer; clock: number } {
  const t = timers(p).posix.get(id);
  if (!t) throw new SyscallError(E.INVAL);
  return t;
}

export function writeItimerspec(p: LinuxProcess, addr: number, t: GuestTimer): void {
  const [is, ins] = split(t.interval, 1n);
  const [vs, vns] = split(t.remaining(), 1n);
  writeStruct(p.mem, addr, p.layouts.itimerspec, { interval_sec: is, interval_nsec: ins, value_sec: vs, value_nsec: vns });
}

/** Arms `timer` from the itimerspec at `next` (TIMER_ABSTIME in flags: on `clock`'s time),
 *  after writing its old setting to `old`. */
export function settime(p: LinuxProcess, timer: GuestTimer, clock: number, flags: number, next: number, old: number): number {
  const v = readStruct(p.mem, next, p.layouts.itimerspec);
  if ([v.interval_nsec, v.value_nsec].some((ns) => ns < 0 || ns >= 1e9) || v.value_sec < 0 || v.interval_sec < 0) {
    throw new SyscallError(E.INVAL);
  }
  if (old) writeItimerspec(p, old, timer);
  let value = BigInt(v.value_sec) * NS + BigInt(v.value_nsec);
  // An absolute time already past fires at once.
  if (flags & TIMER_ABSTIME && value > 0n) value = value - clockNs(clock) > 0n ? value - clockNs(clock) : 1n;
  timer.set(value, BigInt(v.interval_sec) * NS + BigInt(v.interval_nsec));
  return 0;
}

function timerSettime(p: LinuxProcess, id: number, flags: number, next: number, old: number): number {
  const { timer, clock } = posixTimer(p, id);
  return settime(p, timer, clock, flags, next, old);
}

export const TIMER_CALLS: Record<string, SyscallImpl> = {
  alarm: { args: ['uint'], fn: alarm },
  setitimer: { args: ['int', 'ptr', 'ptr'], fn: setitimer },
  getitimer: { args: ['int', 'ptr'], fn: (p, which, old) => { writeItimerval(p, old, itimer(p, which)); return 0; } },
  timer_create: { args: ['clockid', 'ptr', 'ptr'], fn: timerCreate },
  timer_settime: { args: ['int', 'int', 'ptr', 'ptr'], fn: timerSettime },
  timer_gettime: { args: ['int', 'ptr'], fn: (p, id, cur) => { writeItimerspec(p, cur, posixTimer(p, id).timer); return 0; } },
  timer_getoverrun: { args: ['int'], fn: (p, id) => posixTimer(p, id).timer.overruns() },
  timer_delete: {
    args: ['int'],
    fn: (p, id) => {
      posixTimer(p, id).timer.cancel();
      timers(p).posix.delete(id);
      return 0;
    },
  },
};
