// futex(2) (kernel/futex/, include/uapi/linux/futex.h): wait queues by guest address, kept by the
// main thread, which runs every futex call, so checking the word and queueing the waiter happen
// together with respect to any wake: no wake-up is lost. The words themselves change under the
// guest's own atomics in other workers, so they are read and updated with Atomics.
import { AGAIN, E, ERESTARTSYS, SyscallError } from './errno.js';
import type { GuestThread } from './guest-thread.js';
import type { LinuxProcess } from './process.js';
import type { SyscallImpl } from './syscall-arch.js';
import { clockNs, readTimespec } from './time-calls.js';

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const FUTEX_BITSET_MATCH_ANY = 0xffffffff;
const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;
// Robust futex words (include/uapi/linux/futex.h).
const FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
/** ROBUST_LIST_LIMIT: a bound on the list walk, against cycles. */
const ROBUST_LIST_LIMIT = 2048;

interface Waiter { t: GuestThread; bitset: number; woken: boolean }

/** The wait queues of one process. */
export class FutexTable {
  private readonly queues = new Map<number, Waiter[]>();

  enqueue(addr: number, w: Waiter): void {
    const q = this.queues.get(addr);
    if (q) q.push(w); else this.queues.set(addr, [w]);
  }

  remove(addr: number, w: Waiter): void {
    const q = this.queues.get(addr);
    const i = q?.indexOf(w) ?? -1;
    if (i < 0) return;
    q!.splice(i, 1);
    if (q!.length === 0) this.queues.delete(addr);
  }

  /** Wakes up to `n` waiters on `addr` whose bitset meets `bitset`; returns how many. */
  wake(addr: number, n: number, bitset = FUTEX_BITSET_MATCH_ANY): number {
    const q = this.queues.get(addr);
    let woken = 0;
    for (let i = 0; q && i < q.length && woken < n;) {
      if ((q[i].bitset & bitset) === 0) { i++; continue; }
      q[i].woken = true;
      q.splice(i, 1);
      woken++;
    }
    if (q?.length === 0) this.queues.delete(addr);
    return woken;
  }

  /** Wakes `n` waiters of `from`, then moves up to `m` more to `to`; returns both counts' sum. */
  requeue(from: number, to: number, n: number, m: number): number {
    const woken = this.wake(from, n);
    const q = this.queues.get(from) ?? [];
    const moved = q.splice(0, m);
    if (q.length === 0) this.queues.delete(from);
    for (const w of moved) this.enqueue(to, w);
    return woken + moved.length;
  }
}

function words(p: LinuxProcess): Int32Array {
  return new Int32Array(p.mem.buffer);
}

/** The futex word at `addr`, aligned and readable (EINVAL, EFAULT otherwise). */
function loadWord(p: LinuxProcess, addr: number, write = false): number {
  if (addr % 4) throw new SyscallError(E.INVAL);
  p.mem.check(addr, 4, write);
  return Atomics.load(words(p), addr >>> 2) >>> 0;
}

function wait(p: LinuxProcess, addr: number, val: number, timeout: number, bitset: number, absolute: number | undefined): number | bigint {
  if (bitset === 0) throw new SyscallError(E.INVAL);
  if (loadWord(p, addr) !== val >>> 0) throw AGAIN;
  let deadline: number | undefined;
  if (timeout) {
    const ns = readTimespec(p, timeout);
    deadline = performance.now() + Number(absolute === undefined ? ns : ns - clockNs(absolute)) / 1e6;
  }
  const w: Waiter = { t: p.current, bitset, woken: false };
  p.futexes.enqueue(addr, w);
  const leave = (r: number): number => { p.futexes.remove(addr, w); return r; };
  // A word in memory shared with another process (shared-pages.ts) may change there, where no
  // wake reaches this process: its value is looked at every ms, and a change ends the wait (as
  // a wake-up would; callers look at the word again).
  const remote = p.sharedPages.isRemote(addr);
  return p.waitFor({
    poll: () => (w.woken ? 0 : remote && loadWord(p, addr) !== val >>> 0 ? leave(0) : undefined),
    repollMs: remote ? 1 : undefined,
    deadline,
    timeout: () => leave(-E.TIMEDOUT),
    interrupted: () => leave(-ERESTARTSYS),
  });
}

/** FUTEX_WAKE_OP's operation on the word at uaddr2 and its condition on the old value. */
function wakeOp(p: LinuxProcess, addr: number, n: number, n2: number, addr2: number, encoded: number): number {
  loadWord(p, addr2, true);
  const shift = (encoded >>> 28) & 8;
  const op = (encoded >>> 28) & 7;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20; // bits 23:12, sign-extended
  const cmparg = (encoded << 20) >> 20; // bits 11:0, sign-extended
  if (shift) oparg = 1 << (oparg & 31);
  const w = words(p);
  const i = addr2 >>> 2;
  let old: number;
  switch (op) {
    case 0: old = Atomics.exchange(w, i, oparg); break;
    case 1: old = Atomics.add(w, i, oparg); break;
    case 2: old = Atomics.or(w, i, oparg); break;
    case 3: old = Atomics.and(w, i, ~oparg); break;
    case 4: old = Atomics.xor(w, i, oparg); break;
    default: throw new SyscallError(E.NOSYS);
  }
  const conds = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg];
  if (cmp >= conds.length) throw new SyscallError(E.NOSYS);
  let woken = p.futexes.wake(addr, n);
  if (conds[cmp]) woken += p.futexes.wake(addr2, n2);
  return woken;
}

function futex(p: LinuxProcess, uaddr: number, op: number, val: number, timeout: number, uaddr2: number, val3: number): number | bigint {
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  if (op & FUTEX_CLOCK_REALTIME && cmd !== FUTEX_WAIT && cmd !== FUTEX_WAIT_BITSET) throw new SyscallError(E.NOSYS);
  // The fourth argument is a count (val2) rather than a timeout for the requeue and wake-op forms.
  const val2 = timeout;
  let r: number | bigint;
  switch (cmd) {
    case FUTEX_WAIT:
      return wait(p, uaddr, val, timeout, FUTEX_BITSET_MATCH_ANY, undefined);
    case FUTEX_WAIT_BITSET:
      return wait(p, uaddr, val, timeout, val3, op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC);
    case FUTEX_WAKE:
      if (uaddr % 4) throw new SyscallError(E.INVAL);
      r = p.futexes.wake(uaddr, val);
      break;
    case FUTEX_WAKE_BITSET:
      if (uaddr % 4) throw new SyscallError(E.INVAL);
      if (val3 === 0) throw new SyscallError(E.INVAL);
      r = p.futexes.wake(uaddr, val, val3);
      break;
    case FUTEX_CMP_REQUEUE: case FUTEX_REQUEUE:
      if (cmd === FUTEX_CMP_REQUEUE && loadWord(p, uaddr) !== val3 >>> 0) throw AGAIN;
      if (uaddr % 4 || uaddr2 % 4 || val < 0 || val2 < 0) throw new SyscallError(E.INVAL);
      r = p.futexes.requeue(uaddr, uaddr2, val, val2);
      break;
    case FUTEX_WAKE_OP:
      r = wakeOp(p, uaddr, val, val2, uaddr2, val3);
      break;
    default:
      // The priority-inheritance operations.
      throw new SyscallError(E.NOSYS);
  }
  p.host.changed();
  return r;
}

/** What the kernel does to a futex word a dying thread holds (handle_futex_death): marks the
 *  owner dead and wakes a waiter. */
function futexDeath(p: LinuxProcess, t: GuestThread, addr: number): void {
  if (addr % 4 || !p.mem.accessible(addr, 4, 3)) return;
  const w = words(p);
  const v = Atomics.load(w, addr >>> 2) >>> 0;
  if ((v & FUTEX_TID_MASK) !== t.tid) return;
  Atomics.compareExchange(w, addr >>> 2, v | 0, ((v & FUTEX_WAITERS) | FUTEX_OWNER_DIED) | 0);
  if (v & FUTEX_WAITERS) p.futexes.wake(addr, 1);
}

/** exit_robust_list: struct robust_list_head { next; long futex_offset; list_op_pending }. */
function walkRobustList(p: LinuxProcess, t: GuestThread): void {
  const word = p.arch.wordBits / 8;
  const read = (a: number): number => (word === 8 ? Number(BigInt.asIntN(64, p.mem.readU64(a))) : p.mem.readI32(a));
  try {
    const head = t.robustList;
    let entry = read(head) & ~1; // bit 0 marks a PI futex
    const offset = read(head + word);
    const pending = read(head + 2 * word) & ~1;
    for (let n = 0; entry !== head && entry !== 0 && n < ROBUST_LIST_LIMIT; n++) {
      const next = read(entry) & ~1;
      if (entry !== pending) futexDeath(p, t, entry + offset);
      entry = next;
    }
    if (pending) futexDeath(p, t, pending + offset);
  } catch {
    // An unreadable list ends the walk, as in the kernel.
  }
}

/** What the kernel does when thread `t` ends (mm_release, exit_robust_list): robust futexes
 *  marked, the clear_child_tid word zeroed and woken (pthread_join waits on it). */
export function threadEnds(p: LinuxProcess, t: GuestThread): void {
  if (t.robustList) walkRobustList(p, t);
  const ctid = t.clearChildTid;
  if (ctid && ctid % 4 === 0 && p.mem.accessible(ctid, 4, 2)) {
    Atomics.store(words(p), ctid >>> 2, 0);
    p.futexes.wake(ctid, 1);
  }
  p.host.changed();
}

export const FUTEX_CALLS: Record<string, SyscallImpl> = {
  futex: { args: ['ptr', 'futexop', 'int', 'ptr', 'ptr', 'int'], fn: futex },
};
