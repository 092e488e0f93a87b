// Threads: clone with CLONE_VM|CLONE_THREAD|CLONE_SIGHAND (what pthread_create and Go's
// runtime do), exit of one thread against exit_group, and the per-thread addresses the kernel
// keeps (set_tid_address, the robust futex list). A new thread is another vCPU: its state area
// is a copy of its parent's, then the arch sets the child's registers (kernel/fork.c, copy_thread).
import { CPU_CONTROL } from '../../memory/guest-memory.js';
import { E, SyscallError } from './errno.js';
import { forkProcess } from './fork-calls.js';
import { threadEnds } from './futex.js';
import { SS_DISABLE } from './guest-thread.js';
import { endMappings } from './memory-calls.js';
import { GuestExit, LinuxProcess, ThreadExit } from './process.js';
import type { SyscallImpl } from './syscall-arch.js';

// clone flags (include/uapi/linux/sched.h).
const CLONE_VM = 0x100, CLONE_SIGHAND = 0x800, CLONE_THREAD = 0x10000;
const CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_CHILD_SETTID = 0x01000000;
const THREAD = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;

/** clone(flags, stack, parent_tid, tls, child_tid): the argument order of both riscv64 and ARM
 *  (CONFIG_CLONE_BACKWARDS). */
function clone(p: LinuxProcess, flags: number, stack: number, ptid: number, tls: number, ctid: number): number {
  if (flags & CLONE_THREAD && !(flags & CLONE_SIGHAND)) throw new SyscallError(E.INVAL);
  if (flags & CLONE_SIGHAND && !(flags & CLONE_VM)) throw new SyscallError(E.INVAL);
  // A new process (fork, vfork, posix_spawn's CLONE_VM|CLONE_VFORK) is a host process with a
  // copy of this one: sharing the memory (CLONE_VM without CLONE_THREAD) is not possible
  // between host processes, and a vfork child that execs or exits at once needs only the copy.
  if (!(flags & CLONE_THREAD)) return forkProcess(p, flags, stack, ptid, ctid);
  if ((flags & THREAD) !== THREAD) throw new SyscallError(E.INVAL);
  const parent = p.current;
  const t = p.newThread();
  p.mem.u8.copyWithin(t.env, parent.env, parent.env + CPU_CONTROL);
  p.arch.signals.initThread(p.mem, t.env, stack, flags & CLONE_SETTLS ? tls : undefined);
  t.sigmask = parent.sigmask;
  t.altstack = { sp: 0, flags: SS_DISABLE, size: 0 };
  if (flags & CLONE_PARENT_SETTID) p.mem.writeU32(ptid, t.tid);
  if (flags & CLONE_CHILD_SETTID) p.mem.writeU32(ctid, t.tid);
  if (flags & CLONE_CHILD_CLEARTID) t.clearChildTid = ctid;
  p.threads.set(t.tid, t);
  p.host.startThread(t);
  return t.tid;
}

/** exit: this thread ends; the process with it when it is the last. */
function exitThread(p: LinuxProcess, status: number): never {
  const t = p.current;
  if (p.threads.size === 1) {
    endMappings(p);
    throw new GuestExit(status & 0xff);
  }
  threadEnds(p, t);
  p.threads.delete(t.tid);
  throw new ThreadExit(status & 0xff);
}

function setRobustList(p: LinuxProcess, head: number, len: number): number {
  if (len !== 3 * (p.arch.wordBits / 8)) throw new SyscallError(E.INVAL);
  p.current.robustList = head;
  p.current.robustLen = len;
  return 0;
}

function getRobustList(p: LinuxProcess, tid: number, headPtr: number, lenPtr: number): number {
  const t = tid === 0 ? p.current : p.threads.get(tid);
  if (!t) throw new SyscallError(E.SRCH);
  const word = p.arch.wordBits / 8;
  const put = (a: number, v: number): void => (word === 8 ? p.mem.writeU64(a, BigInt(v)) : p.mem.writeU32(a, v));
  put(lenPtr, t.robustLen);
  put(headPtr, t.robustList);
  return 0;
}

export const THREAD_CALLS: Record<string, SyscallImpl> = {
  clone: { args: ['hex', 'ptr', 'ptr', 'ptr', 'ptr'], fn: clone },
  // glibc falls back to clone when clone3 is missing.
  clone3: { args: ['ptr', 'ulong'], fn: () => -E.NOSYS },
  exit: { args: ['int'], fn: exitThread },
  exit_group: {
    args: ['int'],
    fn: (p, status) => {
      endMappings(p);
      throw new GuestExit(status & 0xff);
    },
  },
  set_tid_address: {
    args: ['ptr'],
    straceRaw: true,
    fn: (p, addr) => { p.current.clearChildTid = addr; return p.current.tid; },
  },
  set_robust_list: { args: ['ptr', 'ulong'], straceRaw: true, fn: setRobustList },
  get_robust_list: { args: ['int', 'ptr', 'ptr'], fn: getRobustList },
  gettid: { args: [], fn: (p) => p.current.tid },
};
