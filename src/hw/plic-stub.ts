// A placeholder for the virt machine's PLIC (at 0xc000000): its registers keep what is written
// and a claim reads 0 (no interrupt), so firmware that initialises it (OpenSBI) runs on. Routing
// device interrupts is not implemented yet; no device raises one.
import { MmioDevice, regMerge, regSlice } from './mmio-device.js';

export const PLIC_SIZE = 0x600000;

export class PlicStub implements MmioDevice {
  readonly name = 'plic';
  private readonly words = new Map<number, bigint>();

  read(offset: number, size: number): bigint {
    const base = offset & ~3;
    return regSlice(this.words.get(base) ?? 0n, offset - base, size);
  }

  write(offset: number, size: number, value: bigint): void {
    if (size === 8) {
      this.write(offset, 4, value & 0xffffffffn);
      this.write(offset + 4, 4, value >> 32n);
      return;
    }
    const base = offset & ~3;
    this.words.set(base, regMerge(this.words.get(base) ?? 0n, offset - base, size, value));
  }
}
