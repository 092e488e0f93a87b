// The Goldfish real-time clock of qemu's virt machine (at 0x101000, PLIC source 11; register map:
// Android's "Goldfish virtual hardware platform" document, section "Goldfish real-time clock"):
// nanoseconds since the Unix epoch from the host's clock, readable as TIME_LOW (which latches the
// high half) then TIME_HIGH, settable by writing either half; one alarm that raises the interrupt
// when the time reaches it, while IRQ_ENABLED is set, until CLEAR_INTERRUPT. What a guest sees
// is checked against qemu-system-riscv64 by tests/system-bins/src/rtc.c.
import { MmioDevice } from './mmio-device.js';

const TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c, IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c;
export const RTC_SIZE = 0x1000;

const low = (v: bigint): bigint => v & 0xffffffffn;
/** v with its low (or high) 32 bits replaced by w. */
const withLow = (v: bigint, w: bigint): bigint => (v & ~0xffffffffn) | low(w);
const withHigh = (v: bigint, w: bigint): bigint => low(v) | (low(w) << 32n);

export class GoldfishRtc implements MmioDevice {
  readonly name = 'rtc';
  /** The host's time in ns is Date.now() at `epochNs` plus the monotonic clock since `origin`
   *  (Date.now() alone has only millisecond steps); `offset` is what guest writes moved it by. */
  private readonly epochNs = BigInt(Date.now()) * 1_000_000n;
  private readonly origin = process.hrtime.bigint();
  private offset = 0n;
  private latchedHigh = 0n;
  private alarm = 0n;
  private alarmRunning = false;
  private irqEnabled = false;
  private irqPending = false;
  /** performance.now() when the running alarm fires (Infinity when none runs). */
  dueAt = Infinity;

  constructor(private readonly irq: (high: boolean) => void = () => {}) {}

  now(): bigint {
    return this.epochNs + (process.hrtime.bigint() - this.origin) + this.offset;
  }

  /** Fires the alarm if it is due (the system loop calls this when dueAt has passed). */
  poll(): void {
    if (this.alarmRunning && this.now() >= this.alarm) {
      this.alarmRunning = false;
      this.dueAt = Infinity;
      this.irqPending = true;
      this.update();
    }
  }

  read(offset: number, size: number): bigint {
    if (size !== 4) return 0n;
    switch (offset) {
      case TIME_LOW: {
        const t = this.now();
        this.latchedHigh = t >> 32n;
        return low(t);
      }
      case TIME_HIGH: return low(this.latchedHigh);
      case ALARM_LOW: return low(this.alarm);
      case ALARM_HIGH: return low(this.alarm >> 32n);
      case IRQ_ENABLED: return this.irqEnabled ? 1n : 0n;
      case ALARM_STATUS: return this.alarmRunning ? 1n : 0n;
      default: return 0n;
    }
  }

  write(offset: number, size: number, value: bigint): void {
    if (size !== 4) return;
    switch (offset) {
      case TIME_LOW:
      case TIME_HIGH: {
        const t = this.now();
        this.offset += (offset === TIME_LOW ? withLow(t, value) : withHigh(t, value)) - t;
        break;
      }
      case ALARM_LOW:
        // Writing the low half sets the alarm (the high half is written first).
        this.alarm = withLow(this.alarm, value);
        this.arm();
        break;
      case ALARM_HIGH: this.alarm = withHigh(this.alarm, value); break;
      case IRQ_ENABLED:
        this.irqEnabled = (value & 1n) !== 0n;
        this.update();
        break;
      case CLEAR_ALARM:
        this.alarmRunning = false;
        this.dueAt = Infinity;
        break;
      case CLEAR_INTERRUPT:
        this.irqPending = false;
        this.update();
        break;
      default: break;
    }
  }

  /** An alarm at or before now fires at once. */
  private arm(): void {
    const ns = this.alarm - this.now();
    this.alarmRunning = true;
    this.dueAt = performance.now() + Math.max(Number(ns), 0) / 1e6;
    this.poll();
  }

  private update(): void {
    this.irq(this.irqPending && this.irqEnabled);
  }
}
