// How a syscall waits. An implementation that may block describes what it waits for as a Wait
// and hands it to LinuxProcess.waitFor; the thread host decides how to wait: synchronously when
// the only vCPU runs on the main thread (nothing else can happen meanwhile but time passing), or
// by parking the calling vCPU's request while the main thread's event loop goes on serving the
// others, timers and host signals (src/linux-user/generic/thread-server.ts).

export type SyscallValue = number | bigint;

export interface Wait {
  /** The call's result if it can complete now, else undefined. Polled again whenever the state
   *  it depends on may have changed (another thread's syscall, a timer, a signal). */
  poll(): SyscallValue | undefined;
  /** When the wait gives up by itself, in performance.now() milliseconds; none: never. */
  deadline?: number;
  /** The result at the deadline (ETIMEDOUT, 0...), with its side effects. */
  timeout?(): SyscallValue;
  /** The result when a signal handler is to run first: -EINTR, or one of the restart codes of
   *  errno.ts (delivery then restarts the call or makes it EINTR), with side effects (the time
   *  left of a sleep). */
  interrupted(): SyscallValue;
  /** The wait depends on host state nobody reports (a host fd): poll again this often (ms). */
  repollMs?: number;
}

/** Thrown by the threaded host's waitFor: the request stays open until the wait ends. The
 *  dispatcher attaches `finish`, which turns the eventual result into the result register's
 *  value as a call that did not block would have (strace line, restart code, SIGPIPE). */
export class WouldBlock {
  finish: ((result: SyscallValue) => bigint) | undefined;
  constructor(readonly wait: Wait) {}
}

/** Milliseconds from now to an absolute nanosecond time on a guest clock (see time-calls.ts). */
export const deadlineAfterNs = (ns: bigint): number => performance.now() + Number(ns) / 1e6;
