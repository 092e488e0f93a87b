// The NS16550A UART of qemu's virt machine (at 0x10000000, registers one byte apart), as far as
// a console needs: bytes written to THR go to the host's stdout; the line status always says
// the transmitter is empty. Input (RBR, data ready, the receive interrupt through a PLIC) is not
// implemented yet: the receiver never has data. The divisor latch and the other registers keep
// what the guest writes, so drivers that probe them read it back.
// Register map: the 16550 data sheet (THR/RBR 0, IER 1, IIR/FCR 2, LCR 3, MCR 4, LSR 5, MSR 6,
// SCR 7; DLL/DLM at 0/1 while LCR bit 7 (DLAB) is set).
import { MmioDevice } from './mmio-device.js';

const LCR_DLAB = 0x80;
const LSR_THRE = 0x20, LSR_TEMT = 0x40;
const IIR_NO_INTERRUPT = 0x01;

export class Ns16550a implements MmioDevice {
  readonly name = 'serial';
  private readonly regs = new Uint8Array(8);
  private dll = 0;
  private dlm = 0;

  constructor(private readonly out: (byte: number) => void) {}

  read(offset: number): bigint {
    const dlab = (this.regs[3] & LCR_DLAB) !== 0;
    switch (offset) {
      case 0: return BigInt(dlab ? this.dll : 0);
      case 1: return BigInt(dlab ? this.dlm : this.regs[1]);
      case 2: return BigInt(IIR_NO_INTERRUPT);
      case 5: return BigInt(LSR_THRE | LSR_TEMT);
      default: return BigInt(offset < 8 ? this.regs[offset] : 0);
    }
  }

  write(offset: number, _size: number, value: bigint): void {
    const v = Number(value & 0xffn);
    const dlab = (this.regs[3] & LCR_DLAB) !== 0;
    if (offset === 0 && !dlab) this.out(v);
    else if (offset === 0) this.dll = v;
    else if (offset === 1 && dlab) this.dlm = v;
    else if (offset < 8 && offset !== 2 && offset !== 5) this.regs[offset] = v;
  }
}
