// The signal syscalls: dispositions, per-thread masks and alternate stacks, sending (kill,
// tgkill, sigqueue), waiting (pause, sigsuspend, sigtimedwait, signalfd) and sigreturn. What
// generation and delivery do is in signal-delivery.ts.
import { AGAIN, E, ERESTARTNOHAND, SyscallError } from './errno.js';
import {
  GuestThread, SI_QUEUE, SI_TKILL, SI_USER, SS_DISABLE, SS_ONSTACK, SigInfo, sigbit,
} from './guest-thread.js';
import type { LinuxProcess } from './process.js';
import {
  NSIG, SIGBUS, SIGFPE, SIGILL, SIGKILL, SIGSEGV, SIGSTOP, SIGSYS, SIGTRAP, SIG_DFL, SIG_IGN,
  UNBLOCKABLE, altStackFlags, sendSignal, sigreturn, takeSignal,
} from './signal-delivery.js';
import { OpenFile, POLLIN, POLLRDNORM, StatInfo, anonInodeStat } from './open-file.js';
import { layout, readStructBig, writeStruct, encodeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';
import { readTimespec } from './time-calls.js';
import { deadlineAfterNs } from './blocking.js';

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
/** SIGABRT: raised by the process itself (abort), like the faults. */
const SIGABRT = 6;
/** Signals only the process itself raises in practice: a handler for one of them needs no
 *  event loop (a handler for any other may be called from outside, by a timer or a thread). */
const SELF_RAISED = new Set([SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS]);
/** MINSIGSTKSZ: 2048 on both arches (asm-generic and arm uapi signal.h). */
const MINSIGSTKSZ = 2048;
const ALL_SIGNALS = (1n << BigInt(NSIG)) - 1n;

function checkSig(sig: number): void {
  if (sig < 1 || sig > NSIG) throw new SyscallError(E.INVAL);
}

/** A sigset_t of the arch's size, as a bit mask (bit sig-1). */
function readSigset(p: LinuxProcess, addr: number, size: number): bigint {
  return p.mem.read(addr, size).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function writeSigset(p: LinuxProcess, addr: number, size: number, set: bigint): void {
  p.mem.write(addr, Uint8Array.from({ length: size }, (_, i) => Number((set >> BigInt(8 * i)) & 0xffn)));
}

function checkSetSize(p: LinuxProcess, size: number): void {
  if (size !== p.arch.sigsetSize) throw new SyscallError(E.INVAL);
}

function sigaction(p: LinuxProcess, sig: number, act: number, oact: number, setsize: number): number {
  checkSig(sig);
  checkSetSize(p, setsize);
  const l = p.layouts.sigaction;
  const next = act ? readStructBig(p.mem, act, l) : undefined;
  if (next && (sig === SIGKILL || sig === SIGSTOP)) throw new SyscallError(E.INVAL);
  if (oact) writeStruct(p.mem, oact, l, { ...(p.sigactions.get(sig) ?? {}) });
  if (!next) return 0;
  p.sigactions.set(sig, { handler: next.handler, flags: next.flags, restorer: next.restorer ?? 0n, mask: next.mask & ~UNBLOCKABLE });
  if (next.handler !== SIG_DFL && next.handler !== SIG_IGN && !SELF_RAISED.has(sig)) p.host.needEventLoop();
  // Setting SIG_IGN discards what is pending (POSIX, the kernel's do_sigaction).
  if (next.handler === SIG_IGN) {
    for (const q of [p.pending, ...[...p.threads.values()].map((t) => t.pending)]) {
      for (let i = q.length - 1; i >= 0; i--) if (q[i].signo === sig) q.splice(i, 1);
    }
  }
  return 0;
}

function sigprocmask(p: LinuxProcess, how: number, set: number, oset: number, setsize: number): number {
  checkSetSize(p, setsize);
  const t = p.current;
  const next = set ? readSigset(p, set, setsize) : undefined;
  if (next !== undefined && how !== SIG_BLOCK && how !== SIG_UNBLOCK && how !== SIG_SETMASK) throw new SyscallError(E.INVAL);
  if (oset) writeSigset(p, oset, setsize, t.sigmask);
  if (next !== undefined) {
    const m = how === SIG_BLOCK ? t.sigmask | next : how === SIG_UNBLOCK ? t.sigmask & ~next : next;
    t.sigmask = m & ~UNBLOCKABLE;
  }
  return 0;
}

/** Pending for the thread: its own and the process's (blocked ones; the others are delivered
 *  before the call returns). */
function sigpending(p: LinuxProcess, set: number, setsize: number): number {
  if (setsize > p.arch.sigsetSize) throw new SyscallError(E.INVAL);
  const mask = [...p.current.pending, ...p.pending].reduce((m, q) => m | sigbit(q.signo), 0n);
  writeSigset(p, set, setsize, mask);
  return 0;
}

function sigaltstack(p: LinuxProcess, ss: number, oss: number): number {
  const t = p.current;
  const l = p.layouts.stack_t;
  const next = ss ? readStructBig(p.mem, ss, l) : undefined;
  const flags = altStackFlags(t, p.arch.signals.sp(p.mem, t.env));
  if (oss) writeStruct(p.mem, oss, l, { sp: t.altstack.sp, size: t.altstack.size, flags });
  if (!next) return 0;
  if (flags === SS_ONSTACK) throw new SyscallError(E.PERM);
  const f = Number(next.flags);
  if (f & ~SS_DISABLE & ~(1 << 31)) throw new SyscallError(E.INVAL); // SS_AUTODISARM is bit 31
  if (f & SS_DISABLE) {
    t.altstack = { sp: 0, flags: SS_DISABLE, size: 0 };
  } else {
    if (next.size < MINSIGSTKSZ) throw new SyscallError(E.NOMEM);
    t.altstack = { sp: Number(next.sp), flags: 0, size: Number(next.size) };
  }
  return 0;
}

/** What kill(2) and friends put in the siginfo of a signal from this process. */
const fromUs = (p: LinuxProcess, sig: number, code: number): SigInfo => ({
  signo: sig, code, fields: { pid: p.pid, uid: process.getuid?.() ?? 0 },
});

function isSelf(p: LinuxProcess, pid: number): boolean {
  return pid === p.pid || pid === 0 || pid === -1 || pid === -p.pid;
}

/** kill(2). Another process is a host process (signal numbers are the host's too); a group or
 *  "everyone" (0, -1, -pgid) reaches this process and its children, not the host's others. */
function kill(p: LinuxProcess, pid: number, sig: number): number {
  if (sig !== 0) checkSig(sig);
  const others = isSelf(p, pid) ? (pid > 0 ? [] : [...p.children.keys()]) : [pid];
  for (const other of others) {
    if (p.children.get(other)?.ended) continue; // a zombie takes signals and ignores them
    try {
      process.kill(other, sig);
    } catch (e) {
      if (pid === other) throw e; // ESRCH, EPERM
    }
  }
  if (isSelf(p, pid) && sig !== 0) sendSignal(p, undefined, fromUs(p, sig, SI_USER));
  return 0;
}

/** The thread `tid` of this process (and thread group `tgid`, unless -1). */
function threadOf(p: LinuxProcess, tgid: number, tid: number): GuestThread {
  if (tid <= 0 || (tgid !== -1 && tgid <= 0)) throw new SyscallError(E.INVAL);
  const t = p.threads.get(tid);
  if (!t || (tgid !== -1 && tgid !== p.pid)) throw new SyscallError(E.SRCH);
  return t;
}

function tgkill(p: LinuxProcess, tgid: number, tid: number, sig: number): number {
  if (sig !== 0) checkSig(sig);
  const t = threadOf(p, tgid, tid);
  if (sig !== 0) sendSignal(p, t, fromUs(p, sig, SI_TKILL));
  return 0;
}

/** rt_sigqueueinfo / rt_tgsigqueueinfo: the caller's siginfo, whose si_code may not claim to
 *  come from the kernel (man 2 rt_sigqueueinfo: EPERM for si_code >= 0 or SI_TKILL). */
function sigqueue(p: LinuxProcess, t: GuestThread | undefined, sig: number, uinfo: number): number {
  checkSig(sig);
  const raw = readStructBig(p.mem, uinfo, p.layouts.siginfo);
  const code = Number(raw.code);
  if (code >= 0 || code === SI_TKILL) throw new SyscallError(E.PERM);
  sendSignal(p, t, { signo: sig, code, errno: Number(raw.errno), fields: { pid: raw.pid, uid: raw.uid, value: raw.value } });
  return 0;
}

/** Waits until a signal handler is to run (pause, sigsuspend): they only end by EINTR. */
function waitForHandler(p: LinuxProcess): number | bigint {
  return p.waitFor({ poll: () => undefined, interrupted: () => -ERESTARTNOHAND });
}

function sigsuspend(p: LinuxProcess, set: number, setsize: number): number | bigint {
  checkSetSize(p, setsize);
  const mask = readSigset(p, set, setsize);
  const t = p.current;
  t.savedMask = t.sigmask;
  t.sigmask = mask & ~UNBLOCKABLE;
  return waitForHandler(p);
}

function sigtimedwait(p: LinuxProcess, set: number, info: number, timeout: number, setsize: number): number | bigint {
  checkSetSize(p, setsize);
  const want = readSigset(p, set, setsize) & ~UNBLOCKABLE;
  const t = p.current;
  const ns = timeout ? readTimespec(p, timeout) : undefined;
  return p.waitFor({
    poll: () => {
      const q = takeSignal(p, t, ALL_SIGNALS & ~want);
      if (!q) return undefined;
      if (info) writeStruct(p.mem, info, p.layouts.siginfo, { signo: q.signo, errno: q.errno ?? 0, code: q.code, ...q.fields });
      return q.signo;
    },
    deadline: ns === undefined ? undefined : deadlineAfterNs(ns),
    timeout: () => -E.AGAIN,
    interrupted: () => -E.INTR,
  });
}

/** struct signalfd_siginfo (include/uapi/linux/signalfd.h): the same 128 bytes on every arch. */
const SIGNALFD_SIGINFO = layout(128, [
  ['signo', 0, 4], ['errno', 4, -4], ['code', 8, -4], ['pid', 12, 4], ['uid', 16, 4], ['fd', 20, -4],
  ['tid', 24, 4], ['band', 28, 4], ['overrun', 32, 4], ['status', 40, -4], ['int', 44, -4],
  ['ptr', 48, 8], ['utime', 56, 8], ['stime', 64, 8], ['addr', 72, 8],
]);

/** A signalfd: reading it takes the reading thread's pending signals of its mask. */
class SignalFd extends OpenFile {
  constructor(private readonly p: LinuxProcess, public mask: bigint, flags: number) {
    super('anon_inode:[signalfd]', flags);
  }
  read(dst: Uint8Array, off: number, len: number): number {
    if (len < SIGNALFD_SIGINFO.size) throw new SyscallError(E.INVAL);
    let n = 0;
    for (let q; n + SIGNALFD_SIGINFO.size <= len && (q = takeSignal(this.p, this.p.current, ALL_SIGNALS & ~this.mask));) {
      const f = q.fields ?? {};
      dst.set(encodeStruct(SIGNALFD_SIGINFO, { ...f, signo: q.signo, errno: q.errno ?? 0, code: q.code, int: f.value, ptr: f.value }), off + n);
      n += SIGNALFD_SIGINFO.size;
    }
    if (n === 0) throw AGAIN;
    return n;
  }
  write(): number { throw new SyscallError(E.INVAL); }
  override pollMask(): number {
    const open = (q: SigInfo): boolean => (this.mask & sigbit(q.signo)) !== 0n;
    return this.p.current.pending.some(open) || this.p.pending.some(open) ? POLLIN | POLLRDNORM : 0;
  }
  stat(): StatInfo { return anonInodeStat(); }
}

function signalfd4(p: LinuxProcess, fd: number, set: number, setsize: number, flags: number): number {
  checkSetSize(p, setsize);
  const mask = readSigset(p, set, setsize) & ~UNBLOCKABLE;
  const nonblock = p.hasOpenFlag(flags, 'O_NONBLOCK');
  const cloexec = p.hasOpenFlag(flags, 'O_CLOEXEC');
  if (flags & ~((p.arch.openFlags.O_NONBLOCK ?? 0) | (p.arch.openFlags.O_CLOEXEC ?? 0))) throw new SyscallError(E.INVAL);
  if (fd !== -1) {
    const f = p.fds.get(fd);
    if (!(f instanceof SignalFd)) throw new SyscallError(E.INVAL);
    f.mask = mask;
    return fd;
  }
  const f = new SignalFd(p, mask, 2);
  f.nonblock = nonblock;
  return p.fds.add(f, cloexec);
}

export const SIGNAL_CALLS: Record<string, SyscallImpl> = {
  rt_sigaction: { args: ['signal', 'ptr', 'ptr', 'sigsetsize'], fn: sigaction },
  rt_sigprocmask: { args: ['sighow', 'ptr', 'ptr', 'sigsetsize'], fn: sigprocmask },
  rt_sigpending: { args: ['ptr', 'sigsetsize'], straceRaw: true, fn: sigpending },
  sigaltstack: { args: ['ptr', 'ptr'], fn: sigaltstack },
  kill: { args: ['int', 'signal'], fn: kill },
  tgkill: { args: ['int', 'int', 'signal'], fn: tgkill },
  tkill: { args: ['int', 'signal'], fn: (p, tid, sig) => tgkill(p, -1, tid, sig) },
  rt_sigqueueinfo: {
    args: ['int', 'signal', 'ptr'],
    fn: (p, pid, sig, uinfo) => {
      if (!isSelf(p, pid) || pid <= 0) throw new SyscallError(E.SRCH);
      return sigqueue(p, undefined, sig, uinfo);
    },
  },
  rt_tgsigqueueinfo: {
    args: ['int', 'int', 'signal', 'ptr'],
    fn: (p, tgid, tid, sig, uinfo) => sigqueue(p, threadOf(p, tgid, tid), sig, uinfo),
  },
  pause: { args: [], fn: waitForHandler },
  rt_sigsuspend: { args: ['ptr', 'sigsetsize'], fn: sigsuspend },
  rt_sigtimedwait: { args: ['ptr', 'ptr', 'timespec', 'sigsetsize'], straceRaw: true, fn: sigtimedwait },
  signalfd4: { args: ['fd', 'ptr', 'sigsetsize', 'openflags'], straceRaw: true, fn: signalfd4 },
  signalfd: { args: ['fd', 'ptr', 'sigsetsize'], straceRaw: true, fn: (p, fd, set, size) => signalfd4(p, fd, set, size, 0) },
  rt_sigreturn: { args: [], restoresRegisters: true, fn: (p) => sigreturn(p, true) },
};
