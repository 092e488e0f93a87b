// The PLIC of qemu's virt machine (at 0xc000000), in the SiFive layout its device tree names
// ("sifive,plic-1.0.0"; register map: SiFive's U54-MC manual, chapter "Platform-Level Interrupt
// Controller", and the RISC-V PLIC specification 1.0.0): a 32-bit priority per source from 0x0,
// the pending bits from 0x1000, the enable bits of context c from 0x2000 + 0x80 c, and its
// threshold and claim/complete registers at 0x200000 + 0x1000 c. Contexts come in pairs per hart
// (M-mode, then S-mode), and a context's output is the hart's MEIP or SEIP.
// What qemu 7.2's virt shows a guest (tests/system-bins/src/plic-uart.c checks it against
// qemu-system-riscv64): 96 sources ("riscv,ndev"), 3 priority bits (priorities and thresholds
// keep their low 3 bits), the enable words keep every bit written, pending bits are read-only.
// A source becomes pending when its device raises its line and stays pending until claimed,
// whatever the line does meanwhile (the spec's gateway); a claimed source is not offered again
// until completed, and is pending again after completion if its line is still high.
import { MmioDevice } from './mmio-device.js';

export const PLIC_SIZE = 0x600000;
/** Interrupt sources, including the non-existent source 0 (the device tree's riscv,ndev). */
export const PLIC_SOURCES = 96;
const WORDS = PLIC_SOURCES / 32;
const PRIORITY_MASK = 7;
const PENDING = 0x1000, ENABLE = 0x2000, ENABLE_STRIDE = 0x80, CONTEXT = 0x200000, CONTEXT_STRIDE = 0x1000;

export class Plic implements MmioDevice {
  readonly name = 'plic';
  private readonly priority = new Uint32Array(PLIC_SOURCES);
  private readonly pending = new Uint32Array(WORDS);
  private readonly claimed = new Uint32Array(WORDS);
  private readonly level = new Uint32Array(WORDS);
  private readonly enable: Uint32Array;
  private readonly threshold: Uint32Array;
  /** Bit c set while context c has a pending, enabled source above its threshold. */
  outputs = 0;

  /** `contexts`: two per hart. `changed` is called whenever `outputs` may have changed. */
  constructor(readonly contexts: number, private readonly changed: () => void = () => {}) {
    this.enable = new Uint32Array(contexts * WORDS);
    this.threshold = new Uint32Array(contexts);
  }

  /** A device's interrupt line (source 1..95) goes high or low. */
  setLevel(irq: number, high: boolean): void {
    const w = irq >> 5, bit = 1 << (irq & 31);
    if (high) {
      this.level[w] |= bit;
      this.pending[w] |= bit;
    } else {
      this.level[w] &= ~bit;
    }
    this.update();
  }

  read(offset: number, size: number): bigint {
    if (size !== 4 || offset & 3) return 0n;
    return BigInt(this.read32(offset) >>> 0);
  }

  write(offset: number, size: number, value: bigint): void {
    if (size !== 4 || offset & 3) return;
    this.write32(offset, Number(value & 0xffffffffn));
    this.update();
  }

  private read32(offset: number): number {
    if (offset < PENDING) return offset / 4 < PLIC_SOURCES ? this.priority[offset / 4] : 0;
    if (offset < PENDING + WORDS * 4) return this.pending[(offset - PENDING) / 4];
    const ctx = this.enableContext(offset);
    if (ctx >= 0) return this.enable[ctx * WORDS + ((offset - ENABLE) % ENABLE_STRIDE) / 4];
    const [c, reg] = this.contextRegister(offset);
    if (c < 0) return 0;
    return reg === 0 ? this.threshold[c] : this.claim(c);
  }

  private write32(offset: number, v: number): void {
    if (offset < PENDING) {
      const irq = offset / 4;
      if (irq > 0 && irq < PLIC_SOURCES) this.priority[irq] = v & PRIORITY_MASK;
      return;
    }
    const ctx = this.enableContext(offset);
    if (ctx >= 0) {
      this.enable[ctx * WORDS + ((offset - ENABLE) % ENABLE_STRIDE) / 4] = v;
      return;
    }
    const [c, reg] = this.contextRegister(offset);
    if (c < 0) return;
    if (reg === 0) this.threshold[c] = v & PRIORITY_MASK;
    else this.complete(c, v);
  }

  /** The context whose enable words hold `offset`, or -1. */
  private enableContext(offset: number): number {
    if (offset < ENABLE || offset >= CONTEXT) return -1;
    const c = Math.floor((offset - ENABLE) / ENABLE_STRIDE);
    return c < this.contexts && (offset - ENABLE) % ENABLE_STRIDE < WORDS * 4 ? c : -1;
  }

  /** [context, 0 threshold | 4 claim] of a context register, or [-1, 0]. */
  private contextRegister(offset: number): [number, number] {
    if (offset < CONTEXT) return [-1, 0];
    const c = Math.floor((offset - CONTEXT) / CONTEXT_STRIDE), reg = (offset - CONTEXT) % CONTEXT_STRIDE;
    return c < this.contexts && (reg === 0 || reg === 4) ? [c, reg] : [-1, 0];
  }

  /** The highest-priority source context c may take (the lowest number among equals), or 0. */
  private best(c: number): number {
    let best = 0, bestPriority = this.threshold[c];
    for (let w = 0; w < WORDS; w++) {
      let bits = this.pending[w] & ~this.claimed[w] & this.enable[c * WORDS + w];
      while (bits) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const irq = w * 32 + b;
        if (this.priority[irq] > bestPriority) {
          best = irq;
          bestPriority = this.priority[irq];
        }
      }
    }
    return best;
  }

  private claim(c: number): number {
    const irq = this.best(c);
    if (irq !== 0) {
      const w = irq >> 5, bit = 1 << (irq & 31);
      this.pending[w] &= ~bit;
      this.claimed[w] |= bit;
    }
    this.update();
    return irq;
  }

  /** Completion of `irq`: ignored unless the context has it enabled (the spec's rule). */
  private complete(c: number, irq: number): void {
    if (irq <= 0 || irq >= PLIC_SOURCES) return;
    const w = irq >> 5, bit = 1 << (irq & 31);
    if (!(this.enable[c * WORDS + w] & bit)) return;
    this.claimed[w] &= ~bit;
    if (this.level[w] & bit) this.pending[w] |= bit;
  }

  private update(): void {
    let out = 0;
    for (let c = 0; c < this.contexts; c++) if (this.best(c) !== 0) out |= 1 << c;
    if (out !== this.outputs) {
      this.outputs = out;
      this.changed();
    }
  }
}
