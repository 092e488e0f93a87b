// The CLINT of qemu's virt machine (SiFive's core-local interruptor, at 0x2000000) for one hart:
// msip at 0x0 (bit 0 raises the machine software interrupt), mtimecmp at 0x4000 and mtime at
// 0xbff8, both 64 bits. mtime counts at 10 MHz (the virt machine's timebase-frequency) from the
// host's monotonic clock; the machine timer interrupt is pending while mtime >= mtimecmp. With
// Sstc the hart's stimecmp is another compare register against the same mtime.
import { MmioDevice, regMerge, regSlice } from './mmio-device.js';

const MSIP = 0x0, MTIMECMP = 0x4000, MTIME = 0xbff8;
export const CLINT_SIZE = 0x10000;
export const TIMEBASE_HZ = 10_000_000;

/** A compare register against the CLINT's mtime (mtimecmp, or a hart's Sstc stimecmp): its
 *  timer interrupt is pending while mtime >= value. */
export class TimerCompare {
  /** performance.now() when mtime reaches the value: the hart asks every few blocks whether the
   *  timer is due, and comparing two numbers is what that can afford. */
  private dueAt = Infinity;

  constructor(private readonly clint: Clint, private cmp: bigint) {
    this.rearm();
  }

  get value(): bigint {
    return this.cmp;
  }
  set value(v: bigint) {
    this.cmp = v;
    this.rearm();
  }

  pending(): boolean {
    return performance.now() >= this.dueAt;
  }

  /** Host nanoseconds until the interrupt is due (0 if it is). */
  nsUntil(): number {
    const ticks = this.cmp - this.clint.mtime();
    return ticks <= 0n ? 0 : Number(ticks) * (1e9 / TIMEBASE_HZ);
  }

  /** After a change of the value or of mtime. */
  rearm(): void {
    this.dueAt = performance.now() + this.nsUntil() / 1e6;
  }
}

export class Clint implements MmioDevice {
  readonly name = 'clint';
  msip = 0;
  /** mtime = host time since `origin` in timebase ticks, plus `offset` (a guest write). */
  private readonly origin = process.hrtime.bigint();
  private offset = 0n;
  /** Every compare register against mtime: a write of mtime moves when each is due. */
  private readonly compares: TimerCompare[] = [];
  readonly mtimecmp = this.compare((1n << 64n) - 1n);

  mtime(): bigint {
    return BigInt.asUintN(64, (process.hrtime.bigint() - this.origin) / BigInt(1e9 / TIMEBASE_HZ) + this.offset);
  }

  /** A new compare register (the hart's stimecmp with Sstc). */
  compare(initial: bigint): TimerCompare {
    const c = new TimerCompare(this, initial);
    this.compares.push(c);
    return c;
  }

  read(offset: number, size: number): bigint {
    if (offset >= MSIP && offset < MSIP + 4) return regSlice(BigInt(this.msip), offset - MSIP, size);
    if (offset >= MTIMECMP && offset < MTIMECMP + 8) return regSlice(this.mtimecmp.value, offset - MTIMECMP, size);
    if (offset >= MTIME && offset < MTIME + 8) return regSlice(this.mtime(), offset - MTIME, size);
    return 0n;
  }

  write(offset: number, size: number, value: bigint): void {
    if (offset >= MSIP && offset < MSIP + 4) {
      this.msip = Number(regMerge(BigInt(this.msip), offset - MSIP, size, value) & 1n);
    } else if (offset >= MTIMECMP && offset < MTIMECMP + 8) {
      this.mtimecmp.value = regMerge(this.mtimecmp.value, offset - MTIMECMP, size, value);
    } else if (offset >= MTIME && offset < MTIME + 8) {
      const now = this.mtime();
      this.offset += regMerge(now, offset - MTIME, size, value) - now;
      for (const c of this.compares) c.rearm();
    }
  }
}
