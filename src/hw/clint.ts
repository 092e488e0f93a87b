// The CLINT of qemu's virt machine (SiFive's core-local interruptor, at 0x2000000) for one hart:
// msip at 0x0 (bit 0 raises the machine software interrupt), mtimecmp at 0x4000 and mtime at
// 0xbff8, both 64 bits. mtime counts at 10 MHz (the virt machine's timebase-frequency) from the
// host's monotonic clock; the machine timer interrupt is pending while mtime >= mtimecmp.
import { MmioDevice, regMerge, regSlice } from './mmio-device.js';

const MSIP = 0x0, MTIMECMP = 0x4000, MTIME = 0xbff8;
export const CLINT_SIZE = 0x10000;
export const TIMEBASE_HZ = 10_000_000;

export class Clint implements MmioDevice {
  readonly name = 'clint';
  msip = 0;
  mtimecmp = (1n << 64n) - 1n;
  /** mtime = host time since `origin` in timebase ticks, plus `offset` (a guest write). */
  private readonly origin = process.hrtime.bigint();
  private offset = 0n;

  mtime(): bigint {
    return BigInt.asUintN(64, (process.hrtime.bigint() - this.origin) / BigInt(1e9 / TIMEBASE_HZ) + this.offset);
  }

  /** performance.now() when mtime reaches mtimecmp: the hart asks after every block whether
   *  the timer is due, and comparing two numbers is what that can afford. */
  private dueAt = Infinity;

  timerPending(): boolean {
    return performance.now() >= this.dueAt;
  }

  /** Host nanoseconds until the timer interrupt is due (0 if it is). */
  nsUntilTimer(): number {
    const ticks = this.mtimecmp - this.mtime();
    return ticks <= 0n ? 0 : Number(ticks) * (1e9 / TIMEBASE_HZ);
  }

  private rearm(): void {
    this.dueAt = performance.now() + this.nsUntilTimer() / 1e6;
  }

  read(offset: number, size: number): bigint {
    if (offset >= MSIP && offset < MSIP + 4) return regSlice(BigInt(this.msip), offset - MSIP, size);
    if (offset >= MTIMECMP && offset < MTIMECMP + 8) return regSlice(this.mtimecmp, offset - MTIMECMP, size);
    if (offset >= MTIME && offset < MTIME + 8) return regSlice(this.mtime(), offset - MTIME, size);
    return 0n;
  }

  write(offset: number, size: number, value: bigint): void {
    if (offset >= MSIP && offset < MSIP + 4) {
      this.msip = Number(regMerge(BigInt(this.msip), offset - MSIP, size, value) & 1n);
    } else if (offset >= MTIMECMP && offset < MTIMECMP + 8) {
      this.mtimecmp = regMerge(this.mtimecmp, offset - MTIMECMP, size, value);
      this.rearm();
    } else if (offset >= MTIME && offset < MTIME + 8) {
      const now = this.mtime();
      this.offset += regMerge(now, offset - MTIME, size, value) - now;
      this.rearm();
    }
  }
}
