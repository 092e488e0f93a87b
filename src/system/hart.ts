// The privileged state of one RV64 hart in system mode (RISC-V privileged ISA 1.12): the
// privilege level and the machine and supervisor CSRs the riscv frontend's user-mode state
// (src/target/riscv/cpu-state.ts) lacks. Only the system loop and its helpers touch it, between
// and around translated blocks, so it lives in JS fields; CSR values are BigInt (64-bit and rare).
import { GuestMemory } from '../memory/guest-memory.js';
import { PC, XREG } from '../target/riscv/cpu-state.js';

export const enum Priv { U = 0, S = 1, M = 3 }

// mstatus fields (privileged spec 3.1.6).
export const MSTATUS = {
  SIE: 1n << 1n, MIE: 1n << 3n, SPIE: 1n << 5n, UBE: 1n << 6n, MPIE: 1n << 7n, SPP: 1n << 8n,
  VS: 3n << 9n, MPP: 3n << 11n, FS: 3n << 13n, XS: 3n << 15n, MPRV: 1n << 17n, SUM: 1n << 18n,
  MXR: 1n << 19n, TVM: 1n << 20n, TW: 1n << 21n, TSR: 1n << 22n, UXL: 3n << 32n, SXL: 3n << 34n,
  SD: 1n << 63n,
} as const;
export const MPP_SHIFT = 11n;

// Interrupt bits of mip/mie (3.1.9) and their causes.
export const IRQ = { SSI: 1, MSI: 3, STI: 5, MTI: 7, SEI: 9, MEI: 11 } as const;

/** Exception causes (mcause values with the interrupt bit clear, table 3.6). */
export const enum Cause {
  FetchMisaligned = 0, FetchAccess = 1, IllegalInsn = 2, Breakpoint = 3, LoadMisaligned = 4,
  LoadAccess = 5, StoreMisaligned = 6, StoreAccess = 7, EcallU = 8, EcallS = 9, EcallM = 11,
  FetchPage = 12, LoadPage = 13, StorePage = 15,
}

/** A synchronous exception raised inside an instruction (a helper throws it through the
 *  translated code; the system loop takes the trap at the instruction's pc). */
export class GuestTrap {
  constructor(readonly cause: number, readonly tval: bigint) {}
}

export class Hart {
  priv: Priv = Priv.M;
  // UXL = SXL = 2 (64-bit), read-only.
  mstatus = (2n << 32n) | (2n << 34n);
  /** mie, and the mip bits software writes (SSIP, STIP; the rest come from the CLINT and the
   *  PLIC), as numbers (every interrupt bit is below 16): the system loop tests them after every
   *  block, where BigInt would allocate. The CSR code reads and writes them as BigInt. */
  mieBits = 0;
  mipSoftBits = 0;
  get mie(): bigint {
    return BigInt(this.mieBits);
  }
  set mie(v: bigint) {
    this.mieBits = Number(v & 0xffffn);
  }
  get mipSoft(): bigint {
    return BigInt(this.mipSoftBits);
  }
  set mipSoft(v: bigint) {
    this.mipSoftBits = Number(v & 0xffffn);
  }
  mtvec = 0n; mepc = 0n; mcause = 0n; mtval = 0n; mscratch = 0n;
  medeleg = 0n; mideleg = 0n; mcounteren = 0n; menvcfg = 0n; mcountinhibit = 0n;
  stvec = 0n; sepc = 0n; scause = 0n; stval = 0n; sscratch = 0n; scounteren = 0n; senvcfg = 0n;
  satp = 0n;
  /** PMP entries are accepted and kept, not enforced (every access is allowed). */
  readonly pmpcfg = new Array<bigint>(16).fill(0n);
  readonly pmpaddr = new Array<bigint>(64).fill(0n);
  /** Instructions retired (approximately: counted per block; a number, exact to 2^53, since
   *  the loop adds to it after every block), and the guest's offsets for minstret and mcycle
   *  writes. */
  retired = 0;
  instretOffset = 0n;
  cycleOffset = 0n;

  constructor(readonly mem: GuestMemory, readonly env: number, readonly hartId = 0) {}

  x(i: number): bigint {
    return i === 0 ? 0n : this.mem.view.getBigUint64(this.env + XREG(i), true);
  }
  setX(i: number, v: bigint): void {
    if (i !== 0) this.mem.view.setBigUint64(this.env + XREG(i), BigInt.asUintN(64, v), true);
  }
  get pc(): bigint {
    return this.mem.view.getBigUint64(this.env + PC, true);
  }
  /** The pc as a signed number when it is within +-2^53 (every canonical Sv39/Sv48 address),
   *  else undefined: read as two words, without BigInt, since the loop reads it per block. */
  pcNumber(): number | undefined {
    const v = this.mem.view;
    const hi = v.getInt32(this.env + PC + 4, true);
    if (hi >= 2 ** 21 || hi < -(2 ** 21)) return undefined;
    return hi * 2 ** 32 + v.getUint32(this.env + PC, true);
  }
  set pc(v: bigint) {
    this.mem.view.setBigUint64(this.env + PC, BigInt.asUintN(64, v), true);
  }

  /** The privilege loads and stores run at: MPP while mstatus.MPRV is set in M-mode (3.1.6.3). */
  dataPriv(): Priv {
    if (this.priv === Priv.M && this.mstatus & MSTATUS.MPRV) return Number((this.mstatus & MSTATUS.MPP) >> MPP_SHIFT) as Priv;
    return this.priv;
  }
}
