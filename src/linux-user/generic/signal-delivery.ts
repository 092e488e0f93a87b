// Signal generation and delivery (man 7 signal): which thread a signal goes to, what its
// disposition does, and, for a handler, the frame on the thread's stack (the arch's layout,
// through SyscallArch.signals) with the mask and alternate stack rules. Delivery happens at the
// thread's checkpoints: after each syscall, at an exit request, and at a synchronous fault.
import { GuestFault } from '../../memory/guest-memory.js';
import { E, ERESTARTNOINTR, ERESTARTSYS } from './errno.js';
import {
  GuestThread, SS_DISABLE, SS_ONSTACK, SigInfo, sigbit,
} from './guest-thread.js';
import type { LinuxProcess, SigactionRecord } from './process.js';
import { takenSignal } from './strace.js';
import { encodeStruct } from './struct-layout.js';

// Signal numbers (include/uapi/asm-generic/signal.h; ARM's are the same).
export const SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11;
export const SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGSYS = 31;
export const NSIG = 64;
/** Signals below this are standard: at most one of each is pending. */
const SIGRTMIN = 32;

// sa_flags (include/uapi/asm-generic/signal-defs.h; ARM's are the same).
export const SA_SIGINFO = 4;
export const SA_RESTORER = 0x04000000;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;

export const SIG_DFL = 0n, SIG_IGN = 1n;
export const UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP);

/** Default action "ignore" (signal(7)): SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
const DEFAULT_IGNORED = new Set([SIGCHLD, SIGCONT, 23, 28]);
/** Default action "stop": SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU. */
const DEFAULT_STOP = new Set([SIGSTOP, 20, 21, 22]);
/** Faults: delivered before other pending signals, as the kernel's SYNCHRONOUS_MASK. */
const SYNCHRONOUS = new Set([SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGSYS]);

type Disposition = 'handler' | 'ignore' | 'fatal' | 'stop';

export function disposition(p: LinuxProcess, sig: number): Disposition {
  if (sig === SIGKILL) return 'fatal';
  if (sig === SIGSTOP) return 'stop';
  const handler = p.sigactions.get(sig)?.handler ?? SIG_DFL;
  if (handler === SIG_IGN) return 'ignore';
  if (handler !== SIG_DFL) return 'handler';
  if (DEFAULT_IGNORED.has(sig)) return 'ignore';
  return DEFAULT_STOP.has(sig) ? 'stop' : 'fatal';
}

const blocks = (t: GuestThread, sig: number): boolean => (t.sigmask & sigbit(sig)) !== 0n && sig !== SIGKILL && sig !== SIGSTOP;

/** The thread a process-directed signal goes to: the first that does not block it. */
function receiverOf(p: LinuxProcess, sig: number): GuestThread | undefined {
  for (const t of p.threads.values()) if (!blocks(t, sig)) return t;
  return undefined;
}

/** Generates a signal for thread `t`, or for the process when `t` is undefined (kill, timers,
 *  signals from outside). A signal whose action kills the process does so at once, as the
 *  kernel's complete_signal does: p.die throws GuestSignal to the caller. */
export function sendSignal(p: LinuxProcess, t: GuestThread | undefined, info: SigInfo): void {
  const sig = info.signo;
  const receiver = t ?? receiverOf(p, sig);
  const blocked = !receiver || blocks(receiver, sig);
  const d = disposition(p, sig);
  if (p.strace && !blocked && d === 'fatal') p.straceFatal(info);
  // An ignored signal is dropped unless blocked: unblocking may find another disposition then.
  if (d === 'ignore' && !blocked) return;
  if (d === 'fatal' && !blocked) p.die(sig);
  const queue = t ? t.pending : p.pending;
  if (sig < SIGRTMIN && queue.some((q) => q.signo === sig)) return;
  queue.push(info);
  if (receiver && !blocked) p.host.kick(receiver);
}

/** A fault of thread `t` (SIGSEGV, SIGBUS, SIGILL, SIGTRAP...): as the kernel's force_sig, a
 *  blocked or ignored fault signal gets its default action, then it is delivered now. */
export function forceSignal(p: LinuxProcess, t: GuestThread, info: SigInfo): void {
  const sig = info.signo;
  if (blocks(t, sig) || disposition(p, sig) === 'ignore') {
    resetHandler(p, sig);
    t.sigmask &= ~sigbit(sig);
  }
  t.pending.unshift(info);
  deliverSignals(p, t);
}

/** True when a pending signal is unblocked for `t` under `mask` (the thread's by default). */
export function hasDeliverable(p: LinuxProcess, t: GuestThread, mask = t.sigmask): boolean {
  const open = (q: SigInfo): boolean => (mask & sigbit(q.signo)) === 0n || q.signo === SIGKILL;
  return t.pending.some(open) || p.pending.some(open);
}

/** Dequeues the signal to act on next for `t`: faults first, then the lowest number. */
export function takeSignal(p: LinuxProcess, t: GuestThread, mask = t.sigmask): SigInfo | undefined {
  let best: [SigInfo[], number] | undefined;
  const rank = (q: SigInfo): number => (SYNCHRONOUS.has(q.signo) ? 0 : 100) + q.signo;
  for (const queue of [t.pending, p.pending]) {
    queue.forEach((q, i) => {
      if ((mask & sigbit(q.signo)) !== 0n && q.signo !== SIGKILL) return;
      if (!best || rank(q) < rank(best[0][best[1]])) best = [queue, i];
    });
  }
  if (!best) return undefined;
  return best[0].splice(best[1], 1)[0];
}

/** Acts on `t`'s deliverable signals, as the kernel's signal loop on the way back to user mode:
 *  ignored ones are dropped, a fatal one ends the process, and each with a handler gets a frame
 *  on top of the previous one (the handler's mask applies to the signals after it), so the last
 *  one taken runs first. Settles an interrupted syscall's restart code. */
export function deliverSignals(p: LinuxProcess, t: GuestThread): void {
  let handled = false;
  for (let info = takeSignal(p, t); info; info = takeSignal(p, t)) {
    if (p.debugSignal?.(t, info)) return;
    if (p.strace) p.log(takenSignal(p, info));
    switch (disposition(p, info.signo)) {
      case 'ignore': break;
      case 'fatal': p.die(info.signo);
      // eslint-disable-next-line no-fallthrough
      case 'stop': p.stopProcess(); break;
      case 'handler':
        runHandler(p, t, info, p.sigactions.get(info.signo)!);
        handled = true;
        break;
    }
  }
  if (handled) return;
  // No handler ran: a temporary mask (sigsuspend) ends, and an interrupted call starts again
  // (the kernel's restore_saved_sigmask and restart without a handler).
  if (t.savedMask !== undefined) {
    t.sigmask = t.savedMask;
    t.savedMask = undefined;
  }
  if (t.restart) {
    t.restart = 0;
    p.arch.signals.restartSyscall(p.mem, t.env, t.syscallArgs[0] ?? 0n);
  }
}

/** sas_ss_flags(): how the alternate stack looks from stack pointer `sp`. */
export function altStackFlags(t: GuestThread, sp: number): number {
  if (t.altstack.flags & SS_DISABLE || t.altstack.size === 0) return SS_DISABLE;
  return sp > t.altstack.sp && sp - t.altstack.sp <= t.altstack.size ? SS_ONSTACK : 0;
}

function runHandler(p: LinuxProcess, t: GuestThread, info: SigInfo, act: SigactionRecord): void {
  const sig = info.signo;
  const flags = Number(act.flags);
  const sa = p.arch.signals;
  if (t.restart) {
    const code = t.restart;
    t.restart = 0;
    if (code === ERESTARTNOINTR || (code === ERESTARTSYS && flags & SA_RESTART)) {
      sa.restartSyscall(p.mem, t.env, t.syscallArgs[0] ?? 0n);
    } else {
      sa.setResult(p.mem, t.env, BigInt(-E.INTR));
    }
  }
  const saved = t.savedMask ?? t.sigmask;
  t.savedMask = undefined;
  let sp = sa.sp(p.mem, t.env);
  const stackFlags = altStackFlags(t, sp);
  if (flags & SA_ONSTACK && stackFlags === 0) sp = t.altstack.sp + t.altstack.size;
  try {
    sa.setupFrame(p, t.env, {
      sig,
      info: encodeStruct(p.arch.layouts.siginfo, { signo: sig, errno: info.errno ?? 0, code: info.code, ...info.fields }),
      handler: Number(act.handler),
      flags,
      restorer: Number(act.restorer),
      sp,
      mask: saved,
      stack: { ...t.altstack, flags: stackFlags },
      faultAddr: sig === SIGSEGV || sig === SIGBUS ? Number(info.fields?.addr ?? 0) : 0,
    });
  } catch (e) {
    // The stack cannot take the frame: the kernel's force_sigsegv.
    if (e instanceof GuestFault) p.die(SIGSEGV);
    throw e;
  }
  t.sigmask = (t.sigmask | act.mask | (flags & SA_NODEFER ? 0n : sigbit(sig))) & ~UNBLOCKABLE;
  if (flags & SA_RESETHAND) resetHandler(p, sig);
}

/** Back to the default action; the flags and mask stay as set (the kernel changes sa_handler
 *  alone). */
function resetHandler(p: LinuxProcess, sig: number): void {
  const act = p.sigactions.get(sig);
  if (act) act.handler = SIG_DFL;
}

/** rt_sigreturn (rt) and ARM's sigreturn: the registers, mask and alternate stack the frame at
 *  the stack pointer saved. Returns the restored result register, which the cpu loop writes
 *  back unchanged. */
export function sigreturn(p: LinuxProcess, rt: boolean): bigint {
  const t = p.current;
  let saved;
  try {
    saved = p.arch.signals.restoreFrame(p, t.env, rt);
  } catch (e) {
    if (e instanceof GuestFault) p.die(SIGSEGV);
    throw e;
  }
  t.sigmask = saved.mask & ~UNBLOCKABLE;
  // As the kernel's restore_altstack: applied unless the thread is on the alternate stack now.
  const s = saved.stack;
  if (s && altStackFlags(t, p.arch.signals.sp(p.mem, t.env)) !== SS_ONSTACK) {
    t.altstack = s.flags & SS_DISABLE ? { sp: 0, flags: SS_DISABLE, size: 0 } : { sp: s.sp, flags: 0, size: s.size };
  }
  return saved.result;
}
