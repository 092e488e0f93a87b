// Per-instruction translation state handed to the translate functions.
import { IRBuilder } from '../../tcg/ir-builder.js';
import { ExitReason } from '../../tcg/ir.js';
import { HelperRegistry } from '../../tcg/frontend.js';
import { EXCEPTION, EXC_ILLEGAL_INSN, EXC_INFO, FREG, XREG } from './cpu-state.js';

export class DisasContext {
  /** pc of the instruction being translated. */
  pc = 0;
  /** Its length in bytes: 2 (RVC) or 4. */
  len = 4;
  /** Its raw bits (for the illegal-instruction report). */
  insn = 0;
  /** Set by a translate function that ended the block (a jump, an exit). */
  ended = false;

  constructor(readonly b: IRBuilder, readonly helpers: HelperRegistry) {}

  get nextPc(): number { return this.pc + this.len; }

  /** The i64 global temp of integer register x[i]. x0 reads as the constant 0. */
  gpr(i: number): number {
    return i === 0 ? this.b.c64(0) : this.b.global('i64', XREG(i), `x${i}`);
  }
  /** Writes x[i] (writes to x0 are discarded, as the ISA says). */
  setGpr(i: number, v: number): void {
    if (i !== 0) this.b.mov(this.b.global('i64', XREG(i), `x${i}`), v);
  }
  /** The i64 global temp holding f[i]'s 64-bit pattern. */
  fpr(i: number): number { return this.b.global('i64', FREG(i), `f${i}`); }

  helper(name: string): number { return this.helpers.index(name); }

  /** Ends the block with an exception exit (state.pc = this insn). */
  raise(cause: number, info: bigint | number = 0): void {
    this.b.mov(this.b.global('i32', EXCEPTION, 'exception'), this.b.c32(cause));
    this.b.mov(this.b.global('i64', EXC_INFO, 'exc_info'), this.b.c64(info));
    this.b.exitTb(ExitReason.Exception, this.pc);
    this.ended = true;
  }
  illegal(): void { this.raise(EXC_ILLEGAL_INSN, this.insn >>> 0); }
}
