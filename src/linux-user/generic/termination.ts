// How a guest ends: an exit status, or death by an uncaught guest signal. As qemu-user does it,
// a signal whose default action dumps core prints one line, then the emulator kills itself with
// the same host signal, so a parent (a shell, a test runner, wait4) sees exactly what it would
// see of the native program.

import { constants as osConstants } from 'node:os';

/** Signal numbers (the same on riscv64 and ARM: asm-generic/signal.h, arm/signal.h). */
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;
export const SIGPIPE = 13;

export type GuestExitStatus = { status: number } | { signal: number };

/** Host names, glibc's strsignal() texts, and whether the default action dumps core
 *  (signal(7)), for the signals a guest can die of. */
const SIGNALS: Record<number, { name: NodeJS.Signals; text: string; core: boolean }> = {
  1: { name: 'SIGHUP', text: 'Hangup', core: false },
  2: { name: 'SIGINT', text: 'Interrupt', core: false },
  3: { name: 'SIGQUIT', text: 'Quit', core: true },
  4: { name: 'SIGILL', text: 'Illegal instruction', core: true },
  5: { name: 'SIGTRAP', text: 'Trace/breakpoint trap', core: true },
  6: { name: 'SIGABRT', text: 'Aborted', core: true },
  7: { name: 'SIGBUS', text: 'Bus error', core: true },
  8: { name: 'SIGFPE', text: 'Floating point exception', core: true },
  9: { name: 'SIGKILL', text: 'Killed', core: false },
  10: { name: 'SIGUSR1', text: 'User defined signal 1', core: false },
  11: { name: 'SIGSEGV', text: 'Segmentation fault', core: true },
  12: { name: 'SIGUSR2', text: 'User defined signal 2', core: false },
  13: { name: 'SIGPIPE', text: 'Broken pipe', core: false },
  14: { name: 'SIGALRM', text: 'Alarm clock', core: false },
  15: { name: 'SIGTERM', text: 'Terminated', core: false },
  24: { name: 'SIGXCPU', text: 'CPU time limit exceeded', core: true },
  25: { name: 'SIGXFSZ', text: 'File size limit exceeded', core: true },
  31: { name: 'SIGSYS', text: 'Bad system call', core: true },
};

/** qemu's line for a fatal signal, or '' for signals that end a process without a core. */
export function fatalSignalMessage(progName: string, signo: number): string {
  const s = SIGNALS[signo];
  if (s && !s.core) return '';
  return `${progName}: uncaught target signal ${signo} (${s?.text ?? `Unknown signal ${signo}`}) - core dumped\n`;
}

/** Ends the process as killed by `signo` (falls back to exit status 128+signo). */
export function dieBySignal(signo: number): never {
  const sig = SIGNALS[signo]?.name;
  if (sig && sig !== 'SIGKILL') {
    process.removeAllListeners(sig);
    process.kill(process.pid, sig);
  }
  process.exit(128 + signo);
}

/** The number of a host signal by Node's name of it (Linux numbers, the guests' too). */
export function hostSignalNumber(name: NodeJS.Signals): number {
  return osConstants.signals[name] ?? 0;
}
