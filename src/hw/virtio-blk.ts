// A virtio block device on a raw image file (virtio 1.1 spec, 5.2 "Block Device"): requests are
// a header (type, sector), the data segments and a status byte the device writes last. Reads
// and writes go straight to the file with positioned I/O, so what the guest wrote is in the
// file when its request completes; a flush request fsyncs it. Offered features: SEG_MAX,
// BLK_SIZE and FLUSH (and RO for a read-only image). The configuration space: capacity in
// 512-byte sectors, size_max, seg_max, geometry, blk_size (5.2.4).
import { fstatSync, fsyncSync, readSync, writeSync } from 'node:fs';
import { Dma, LEGACY_QUEUE_MAX, Segment, VirtioDevice, configSlice } from './virtio-mmio.js';

const DEVICE_BLOCK = 2;
const F_SEG_MAX = 2, F_RO = 5, F_BLK_SIZE = 6, F_FLUSH = 9;
const T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8;
const S_OK = 0, S_IOERR = 1, S_UNSUPP = 2;
const SECTOR = 512;
/** The data segments one request may have (seg_max: qemu's, its default queue of 256 less the
 *  header and status). */
const SEG_MAX = 254;
const ID_BYTES = 20;

export class VirtioBlk implements VirtioDevice {
  readonly deviceId = DEVICE_BLOCK;
  readonly features: number;
  readonly queueMax = LEGACY_QUEUE_MAX;
  private readonly config = Buffer.alloc(0x24);
  private readonly sectors: bigint;

  /** `fd`: the image, opened read-write unless `readOnly`. */
  constructor(private readonly fd: number, private readonly readOnly = false) {
    this.sectors = BigInt(Math.floor(fstatSync(fd).size / SECTOR));
    this.features = (1 << F_SEG_MAX) | (1 << F_BLK_SIZE) | (1 << F_FLUSH) | (readOnly ? 1 << F_RO : 0);
    this.config.writeBigUInt64LE(this.sectors, 0);
    this.config.writeUInt32LE(SEG_MAX, 0x0c);
    this.config.writeUInt32LE(SECTOR, 0x14);
  }

  configRead(offset: number, size: number): bigint {
    return configSlice(this.config, offset, size);
  }

  request(_queue: number, chain: Segment[], dma: Dma): number {
    const writable = chain.reduce((n, s) => n + (s.write ? s.len : 0), 0);
    const last = chain[chain.length - 1];
    const header = chain[0];
    // The status byte is the last byte of the last segment, which must be device-writable.
    if (chain.length < 2 || !last.write || last.len < 1 || header.write || header.len < 16) return writable;
    const hv = dma.view(header.addr, 16);
    if (!hv) return writable;
    const h = new DataView(hv.buffer, hv.byteOffset, 16);
    const type = h.getUint32(0, true), sector = h.getBigUint64(8, true);
    const data = [...chain.slice(1, -1), { ...last, len: last.len - 1 }].filter((s) => s.len > 0);
    const status = ((): number => {
      switch (type) {
        case T_IN:
        case T_OUT: {
          const out = type === T_OUT;
          if (out && this.readOnly) return S_IOERR;
          if (data.some((s) => s.write === out)) return S_IOERR;
          const bytes = data.reduce((n, s) => n + s.len, 0);
          if (bytes % SECTOR !== 0 || sector + BigInt(bytes / SECTOR) > this.sectors) return S_IOERR;
          let pos = Number(sector) * SECTOR;
          for (const s of data) {
            const v = dma.view(s.addr, s.len);
            if (!v) return S_IOERR;
            if (out) {
              writeSync(this.fd, v, 0, s.len, pos);
            } else {
              const n = readSync(this.fd, v, 0, s.len, pos);
              v.fill(0, n);
              dma.written(s.addr, s.len);
            }
            pos += s.len;
          }
          return S_OK;
        }
        case T_FLUSH:
          fsyncSync(this.fd);
          return S_OK;
        case T_GET_ID: {
          // No serial number: the ID string is empty (20 zero bytes), as qemu's without serial=.
          const s = data[0];
          const v = s?.write ? dma.view(s.addr, Math.min(s.len, ID_BYTES)) : undefined;
          if (!v) return S_IOERR;
          v.fill(0);
          dma.written(s.addr, v.length);
          return S_OK;
        }
        default:
          return S_UNSUPP;
      }
    })();
    const sv = dma.view(last.addr + last.len - 1, 1);
    if (sv) {
      sv[0] = status;
      dma.written(last.addr + last.len - 1, 1);
    }
    // The used length is every device-writable byte of the request, whatever it holds now (as
    // qemu reports it).
    return writable;
  }
}
