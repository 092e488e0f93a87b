// The NS16550A UART of qemu's virt machine (at 0x10000000, registers one byte apart, interrupt
// source 10 of the PLIC). Register map and interrupt rules: the 16550 data sheet (THR/RBR 0,
// IER 1, IIR/FCR 2, LCR 3, MCR 4, LSR 5, MSR 6, SCR 7; DLL/DLM at 0/1 while LCR bit 7 (DLAB) is
// set; interrupt identification by priority: received data, then transmitter empty).
// Transmission is instant: a byte written to THR goes to the host console at once and THR is
// empty again, which raises the transmitter-empty interrupt when it is enabled (as qemu's UART
// does once its byte is sent). Received bytes come from the host console through `receive`; the
// receiver holds one byte, or 16 with the FIFOs enabled (FCR bit 0), and refuses more until the
// guest reads them (`room`), so nothing is lost. What a guest sees is checked against
// qemu-system-riscv64 by tests/system-bins/src/plic-uart.c. Not modelled: line errors, the
// character timeout interrupt (received data is reported as such at once), modem status
// interrupts and loopback.
import { MmioDevice } from './mmio-device.js';

const LCR_DLAB = 0x80;
const IER_RDI = 0x01, IER_THRI = 0x02;
const IIR_NONE = 0x01, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_FIFO = 0xc0;
const FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02;
const LSR_DR = 0x01, LSR_THRE = 0x20, LSR_TEMT = 0x40;
/** Carrier detect, data set ready and clear to send: a line with someone at the other end (the
 *  value qemu's UART reads). */
const MSR_INITIAL = 0xb0;
const FIFO_SIZE = 16;

export class Ns16550a implements MmioDevice {
  readonly name = 'serial';
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private fcr = 0;
  private dll = 0;
  private dlm = 0;
  private readonly rx: number[] = [];
  /** The transmitter-empty interrupt condition, cleared by reading IIR while it is the one
   *  reported, or by writing THR (and set again at once, the byte being sent). */
  private thrPending = true;

  constructor(private readonly out: (byte: number) => void, private readonly irq: (high: boolean) => void = () => {}) {}

  /** How many more received bytes the UART takes now. */
  room(): number {
    return (this.fcr & FCR_ENABLE ? FIFO_SIZE : 1) - this.rx.length;
  }

  /** Bytes from the host console (at most `room()` of them). */
  receive(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length && this.room() > 0; i++) this.rx.push(bytes[i]);
    this.update();
  }

  read(offset: number): bigint {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0: {
        if (dlab) return BigInt(this.dll);
        const b = this.rx.shift() ?? 0;
        this.update();
        return BigInt(b);
      }
      case 1: return BigInt(dlab ? this.dlm : this.ier);
      case 2: {
        const id = this.interruptId();
        if (id === IIR_THRI) {
          this.thrPending = false;
          this.update();
        }
        return BigInt(id | (this.fcr & FCR_ENABLE ? IIR_FIFO : 0));
      }
      case 3: return BigInt(this.lcr);
      case 4: return BigInt(this.mcr);
      case 5: return BigInt(LSR_THRE | LSR_TEMT | (this.rx.length ? LSR_DR : 0));
      case 6: return BigInt(MSR_INITIAL);
      case 7: return BigInt(this.scr);
      default: return 0n;
    }
  }

  write(offset: number, _size: number, value: bigint): void {
    const v = Number(value & 0xffn);
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0:
        if (dlab) {
          this.dll = v;
          return;
        }
        this.out(v);
        this.thrPending = true;
        break;
      case 1:
        if (dlab) {
          this.dlm = v;
          return;
        }
        // Enabling the transmitter-empty interrupt while THR is empty raises it.
        if (v & IER_THRI && !(this.ier & IER_THRI)) this.thrPending = true;
        this.ier = v & 0x0f;
        break;
      case 2:
        if (v & FCR_CLEAR_RX) this.rx.length = 0;
        this.fcr = v & 0xc9;
        if (!(this.fcr & FCR_ENABLE)) this.rx.splice(1);
        break;
      case 3: this.lcr = v; return;
      case 4: this.mcr = v & 0x1f; return;
      case 7: this.scr = v; return;
      default: return;
    }
    this.update();
  }

  /** IIR's interrupt identification (without the FIFO bits). */
  private interruptId(): number {
    if (this.ier & IER_RDI && this.rx.length) return IIR_RDI;
    if (this.ier & IER_THRI && this.thrPending) return IIR_THRI;
    return IIR_NONE;
  }

  private update(): void {
    this.irq(this.interruptId() !== IIR_NONE);
  }
}
