// Who runs the guest's vCPUs and its waits. A process starts with a DirectHost: its one vCPU runs
// synchronously on Node's main thread, which is cheapest (a worker costs tens of milliseconds to
// start) and enough while nothing can happen but what that vCPU does. The first thread, timer or
// handler for a signal from outside needs the main thread free for the event loop: the DirectHost
// then asks to move to the ThreadServer (thread-server.ts), every vCPU in a worker, which the
// runner does at the vCPU's next checkpoint. The CPU state lives in shared memory, so moving is
// starting a worker on it.
import type { SyscallValue, Wait } from './blocking.js';
import type { GuestThread } from './guest-thread.js';
import type { LinuxProcess } from './process.js';
import { hasDeliverable } from './signal-delivery.js';

export interface ThreadHost {
  /** Waits for `w` on behalf of thread `t`, whose syscall is running: returns the call's
   *  result, or throws WouldBlock to complete it later. */
  waitFor(p: LinuxProcess, t: GuestThread, w: Wait): SyscallValue;
  /** A signal may have become deliverable to `t`: make it leave guest code or its wait. */
  kick(t: GuestThread): void;
  /** A new thread (its vCPU state set up) is to run. */
  startThread(t: GuestThread): void;
  /** An asynchronous event source appeared (a timer, a handler for a signal that can come from
   *  outside): the main thread's event loop has to run. */
  needEventLoop(): void;
  /** Something waits may depend on changed (a futex wake, a pipe write): poll them again. */
  changed(): void;
  /** Thread t's poll (poll, select, epoll_wait) that may wait found fds ready at once: the event
   *  loop gets a turn before t goes on, so that host I/O it holds (data a socket's peer wrote,
   *  in flight on loopback) is in before t looks again, as the kernel would have it already. A
   *  guest polling in a loop would otherwise never see it while its time slice lasts. */
  eventLoopTurn(t: GuestThread): void;
  /** Runs an asynchronous event's effect on the process (a timer's signal), which may end the
   *  process (GuestSignal, GuestExit). */
  event(fn: () => void): void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** One vCPU on the calling thread. Waits are synchronous: with no other thread, no timer and no
 *  handler for outside signals, only time can end them (a wait without a deadline lasts until
 *  the process is killed, as it would natively). */
export class DirectHost implements ThreadHost {
  /** Set when the process needs the threaded host: the runner moves at the next checkpoint,
   *  and starts every thread of the process (those created while direct too) in a worker. */
  moveRequested = false;

  waitFor(p: LinuxProcess, t: GuestThread, w: Wait): SyscallValue {
    for (;;) {
      const r = w.poll();
      if (r !== undefined) return r;
      if (hasDeliverable(p, t)) return w.interrupted();
      const now = performance.now();
      if (w.deadline !== undefined && now >= w.deadline) return w.timeout!();
      const slice = Math.min(w.deadline === undefined ? Infinity : w.deadline - now, w.repollMs ?? Infinity);
      Atomics.wait(sleeper, 0, 0, slice);
    }
  }

  kick(): void {
    // The one thread is in a syscall: it acts on the signal at its checkpoint after it.
  }

  startThread(): void {
    this.moveRequested = true;
  }

  needEventLoop(): void {
    this.moveRequested = true;
  }

  changed(): void {}

  eventLoopTurn(): void {
    // No event loop runs while direct: nothing is in flight.
  }

  event(fn: () => void): void {
    // Timers fire from the event loop, which runs only once the process has moved.
    fn();
  }
}
