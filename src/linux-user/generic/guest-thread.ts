// One guest thread as the syscall layer sees it: its id and vCPU, its signal mask, the signals
// sent to it alone, its alternate stack, and the addresses the kernel keeps for it (clear_child_tid,
// the robust futex list). Process-wide state (dispositions, fds, memory) stays on LinuxProcess.

/** A signal on its way: the number plus the siginfo fields its si_code implies, by the names
 *  of the arch's 'siginfo' layout (pid, uid, addr, value, tid, overrun, status...). */
export interface SigInfo {
  signo: number;
  code: number;
  errno?: number;
  fields?: Record<string, number | bigint>;
}

// si_code values (include/uapi/asm-generic/siginfo.h).
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_QUEUE = -1;
export const SI_TIMER = -2;
export const SI_TKILL = -6;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const ILL_ILLOPC = 1;
export const ILL_ILLTRP = 4;
export const TRAP_BRKPT = 1;

/** sigaltstack's ss_flags (include/uapi/linux/signal.h). */
export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;

export interface AltStack { sp: number; flags: number; size: number }

export class GuestThread {
  /** Blocked signals: bit sig-1. */
  sigmask = 0n;
  /** The mask to restore when the next handler returns, while a call (sigsuspend, ppoll,
   *  pselect6) runs with a temporary one. */
  savedMask: bigint | undefined;
  /** Signals sent to this thread alone (tgkill, faults, SIGEV_THREAD_ID timers). */
  readonly pending: SigInfo[] = [];
  altstack: AltStack = { sp: 0, flags: SS_DISABLE, size: 0 };
  /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread ends. */
  clearChildTid = 0;
  /** set_robust_list: the head of the thread's robust futex list, walked when it ends. */
  robustList = 0;
  robustLen = 0;
  /** The raw argument registers of the syscall in progress (a restart needs the first). */
  syscallArgs: bigint[] = [];
  /** The restart code (errno.ts) the last syscall ended with, until delivery settles it. */
  restart = 0;
  /** The syscall in progress was a send with MSG_NOSIGNAL: its EPIPE raises no SIGPIPE. */
  noSigpipe = false;

  constructor(readonly tid: number, readonly cpuIndex: number, readonly env: number) {}
}

export const sigbit = (sig: number): bigint => 1n << BigInt(sig - 1);
