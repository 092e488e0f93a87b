// A read-only memory region (qemu virt's mask ROM at 0x1000): reads give its bytes, writes are
// ignored; the hart runs code from it.
import { MmioDevice } from './mmio-device.js';

export class Rom implements MmioDevice {
  readonly name = 'rom';

  constructor(readonly bytes: Uint8Array) {}

  read(offset: number, size: number): bigint {
    let v = 0n;
    for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(this.bytes[offset + k] ?? 0);
    return v;
  }

  write(): void {}
}
