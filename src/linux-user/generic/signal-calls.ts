// Signals, recorded but not yet delivered: dispositions, the mask, the alternate stack, and
// self-directed kill whose default action ends the process.
import { E, SyscallError } from './errno.js';
import { GuestSignal, LinuxProcess } from './process.js';
import { readStructBig, writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';

// Signal numbers shared by asm-generic and ARM (include/uapi/asm-generic/signal.h).
const SIGKILL = 9, SIGSTOP = 19, NSIG = 64;
/** Signals whose default action is to do nothing (man 7 signal): SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
const DEFAULT_IGNORED = new Set([17, 18, 23, 28]);
const SIG_DFL = 0n, SIG_IGN = 1n;
const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const SS_DISABLE = 2;
const UNBLOCKABLE = (1n << BigInt(SIGKILL - 1)) | (1n << BigInt(SIGSTOP - 1));

function checkSig(sig: number): void {
  if (sig < 1 || sig > NSIG) throw new SyscallError(E.INVAL);
}

function sigaction(p: LinuxProcess, sig: number, act: number, oact: number, setsize: number): number {
  checkSig(sig);
  if (setsize !== p.arch.sigsetSize) throw new SyscallError(E.INVAL);
  const l = p.layouts.sigaction;
  const next = act ? readStructBig(p.mem, act, l) : undefined;
  if (next && (sig === SIGKILL || sig === SIGSTOP)) throw new SyscallError(E.INVAL);
  if (oact) writeStruct(p.mem, oact, l, { ...(p.sigactions.get(sig) ?? {}) });
  if (next) p.sigactions.set(sig, { handler: next.handler, flags: next.flags, restorer: next.restorer ?? 0n, mask: next.mask });
  return 0;
}

function sigprocmask(p: LinuxProcess, how: number, set: number, oset: number, setsize: number): number {
  if (setsize !== p.arch.sigsetSize) throw new SyscallError(E.INVAL);
  const bytes = setsize;
  const readSet = (a: number): bigint => p.mem.read(a, bytes).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
  const next = set ? readSet(set) : undefined;
  if (next !== undefined && how !== SIG_BLOCK && how !== SIG_UNBLOCK && how !== SIG_SETMASK) throw new SyscallError(E.INVAL);
  if (oset) {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) out[i] = Number((p.sigmask >> BigInt(8 * i)) & 0xffn);
    p.mem.write(oset, out);
  }
  if (next !== undefined) {
    const m = how === SIG_BLOCK ? p.sigmask | next : how === SIG_UNBLOCK ? p.sigmask & ~next : next;
    p.sigmask = m & ~UNBLOCKABLE;
  }
  return 0;
}

/** Pending signals are those sent to ourselves while blocked or handled (not yet delivered). */
function sigpending(p: LinuxProcess, set: number, setsize: number): number {
  if (setsize > p.arch.sigsetSize) throw new SyscallError(E.INVAL);
  const mask = p.pendingSignals.reduce((m, s) => m | (1n << BigInt(s - 1)), 0n);
  p.mem.write(set, Uint8Array.from({ length: setsize }, (_, i) => Number((mask >> BigInt(8 * i)) & 0xffn)));
  return 0;
}

function sigaltstack(p: LinuxProcess, ss: number, oss: number): number {
  const l = p.layouts.stack_t;
  const next = ss ? readStructBig(p.mem, ss, l) : undefined;
  if (oss) writeStruct(p.mem, oss, l, p.altstack ?? { flags: BigInt(SS_DISABLE) });
  if (next) p.altstack = next;
  return 0;
}

/** A signal sent to ourselves: fatal by default, ignored, or left pending for a handler. */
export function sendSelf(p: LinuxProcess, sig: number): number {
  if (sig === 0) return 0;
  checkSig(sig);
  const handler = p.sigactions.get(sig)?.handler ?? SIG_DFL;
  const blocked = (p.sigmask >> BigInt(sig - 1)) & 1n;
  if (sig === SIGKILL || (handler === SIG_DFL && !blocked && !DEFAULT_IGNORED.has(sig))) throw new GuestSignal(sig);
  if (handler !== SIG_IGN) p.pendingSignals.push(sig);
  return 0;
}

function isSelf(p: LinuxProcess, pid: number): boolean {
  return pid === p.pid || pid === 0 || pid === -1 || pid === -p.pid;
}

export const SIGNAL_CALLS: Record<string, SyscallImpl> = {
  rt_sigaction: { args: ['signal', 'ptr', 'ptr', 'sigsetsize'], fn: sigaction },
  rt_sigprocmask: { args: ['sighow', 'ptr', 'ptr', 'sigsetsize'], fn: sigprocmask },
  rt_sigpending: { args: ['ptr', 'sigsetsize'], straceRaw: true, fn: sigpending },
  sigaltstack: { args: ['ptr', 'ptr'], fn: sigaltstack },
  kill: {
    args: ['int', 'signal'],
    fn: (p, pid, sig) => { if (!isSelf(p, pid)) throw new SyscallError(E.PERM); return sendSelf(p, sig); },
  },
  tgkill: {
    args: ['int', 'int', 'signal'],
    fn: (p, tgid, tid, sig) => { if (tgid !== p.pid || tid !== p.pid) throw new SyscallError(E.SRCH); return sendSelf(p, sig); },
  },
  tkill: {
    args: ['int', 'signal'],
    fn: (p, tid, sig) => { if (tid !== p.pid) throw new SyscallError(E.SRCH); return sendSelf(p, sig); },
  },
};
