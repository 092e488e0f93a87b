// A virtio-mmio transport in the legacy register layout (virtio 1.1 spec, 4.2.4 "Legacy
// interface"; version register 1), which is what qemu 7.2's virt machine offers by default
// (its virtio-mmio devices have force-legacy=true). Eight of them sit at 0x10001000 +
// 0x1000 n; one without a device reads device ID 0, as qemu's empty transports do.
// The queues are split virtqueues in the legacy layout (2.6 "Split Virtqueues", 2.6.2 "Legacy
// Interfaces: A Note on Virtqueue Layout"): the descriptor table at QueuePFN * GuestPageSize,
// the available ring right after it, the used ring at the next QueueAlign boundary. A notify
// runs the device on every available buffer at once (devices here are synchronous: a disk
// request has reached the file when the notify write returns), then raises the interrupt.
// Offered ring features: indirect descriptors; not event index (the driver is notified and
// interrupted for every batch).
import { MmioDevice, regSlice } from './mmio-device.js';

const MAGIC = 0x74726976; // "virt"
const VENDOR_QEMU = 0x554d4551; // "QEMU", as qemu's devices report
export const VIRTIO_MMIO_SIZE = 0x1000;
export const F_INDIRECT_DESC = 28;
/** What QueueNumMax reads for every queue a device has: qemu's legacy transport reports its
 *  VIRTQUEUE_MAX_SIZE, whatever queue size the device was built with. */
export const LEGACY_QUEUE_MAX = 1024;
const DESC_NEXT = 1, DESC_WRITE = 2, DESC_INDIRECT = 4;
const STATUS_FAILED = 0x80;
const INT_USED_BUFFER = 1;

/** Guest RAM as a device reaches it (DMA): a view of [pa, pa + len) or undefined outside RAM,
 *  and a note that the device wrote there (translated code on those pages is stale). */
export interface Dma {
  view(pa: number, len: number): Uint8Array | undefined;
  written(pa: number, len: number): void;
}

/** One buffer of a request: guest memory the device reads (out) or writes (in). */
export interface Segment {
  addr: number;
  len: number;
  write: boolean;
}

/** A virtio device behind the transport. */
export interface VirtioDevice {
  readonly deviceId: number;
  /** Feature bits 0..31 (legacy devices have no more) besides the transport's. */
  readonly features: number;
  readonly queueMax: number;
  /** Reads `size` bytes of the device's configuration space. */
  configRead(offset: number, size: number): bigint;
  /** Serves one request (a descriptor chain); returns how many bytes it wrote to the
   *  device-writable segments (the used ring's len). */
  request(queue: number, chain: Segment[], dma: Dma): number;
}

class Queue {
  num = 0;
  pfn = 0;
  align = 4096;
  lastAvail = 0;
}

class DeviceError extends Error {}

export class VirtioMmio implements MmioDevice {
  readonly name = 'virtio-mmio';
  private status = 0;
  private hostFeaturesSel = 0;
  private guestFeaturesSel = 0;
  private guestFeatures = 0;
  private pageSize = 4096;
  private queueSel = 0;
  private interruptStatus = 0;
  private readonly queues: Queue[];

  constructor(private readonly device: VirtioDevice | undefined, private readonly dma: Dma, private readonly irq: (high: boolean) => void = () => {}) {
    this.queues = device ? [new Queue()] : [];
  }

  read(offset: number, size: number): bigint {
    if (offset >= 0x100) return this.device ? this.device.configRead(offset - 0x100, size) : 0n;
    if (size !== 4) return 0n;
    const q = this.queues[this.queueSel];
    switch (offset) {
      case 0x000: return BigInt(MAGIC);
      case 0x004: return 1n;
      case 0x008: return BigInt(this.device?.deviceId ?? 0);
      case 0x00c: return BigInt(VENDOR_QEMU);
      case 0x010: return this.hostFeaturesSel === 0 && this.device ? BigInt((this.device.features | (1 << F_INDIRECT_DESC)) >>> 0) : 0n;
      case 0x034: return BigInt(q ? this.device!.queueMax : 0);
      case 0x040: return BigInt(q?.pfn ?? 0);
      case 0x060: return BigInt(this.interruptStatus);
      case 0x070: return BigInt(this.status);
      default: return 0n;
    }
  }

  write(offset: number, size: number, value: bigint): void {
    if (size !== 4 || !this.device) return;
    const v = Number(value & 0xffffffffn);
    const q = this.queues[this.queueSel];
    switch (offset) {
      case 0x014: this.hostFeaturesSel = v; break;
      case 0x020: if (this.guestFeaturesSel === 0) this.guestFeatures = v; break;
      case 0x024: this.guestFeaturesSel = v; break;
      case 0x028: this.pageSize = v; break;
      case 0x030: this.queueSel = v; break;
      case 0x038: if (q && v <= this.device.queueMax) q.num = v; break;
      case 0x03c: if (q) q.align = v; break;
      case 0x040:
        if (!q) break;
        q.pfn = v;
        q.lastAvail = 0;
        break;
      case 0x050: this.notify(v); break;
      case 0x064:
        this.interruptStatus &= ~v;
        this.irq(this.interruptStatus !== 0);
        break;
      case 0x070:
        if (v === 0) this.reset();
        else this.status = v;
        break;
      default: break;
    }
  }

  private reset(): void {
    this.status = 0;
    this.guestFeatures = 0;
    this.queueSel = 0;
    this.interruptStatus = 0;
    for (const q of this.queues) Object.assign(q, new Queue());
    this.irq(false);
  }

  /** Runs every buffer the driver has made available on queue `index`. */
  private notify(index: number): void {
    const q = this.queues[index];
    if (!q || q.pfn === 0 || q.num === 0 || this.status & STATUS_FAILED) return;
    const descBase = q.pfn * this.pageSize;
    const availBase = descBase + 16 * q.num;
    const usedBase = Math.ceil((availBase + 4 + 2 * q.num + 2) / q.align) * q.align;
    try {
      const avail = this.ram(availBase, 4 + 2 * q.num);
      const used = this.ram(usedBase, 4 + 8 * q.num);
      const av = new DataView(avail.buffer, avail.byteOffset, avail.byteLength);
      const us = new DataView(used.buffer, used.byteOffset, used.byteLength);
      let served = 0;
      while (q.lastAvail !== av.getUint16(2, true)) {
        const head = av.getUint16(4 + 2 * (q.lastAvail % q.num), true);
        const written = this.device!.request(index, this.chain(descBase, q.num, head), this.dma);
        const usedIdx = us.getUint16(2, true);
        const slot = 4 + 8 * (usedIdx % q.num);
        us.setUint32(slot, head, true);
        us.setUint32(slot + 4, written, true);
        us.setUint16(2, (usedIdx + 1) & 0xffff, true);
        q.lastAvail = (q.lastAvail + 1) & 0xffff;
        served++;
      }
      this.dma.written(usedBase, 4 + 8 * q.num);
      if (served) {
        this.interruptStatus |= INT_USED_BUFFER;
        this.irq(true);
      }
    } catch (e) {
      if (!(e instanceof DeviceError)) throw e;
      // A malformed queue: the device stops, as the spec lets it ("DEVICE_NEEDS_RESET" is a
      // modern-interface status; a legacy device can only stop answering).
      this.status |= STATUS_FAILED;
    }
  }

  /** The segments of the descriptor chain from `head`, following indirect tables. */
  private chain(descBase: number, num: number, head: number): Segment[] {
    const segments: Segment[] = [];
    let table = this.ram(descBase, 16 * num), size = num, i = head;
    for (let steps = 0; ; steps++) {
      if (i >= size || steps > size) throw new DeviceError('descriptor chain out of bounds or looping');
      const d = new DataView(table.buffer, table.byteOffset + 16 * i, 16);
      const addr = Number(d.getBigUint64(0, true)), len = d.getUint32(8, true), flags = d.getUint16(12, true);
      if (flags & DESC_INDIRECT) {
        if (segments.length || len % 16 !== 0 || len === 0) throw new DeviceError('bad indirect descriptor');
        table = this.ram(addr, len);
        size = len / 16;
        i = 0;
        steps = -1;
        continue;
      }
      segments.push({ addr, len, write: (flags & DESC_WRITE) !== 0 });
      if (!(flags & DESC_NEXT)) return segments;
      i = d.getUint16(14, true);
    }
  }

  private ram(pa: number, len: number): Uint8Array {
    const v = this.dma.view(pa, len);
    if (!v) throw new DeviceError(`ring outside RAM at 0x${pa.toString(16)}`);
    return v;
  }
}

/** Reads `size` bytes at `offset` of a little-endian configuration space. */
export function configSlice(config: Buffer, offset: number, size: number): bigint {
  if (offset + size > config.length) return 0n;
  let v = 0n;
  for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(config[offset + k]);
  return regSlice(v, 0, size);
}
