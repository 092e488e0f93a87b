// How a guest ends: an exit status, or death by an uncaught guest signal, as qemu-user does it: a one-line message, then the
// emulator kills itself with the same host signal, so a parent (a shell, a test runner, wait4)
// sees exactly what it would see of the native program.

/** Signal numbers (the same on riscv64 and ARM: asm-generic/signal.h, arm/signal.h). */
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;

export type GuestExitStatus = { status: number } | { signal: number };

/** strsignal() texts of glibc for the signals a guest fault or abort produces. */
const SIGNAL_TEXT: Record<number, { name: NodeJS.Signals; text: string }> = {
  4: { name: 'SIGILL', text: 'Illegal instruction' },
  5: { name: 'SIGTRAP', text: 'Trace/breakpoint trap' },
  6: { name: 'SIGABRT', text: 'Aborted' },
  7: { name: 'SIGBUS', text: 'Bus error' },
  8: { name: 'SIGFPE', text: 'Floating point exception' },
  11: { name: 'SIGSEGV', text: 'Segmentation fault' },
};

export function fatalSignalMessage(progName: string, signo: number): string {
  const text = SIGNAL_TEXT[signo]?.text ?? `Unknown signal ${signo}`;
  return `${progName}: uncaught target signal ${signo} (${text}) - core dumped\n`;
}

/** Ends the process as killed by `signo` (falls back to exit status 128+signo). */
export function dieBySignal(signo: number): never {
  const sig = SIGNAL_TEXT[signo]?.name;
  if (sig) {
    process.removeAllListeners(sig);
    process.kill(process.pid, sig);
  }
  process.exit(128 + signo);
}
