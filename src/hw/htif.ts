// The host-target interface of Berkeley's Spike simulator, as riscv-tests use it: a program
// that has the symbols `tohost` and `fromhost` reports through them. A 64-bit command in tohost
// is device (bits 63:56), command (55:48) and payload (47:0). Device 0 command 0 with payload
// bit 0 set ends the run with exit status payload >> 1 (riscv-tests: 0 pass, else the failing
// test number); device 1 command 1 writes the payload's low byte to the console. Other
// commands (Spike's system-call proxy) are not implemented and end the run with a message.
// A 32-bit store to the low half only records it; the command runs when the high half is
// written (riscv-tests' p environment stores the two halves in that order).
import { MmioDevice, PowerOff, regMerge, regSlice } from './mmio-device.js';

const FROMHOST = 0x40;

export class Htif implements MmioDevice {
  readonly name = 'htif';
  private tohost = 0n;
  private fromhost = 0n;

  /** `fromhostOffset`: where fromhost sits from tohost (riscv-tests put it 0x40 after). */
  constructor(private readonly console: (byte: number) => void, readonly fromhostOffset = FROMHOST) {}

  read(offset: number, size: number): bigint {
    if (offset < 8) return regSlice(this.tohost, offset, size);
    if (offset >= this.fromhostOffset && offset < this.fromhostOffset + 8) {
      return regSlice(this.fromhost, offset - this.fromhostOffset, size);
    }
    return 0n;
  }

  write(offset: number, size: number, value: bigint): void {
    if (offset >= this.fromhostOffset && offset < this.fromhostOffset + 8) {
      this.fromhost = regMerge(this.fromhost, offset - this.fromhostOffset, size, value);
      return;
    }
    if (offset >= 8) return;
    this.tohost = regMerge(this.tohost, offset, size, value);
    if (offset + size === 8) this.command(this.tohost);
  }

  private command(cmd: bigint): void {
    const device = Number(cmd >> 56n), op = Number((cmd >> 48n) & 0xffn), payload = cmd & 0xffffffffffffn;
    if (cmd === 0n) return;
    if (device === 0 && op === 0 && (payload & 1n) === 1n) {
      throw new PowerOff(Number(payload >> 1n), 'htif exit');
    }
    if (device === 1 && op === 1) {
      this.console(Number(payload & 0xffn));
      this.tohost = 0n;
      this.fromhost = (1n << 56n) | (1n << 48n);
      return;
    }
    throw new PowerOff(1, `htif: command 0x${cmd.toString(16)} (device ${device}, command ${op}) is not implemented`, 'error');
  }
}
