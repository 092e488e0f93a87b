// The physical address space of the system-mode machine: guest RAM, which lives in the guest
// memory at its own physical address (the 4 GiB window of src/memory holds the virt machine's
// whole map below the emulator's own pages), and device regions dispatched to src/hw devices. A
// device region may lie over RAM (HTIF's tohost/fromhost words are in the program's data).
import { GuestMemory, PAGE_SIZE } from '../memory/guest-memory.js';
import { MmioDevice } from '../hw/mmio-device.js';

export interface Region {
  base: number;
  size: number;
  device: MmioDevice;
}

export class PhysBus {
  private readonly regions: Region[] = [];

  constructor(readonly mem: GuestMemory, readonly ramBase: number, readonly ramSize: number) {}

  get ramEnd(): number {
    return this.ramBase + this.ramSize;
  }

  map(base: number, size: number, device: MmioDevice): void {
    this.regions.push({ base, size, device });
  }

  /** The device region holding [pa, pa + size), if any. */
  regionAt(pa: number, size = 1): Region | undefined {
    return this.regions.find((r) => pa >= r.base && pa + size <= r.base + r.size);
  }

  /** True when the page at `pa` is RAM throughout, with no device over any part of it: loads
   *  and stores to it may go straight to the guest memory. */
  plainRamPage(pa: number): boolean {
    const page = pa - (pa % PAGE_SIZE);
    if (page < this.ramBase || page + PAGE_SIZE > this.ramEnd) return false;
    return !this.regions.some((r) => r.base < page + PAGE_SIZE && r.base + r.size > page);
  }

  isRam(pa: number, size: number): boolean {
    return pa >= this.ramBase && pa + size <= this.ramEnd;
  }

  /** The bytes of [pa, pa + size) where they are memory: RAM (a device region over it aside),
   *  or a ROM; undefined elsewhere. Code is fetched and a debugger reads through this. */
  memoryAt(pa: number, size: number): Uint8Array | undefined {
    if (this.isRam(pa, size)) return this.mem.rawView(pa, size);
    const r = this.regionAt(pa, size);
    const bytes = r?.device.bytes;
    if (!r || !bytes || pa - r.base + size > bytes.length) return undefined;
    return bytes.subarray(pa - r.base, pa - r.base + size);
  }

  /** A load of `size` bytes at a physical address; undefined when nothing answers there (an
   *  access fault). */
  read(pa: number, size: number): bigint | undefined {
    const r = this.regionAt(pa, size);
    if (r) return r.device.read(pa - r.base, size);
    if (!this.isRam(pa, size)) return undefined;
    const v = this.mem.view;
    switch (size) {
      case 1: return BigInt(v.getUint8(pa));
      case 2: return BigInt(v.getUint16(pa, true));
      case 4: return BigInt(v.getUint32(pa, true));
      default: return v.getBigUint64(pa, true);
    }
  }

  /** A store; false when nothing answers there. */
  write(pa: number, size: number, value: bigint): boolean {
    const r = this.regionAt(pa, size);
    if (r) {
      r.device.write(pa - r.base, size, BigInt.asUintN(size * 8, value));
      return true;
    }
    if (!this.isRam(pa, size)) return false;
    const v = this.mem.view;
    switch (size) {
      case 1: v.setUint8(pa, Number(value & 0xffn)); break;
      case 2: v.setUint16(pa, Number(value & 0xffffn), true); break;
      case 4: v.setUint32(pa, Number(value & 0xffffffffn), true); break;
      default: v.setBigUint64(pa, BigInt.asUintN(64, value), true); break;
    }
    return true;
  }

  /** Copies an image into RAM (the loader's path); false if it does not fit. */
  load(pa: number, bytes: Uint8Array): boolean {
    if (!this.isRam(pa, bytes.length)) return false;
    this.mem.rawView(pa, bytes.length).set(bytes);
    return true;
  }
}
