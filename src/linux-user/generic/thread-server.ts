// The main thread once the process needs its event loop: it serves every vCPU's requests
// (syscalls run here, one at a time, on the one LinuxProcess), keeps the calls that wait parked
// until they can complete, and turns timers and host signals into guest signals. A vCPU in guest
// code is reached through its exit request; a parked one by completing its wait. While the
// process has one thread, its vCPU runs here too, between events (main-vcpu.ts); with more, each
// runs in a worker.
import type { Worker } from 'node:worker_threads';
import type { GuestMemory } from '../../memory/guest-memory.js';
import { SyscallValue, Wait, WouldBlock } from './blocking.js';
import { ERESTARTNOINTR } from './errno.js';
import { ExecReplaced } from './launcher.js';
import { HostFile } from './open-file.js';
import { GuestThread, SI_USER } from './guest-thread.js';
import { LinuxProcess, ThreadExit, guestEnd, syscallBody } from './process.js';
import { deliverSignals, forceSignal, hasDeliverable, sendSignal } from './signal-delivery.js';
import type { GuestExitStatus } from './termination.js';
import type { ThreadHost } from './thread-host.js';
import { memoryFault } from './vcpu-host.js';
import { REPLY_SEQ, REPLY_STATE, REPLY_VALUE, RUN_NEXT_THREAD, Reply, SIGNAL_PENDING, VcpuRequest, serveRequests } from './vcpu-mailbox.js';

/** Host signals that reach the guest (as if sent by kill from outside). SIGPIPE is left to the
 *  host's default of ignoring it: a guest's own EPIPE raises the guest's SIGPIPE already, and a
 *  host handler would raise it twice. */
const HOST_SIGNALS: [NodeJS.Signals, number][] = [
  ['SIGHUP', 1], ['SIGINT', 2], ['SIGQUIT', 3], ['SIGUSR1', 10], ['SIGUSR2', 12], ['SIGALRM', 14],
  ['SIGTERM', 15], ['SIGCONT', 18], ['SIGTSTP', 20], ['SIGTTIN', 21], ['SIGTTOU', 22], ['SIGURG', 23],
  ['SIGVTALRM', 26], ['SIGPROF', 27], ['SIGWINCH', 28],
];

export interface ThreadServerOptions {
  /** Starts the worker that runs thread t's vCPU (its state is ready in shared memory). */
  spawn(t: GuestThread): Worker;
  /** Makes the vCPU whose state is at env leave guest code (tcg's exit request). */
  requestExit(env: number): void;
  /** Reports how the guest ended (the runner ends the host process, or an embedder goes on
   *  with everything of the guest stopped). */
  end(status: GuestExitStatus): void;
  /** Reports an internal error of a worker (the process is stopped as at its end). */
  fail(err: Error): void;
  /** Whether host signals sent to this process are the guest's (false in an embedder's). */
  hostSignals?: boolean;
}

interface Parked {
  /** The number of the request it answers. */
  seq: number;
  wait: Wait;
  finish: (r: SyscallValue) => bigint;
  /** Cancels the timer or immediate that polls it again at its deadline. */
  cancel?: () => void;
}

/** How close a deadline is watched on every turn of the event loop rather than by a timer:
 *  Node's timers count whole milliseconds and fire up to one late, and the Go runtime, for
 *  one, sleeps for microseconds in loops (usleep(3) while stealing work, 100 us futex waits
 *  while stopping the world), each of which took over a millisecond. */
const NEAR_MS = 1.5;

export class ThreadServer implements ThreadHost {
  private readonly workers = new Map<GuestThread, Worker>();
  /** The workers of ended threads, by vCPU slot, each waiting to run the next thread given that
   *  slot (LinuxProcess.idleSlots): starting a worker costs tens of milliseconds, and one that
   *  ran before has its translations already. */
  private readonly idle = new Map<number, Worker>();
  private readonly parked = new Map<GuestThread, Parked>();
  /** The number of each thread's latest request, which its answer carries. */
  private readonly seqOf = new Map<GuestThread, number>();
  private readonly words: Int32Array;
  private repollQueued = false;
  /** Set once an execve started the new program, or the process ended: nothing of it runs any more. */
  private replaced = false;
  /** The thread whose vCPU runs on this thread (main-vcpu.ts), told when its answer comes and
   *  when the process is over. */
  private local: { t: GuestThread; answered: () => void; over: () => void; turn: () => void } | undefined;
  /** Set when a second thread starts: the local vCPU moves to a worker at its checkpoint. */
  localMustMove = false;
  /** Polls the parked calls that depend on host state nobody reports (Wait.repollMs), every
   *  tickerMs: one interval for them all, since a timeout made per park cost about 20 us (Node
   *  builds and inserts a Timeout, and drops its list when cleared), and a server parks at a
   *  good share of its requests (its stdin is such a host pipe). It stops at a tick that finds
   *  none of them. */
  private ticker: NodeJS.Timeout | undefined;
  private tickerMs = Infinity;

  constructor(private readonly p: LinuxProcess, private readonly opts: ThreadServerOptions) {
    this.words = new Int32Array(p.mem.buffer);
    HostFile.threaded = true;
    // Node's own profiler (--cpu-prof, --prof) samples with SIGPROF: it is not the guest's then.
    const profiling = process.execArgv.some((a) => a.startsWith('--cpu-prof') || a === '--prof');
    for (const [name, signo] of opts.hostSignals === false ? [] : HOST_SIGNALS) {
      if (profiling && name === 'SIGPROF') continue;
      process.on(name, () => this.event(() => sendSignal(p, undefined, { signo, code: SI_USER })));
    }
  }

  private get mem(): GuestMemory { return this.p.mem; }

  /** Serves thread t, whose vCPU runs on this thread: `answered` is called when a call of it
   *  that was parked completes. */
  runLocal(t: GuestThread, answered: () => void, over: () => void, turn: () => void): void {
    Atomics.store(this.words, (t.env + SIGNAL_PENDING) >>> 2, 0);
    this.local = { t, answered, over, turn };
  }

  eventLoopTurn(t: GuestThread): void {
    // A worker's vCPU runs beside the event loop, which is free to take the I/O in.
    if (this.local?.t === t) this.local.turn();
  }

  /** Reports an internal error of a vCPU; nothing of the process runs any more. */
  fail(err: Error): void {
    this.retire();
    this.opts.fail(err);
  }

  /** The local vCPU, at a checkpoint, goes on in a worker. */
  moveLocal(): void {
    const t = this.local!.t;
    this.local = undefined;
    this.localMustMove = false;
    this.startThread(t);
  }

  startThread(t: GuestThread): void {
    if (this.local && this.local.t !== t) this.localMustMove = true;
    Atomics.store(this.words, (t.env + SIGNAL_PENDING) >>> 2, 0);
    let w = this.idle.get(t.cpuIndex);
    if (w) {
      this.idle.delete(t.cpuIndex);
      w.ref();
      w.postMessage(RUN_NEXT_THREAD);
    } else {
      w = this.opts.spawn(t);
      const slot = t.cpuIndex;
      w.on('error', (err) => this.fail(err));
      w.on('exit', () => {
        this.p.retiredSlots.delete(slot);
        this.p.idleSlots.delete(slot);
        this.idle.delete(slot);
      });
    }
    this.workers.set(t, w);
    serveRequests(this.mem.view, this.words, t.env, () => this.workers.get(t) === w, (req) => this.request(t, req));
  }

  needEventLoop(): void {
    // Running already.
  }

  kick(t: GuestThread): void {
    if (this.parked.has(t)) {
      this.changed();
      return;
    }
    Atomics.store(this.words, (t.env + SIGNAL_PENDING) >>> 2, 1);
    this.opts.requestExit(t.env);
  }

  /** Polls the parked calls again, once, after the current event. */
  changed(): void {
    if (this.repollQueued) return;
    this.repollQueued = true;
    queueMicrotask(() => {
      this.repollQueued = false;
      this.guard(() => { for (const t of [...this.parked.keys()]) this.repoll(t); });
    });
  }

  event(fn: () => void): void {
    this.guard(fn);
    this.changed();
  }

  waitFor(_p: LinuxProcess, _t: GuestThread, w: Wait): SyscallValue {
    throw new WouldBlock(w);
  }

  /** Runs `fn`; an end of the process it causes ends the host process. */
  private guard(fn: () => void): void {
    if (this.replaced) return;
    try {
      fn();
    } catch (e) {
      if (e instanceof ExecReplaced) return this.retire();
      const end = guestEnd(e);
      if (!end) throw e;
      this.retire();
      this.opts.end(end);
    }
  }

  /** Serves one request of thread t's vCPU: answered at once, or parked. */
  request(t: GuestThread, req: VcpuRequest): void {
    this.guard(() => {
      const p = this.p;
      p.current = t;
      this.seqOf.set(t, req.seq);
      switch (req.k) {
        case 'sys': return this.syscall(t, req.nr, req.args);
        case 'fault': memoryFault(p, t, req.addr, req.misaligned); break;
        case 'trap': forceSignal(p, t, { signo: req.signo, code: req.code, fields: { addr: req.addr } }); break;
        case 'check': deliverSignals(p, t); break;
      }
      this.reply(t, 0n);
    });
    // What the request did may let parked calls complete (a write to a pipe another thread
    // reads); with none parked there is nothing to look at again.
    if (this.parked.size) this.changed();
  }

  private syscall(t: GuestThread, nr: number, args: bigint[]): void {
    // A signal sent to this thread while it ran guest code is taken before the call, as the
    // kernel takes it then: the call starts again after the handler (which sees the registers
    // as they were at the syscall instruction).
    if (hasDeliverable(this.p, t)) {
      t.syscallArgs = args;
      t.restart = ERESTARTNOINTR;
      return this.reply(t, 0n);
    }
    let value: bigint;
    try {
      value = this.p.syscall(nr, args);
    } catch (e) {
      if (e instanceof WouldBlock) return this.park(t, e);
      if (e instanceof ThreadExit) return this.threadOver(t);
      throw e;
    }
    this.reply(t, value);
  }

  private reply(t: GuestThread, value: bigint, seq = this.seqOf.get(t)!): void {
    this.mem.view.setBigUint64(t.env + REPLY_VALUE, value, true);
    const pending = t.restart !== 0 || hasDeliverable(this.p, t);
    Atomics.store(this.words, (t.env + SIGNAL_PENDING) >>> 2, pending ? 1 : 0);
    this.wake(t, Reply.Value, seq);
  }

  private wake(t: GuestThread, state: Reply, seq: number): void {
    Atomics.store(this.words, (t.env + REPLY_STATE) >>> 2, state);
    const at = (t.env + REPLY_SEQ) >>> 2;
    Atomics.store(this.words, at, seq);
    Atomics.notify(this.words, at);
    if (this.local?.t === t) this.local.answered();
  }

  private park(t: GuestThread, blocked: WouldBlock): void {
    const parked: Parked = { seq: this.seqOf.get(t)!, wait: blocked.wait, finish: blocked.finish! };
    this.parked.set(t, parked);
    this.armTimer(t, parked);
  }

  /** A parked call with a deadline is polled again at it; one on host state, periodically. */
  private armTimer(t: GuestThread, parked: Parked): void {
    const { deadline, repollMs } = parked.wait;
    if (repollMs !== undefined) this.tickEvery(repollMs);
    if (deadline === undefined) return;
    const fire = (): void => {
      parked.cancel = undefined;
      this.event(() => this.repoll(t));
    };
    const left = deadline - performance.now();
    if (left <= NEAR_MS) {
      const immediate = setImmediate(fire);
      parked.cancel = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(fire, Math.floor(left - NEAR_MS) + 1);
      parked.cancel = () => clearTimeout(timer);
    }
  }

  /** Makes the ticker run at least every `ms`. */
  private tickEvery(ms: number): void {
    if (this.ticker && this.tickerMs <= ms) return;
    clearInterval(this.ticker);
    this.tickerMs = Math.max(1, ms);
    this.ticker = setInterval(() => {
      const due = [...this.parked].filter(([, parked]) => parked.wait.repollMs !== undefined).map(([t]) => t);
      if (due.length === 0) this.stopTicker();
      else this.event(() => { for (const t of due) this.repoll(t); });
    }, this.tickerMs);
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.tickerMs = Infinity;
  }

  /** Completes thread t's parked call if it can now: ready, timed out, or interrupted. */
  private repoll(t: GuestThread): void {
    const parked = this.parked.get(t);
    if (!parked) return;
    const p = this.p;
    p.current = t;
    const w = parked.wait;
    let r = syscallBody(() => w.poll());
    if (r === undefined && w.deadline !== undefined && performance.now() >= w.deadline) r = syscallBody(() => w.timeout!());
    if (r === undefined && hasDeliverable(p, t)) r = syscallBody(() => w.interrupted());
    if (r === undefined) {
      // Not yet at the deadline: watched again (each turn, once it is near).
      if (!parked.cancel) this.armTimer(t, parked);
      return;
    }
    parked.cancel?.();
    this.parked.delete(t);
    this.reply(t, parked.finish(r), parked.seq);
  }

  /** execve, the process's end or an internal error ends every thread of the program (a new
   *  one is another host process). */
  private retire(): void {
    this.replaced = true;
    this.local?.over();
    this.local = undefined;
    for (const w of [...this.workers.values(), ...this.idle.values()]) void w.terminate();
    for (const parked of this.parked.values()) parked.cancel?.();
    this.stopTicker();
    this.workers.clear();
    this.idle.clear();
    this.parked.clear();
  }

  private threadOver(t: GuestThread): void {
    const w = this.workers.get(t);
    this.workers.delete(t);
    this.p.retiredSlots.add(t.cpuIndex);
    if (w) {
      // Kept for the next thread, but not keeping an embedder's Node alive.
      w.unref();
      this.idle.set(t.cpuIndex, w);
      this.p.idleSlots.add(t.cpuIndex);
    }
    this.wake(t, Reply.ThreadOver, this.seqOf.get(t)!);
  }
}
