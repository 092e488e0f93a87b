// futex and membarrier for a single-threaded guest: nobody else can change or wake a futex word.
import { E, SyscallError } from './errno.js';
import type { LinuxProcess } from './process.js';
import { readTimespec, sleepNs, clockNs } from './time-calls.js';
import type { SyscallImpl } from './syscall-arch.js';

// futex operations (include/uapi/linux/futex.h).
const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;

function futex(p: LinuxProcess, uaddr: number, op: number, val: number, timeout: number, _uaddr2: number, val3: number): number {
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  switch (cmd) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: {
      if (uaddr & 3) throw new SyscallError(E.INVAL);
      if (p.mem.readU32(uaddr) !== val >>> 0) throw new SyscallError(E.AGAIN);
      if (!timeout) throw new SyscallError(E.INTR); // no other thread could ever wake us
      const t = readTimespec(p, timeout);
      // FUTEX_WAIT's timeout is relative; FUTEX_WAIT_BITSET's is absolute on the chosen clock.
      const clk = op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
      sleepNs(cmd === FUTEX_WAIT ? t : t - clockNs(clk));
      throw new SyscallError(E.TIMEDOUT);
    }
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET: case FUTEX_REQUEUE: case FUTEX_WAKE_OP:
      return 0;
    case FUTEX_CMP_REQUEUE:
      if (p.mem.readU32(uaddr) !== val3 >>> 0) throw new SyscallError(E.AGAIN);
      return 0;
    default:
      throw new SyscallError(E.NOSYS);
  }
}

export const SYNC_CALLS: Record<string, SyscallImpl> = {
  futex: { args: ['ptr', 'futexop', 'int', 'ptr', 'ptr', 'int'], fn: futex },
  membarrier: { args: ['int', 'uint', 'int'], fn: () => 0 },
};
