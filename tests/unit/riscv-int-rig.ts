// Test rig for the RISC-V integer frontend: a tiny encoder (RISC-V unprivileged ISA, 2.2-2.3
// instruction formats), guest memory with a code page and a data page, and a run loop that
// translates and interprets blocks until the code's end address or a non-Next exit.
import { GuestMemory, CPU_STATE_BASE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { Backend, TbCode } from '../../src/tcg/backend.js';
import { InterpBackend } from '../../src/tcg/interp-backend.js';
import { WasmBackend } from '../../src/tcg/wasm-backend.js';
import { ExitReason } from '../../src/tcg/ir.js';
import { createRiscvFrontend } from '../../src/target/riscv/frontend.js';
import { PC, RES_ADDR, XREG } from '../../src/target/riscv/cpu-state.js';

export const CODE = 0x10000;
export const DATA = 0x20000;

// Formats: each takes the fields in the order the spec's assembly syntax lists them.
export const R = (op: number, f3: number, f7: number) => (rd: number, rs1: number, rs2: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
export const I = (op: number, f3: number) => (rd: number, rs1: number, imm: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
export const S = (f3: number) => (rs2: number, rs1: number, imm: number): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | 0x23) >>> 0;
export const B = (f3: number) => (rs1: number, rs2: number, imm: number): number =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
export const U = (op: number) => (rd: number, imm20: number): number => (((imm20 & 0xfffff) << 12) | (rd << 7) | op) >>> 0;
export const jal = (rd: number, imm: number): number =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0;
/** Shift-immediate with a 6-bit shamt and funct6. */
export const SH = (op: number, f3: number, f6: number) => (rd: number, rs1: number, sh: number): number =>
  ((f6 << 26) | (sh << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;

export const ecall = 0x00000073;

/** A 16-bit instruction in the code stream. */
export interface Half { c: number }

export const BACKENDS = ['interp', 'wasm'] as const;
export type BackendName = (typeof BACKENDS)[number];

export class Rig {
  readonly mem = new GuestMemory();
  readonly fe = createRiscvFrontend(this.mem);
  readonly be: Backend;
  readonly env = CPU_STATE_BASE;
  end = CODE;
  /** Translations of the loaded code, kept until the next load. */
  private readonly tbs = new Map<number, TbCode>();

  constructor(backend: BackendName = 'interp') {
    const ctx = { mem: this.mem, layout: this.fe.layout, helpers: this.fe.helpers };
    this.be = backend === 'wasm' ? new WasmBackend(ctx) : new InterpBackend(ctx);
    this.mem.setProt(CODE, 0x1000, PROT_READ | PROT_EXEC);
    this.mem.setProt(DATA, 0x1000, PROT_READ | PROT_WRITE);
  }

  /** Places code at CODE, followed by zeros (an illegal instruction) so that a block cannot run
   *  past the end, and resets the state. */
  load(code: (number | Half)[]): this {
    const v = this.mem.view;
    this.tbs.clear();
    this.be.flush();
    this.mem.zero(CODE, 0x1000);
    let a = CODE;
    for (const w of code) {
      if (typeof w === 'number') { v.setUint32(a, w, true); a += 4; } else { v.setUint16(a, w.c, true); a += 2; }
    }
    this.end = a;
    return this.reset();
  }

  /** Resets the state to run the loaded code again: pc = CODE, registers 0, no reservation. */
  reset(): this {
    this.mem.u8.fill(0, this.env, this.env + this.fe.layout.size);
    this.set64(PC, BigInt(CODE));
    this.set64(RES_ADDR, -1n);
    return this;
  }

  get64(off: number): bigint { return this.mem.view.getBigUint64(this.env + off, true); }
  set64(off: number, v: bigint): void { this.mem.view.setBigUint64(this.env + off, BigInt.asUintN(64, v), true); }
  x(i: number): bigint { return this.get64(XREG(i)); }
  /** x[i] as a signed value. */
  xs(i: number): bigint { return BigInt.asIntN(64, this.x(i)); }
  setX(i: number, v: bigint | number): this { this.set64(XREG(i), BigInt(v)); return this; }
  get pc(): number { return Number(this.get64(PC)); }

  /** Runs until pc reaches the end of the loaded code (Next) or a block exits for another
   *  reason before it. */
  run(maxBlocks = 1000): ExitReason {
    for (let n = 0; n < maxBlocks; n++) {
      if (this.pc === this.end) return ExitReason.Next;
      let code = this.tbs.get(this.pc);
      if (!code) {
        [code] = this.be.compile([this.fe.translate(this.pc, 32)]);
        this.tbs.set(this.pc, code);
      }
      const r = code(this.env) as ExitReason;
      if (r !== ExitReason.Next && this.pc !== this.end) return r;
    }
    throw new Error('guest code did not finish');
  }
}
