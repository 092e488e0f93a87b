// A virtio entropy device (virtio 1.1 spec, 5.4 "Entropy Device"): device ID 4, one queue
// (requestq), no feature bits and no configuration space. Every device-writable buffer the
// driver offers is filled with random bytes, from a file (qemu's rng-random, /dev/urandom by
// default) or from the host's generator (qemu's rng-builtin), and the used length is how many
// bytes were written, as qemu reports it.
import { randomFillSync } from 'node:crypto';
import { readSync } from 'node:fs';
import { Dma, LEGACY_QUEUE_MAX, Segment, VirtioDevice } from './virtio-mmio.js';

const DEVICE_ENTROPY = 4;

export class VirtioRng implements VirtioDevice {
  readonly deviceId = DEVICE_ENTROPY;
  readonly features = 0;
  readonly queueMax = LEGACY_QUEUE_MAX;

  /** `fd`: the file to read the bytes from, or -1 for the host's generator. */
  constructor(private readonly fd = -1) {}

  configRead(): bigint {
    return 0n;
  }

  request(_queue: number, chain: Segment[], dma: Dma): number {
    let filled = 0;
    for (const s of chain) {
      if (!s.write) continue;
      const v = dma.view(s.addr, s.len);
      if (!v) break;
      // A file that runs short (a regular file at its end) gives fewer bytes, and the driver
      // is told so through the used length.
      const n = this.fd < 0 ? randomFillSync(v).length : readSync(this.fd, v, 0, v.length, null);
      dma.written(s.addr, n);
      filled += n;
      if (n < v.length) break;
    }
    return filled;
  }
}
