// The SiFive test finisher of qemu's virt machine (at 0x100000): a 32-bit write of 0x5555 powers
// off with status 0, 0x3333 with status value >> 16 (qemu's "FINISHER_FAIL"), 0x7777 asks for a
// reset. Other values are ignored.
import { MmioDevice, PowerOff } from './mmio-device.js';

const FINISHER_FAIL = 0x3333, FINISHER_PASS = 0x5555, FINISHER_RESET = 0x7777;

export class SifiveTest implements MmioDevice {
  readonly name = 'sifive_test';

  read(): bigint {
    return 0n;
  }

  write(offset: number, _size: number, value: bigint): void {
    if (offset !== 0) return;
    const code = Number(value & 0xffffn), status = Number((value >> 16n) & 0xffffn);
    if (code === FINISHER_PASS) throw new PowerOff(0, 'poweroff');
    if (code === FINISHER_FAIL) throw new PowerOff(status, 'poweroff (fail)');
    if (code === FINISHER_RESET) throw new PowerOff(0, 'reset', 'reset');
  }
}
