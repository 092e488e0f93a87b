// The CLINT of qemu's virt machine (SiFive's core-local interruptor, at 0x2000000; register map:
// SiFive's U54-MC manual, chapter "Core-Local Interruptor"): per hart h, msip at 0x0 + 4 h (bit
// 0 raises its machine software interrupt: the inter-processor interrupt) and mtimecmp at
// 0x4000 + 8 h, and the one mtime at 0xbff8, both 64 bits. mtime counts at 10 MHz (the virt
// machine's timebase-frequency) from the host's monotonic clock; a hart's machine timer
// interrupt is pending while mtime >= its mtimecmp. With Sstc each hart's stimecmp is another
// compare register against the same mtime.
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
  /** Each hart's msip bit. */
  readonly msip: Uint8Array;
  /** mtime = host time since `origin` in timebase ticks, plus `offset` (a guest write). */
  private readonly origin = process.hrtime.bigint();
  private offset = 0n;
  /** Every compare register against mtime: a write of mtime moves when each is due. */
  private readonly compares: TimerCompare[] = [];
  /** Each hart's mtimecmp. */
  readonly mtimecmp: TimerCompare[];

  constructor(readonly harts = 1) {
    this.msip = new Uint8Array(harts);
    this.mtimecmp = Array.from({ length: harts }, () => this.compare((1n << 64n) - 1n));
  }

  mtime(): bigint {
    return BigInt.asUintN(64, (process.hrtime.bigint() - this.origin) / BigInt(1e9 / TIMEBASE_HZ) + this.offset);
  }

  /** A new compare register (the hart's stimecmp with Sstc). */
  compare(initial: bigint): TimerCompare {
    const c = new TimerCompare(this, initial);
    this.compares.push(c);
    return c;
  }

  /** The hart whose msip word holds `offset`, or -1. */
  private msipHart(offset: number): number {
    const h = Math.floor((offset - MSIP) / 4);
    return offset >= MSIP && h < this.harts ? h : -1;
  }
  /** The hart whose mtimecmp holds `offset`, or -1. */
  private mtimecmpHart(offset: number): number {
    const h = Math.floor((offset - MTIMECMP) / 8);
    return offset >= MTIMECMP && h < this.harts ? h : -1;
  }

  read(offset: number, size: number): bigint {
    let h = this.msipHart(offset);
    if (h >= 0) return regSlice(BigInt(this.msip[h]), offset - MSIP - 4 * h, size);
    h = this.mtimecmpHart(offset);
    if (h >= 0) return regSlice(this.mtimecmp[h].value, offset - MTIMECMP - 8 * h, size);
    if (offset >= MTIME && offset < MTIME + 8) return regSlice(this.mtime(), offset - MTIME, size);
    return 0n;
  }

  write(offset: number, size: number, value: bigint): void {
    let h = this.msipHart(offset);
    if (h >= 0) {
      this.msip[h] = Number(regMerge(BigInt(this.msip[h]), offset - MSIP - 4 * h, size, value) & 1n);
      return;
    }
    h = this.mtimecmpHart(offset);
    if (h >= 0) {
      const cmp = this.mtimecmp[h];
      cmp.value = regMerge(cmp.value, offset - MTIMECMP - 8 * h, size, value);
    } else if (offset >= MTIME && offset < MTIME + 8) {
      const now = this.mtime();
      this.offset += regMerge(now, offset - MTIME, size, value) - now;
      for (const c of this.compares) c.rearm();
    }
  }
}
