// Per-instruction translation state handed to the A32 and Thumb translate functions, with the
// register model of the ARM ARM pseudocode (A2.3): reads of r15, and the four ways of writing
// the pc (BranchWritePC, BXWritePC, ALUWritePC, LoadWritePC).
import { IRBuilder } from '../../tcg/ir-builder.js';
import { Cond, ExitReason, Opc } from '../../tcg/ir.js';
import { HelperRegistry } from '../../tcg/frontend.js';
import {
  CF, EXCEPTION, EXC_INFO, EXC_UDEF, GE, NF, QF, REG, VF, ZF,
} from './cpu-state.js';

export class ArmDisasContext {
  /** Address of the instruction being translated (without the Thumb bit). */
  pc = 0;
  /** Thumb state for the whole block (a state change always ends the block). */
  thumb = false;
  /** Length in bytes: 4 (A32, T32) or 2 (T16). */
  len = 4;
  /** Raw bits (for the undefined-instruction report); T32 as hw1 << 16 | hw2. */
  insn = 0;
  /** Set by a translate function whose IR ended the block (a jump, an exit). */
  ended = false;
  /** The value an UNPREDICTABLE write of r15 in the current instruction left (setReg). */
  unpredictablePc: number | undefined;
  /** ITSTATE (ARM ARM A2.5.2): firstcond[3:0] in bits 7:4 and the mask in bits 3:0. The
   *  Thumb IT instruction sets it with startIt; the block loop advances it. */
  itState = 0;

  constructor(readonly b: IRBuilder, readonly helpers: HelperRegistry) {}

  get nextPc(): number { return this.pc + this.len; }
  /** The pc-slot value of an address in the current instruction set (see cpu-state.ts). */
  key(addr: number): number { return (this.thumb ? addr | 1 : addr) >>> 0; }

  // --- registers -----------------------------------------------------------------------------

  /** The i32 global of r0..r14. */
  regGlobal(i: number): number { return this.b.global('i32', REG(i), `r${i}`); }
  /** R[i] as an operand: r15 reads as this instruction's address + 8 (A32) or + 4 (Thumb). */
  reg(i: number): number {
    return i === 15 ? this.b.c32(this.pcValue()) : this.regGlobal(i);
  }
  pcValue(): number { return (this.pc + (this.thumb ? 4 : 8)) >>> 0; }
  /** Align(PC, 4): the base of literal loads and ADR. */
  alignedPc(): number { return this.pcValue() & ~3; }
  /** A register as the base of an address: r15 reads as Align(PC, 4). */
  baseReg(i: number): number { return i === 15 ? this.b.c32(this.alignedPc() >>> 0) : this.regGlobal(i); }

  /** Writes R[i]. Instructions that write the pc by definition use a *WritePC method; here r15
   *  is a destination the ARM ARM calls UNPREDICTABLE (a multiply, extend, bitfield or
   *  exclusive with Rd = pc), done as qemu-arm does it: the value is kept and, once the rest of
   *  the instruction is done, branched to within the current instruction set (translate.ts). */
  setReg(i: number, v: number): void {
    if (i === 15) {
      this.unpredictablePc = this.b.temp('i32');
      this.b.mov(this.unpredictablePc, v);
      return;
    }
    this.b.mov(this.regGlobal(i), v);
  }

  /** BranchWritePC: a branch within the current instruction set. */
  branchWritePC(v: number): void {
    const t = this.b.temp('i32');
    this.b.and(t, v, this.b.c32(this.thumb ? ~1 : ~3));
    if (this.thumb) this.b.or(t, t, this.b.c32(1));
    this.endWithPtr(t);
  }
  /** BXWritePC: bit 0 of the target selects Thumb (1) or ARM (0). An ARM target has bits 1:0
   *  cleared (bit 1 set is UNPREDICTABLE). The pc slot's bit 0 is the Thumb bit, so a Thumb
   *  target goes in unchanged. */
  bxWritePC(v: number): void {
    const b = this.b;
    const arm = b.temp('i32');
    b.and(arm, v, b.c32(~3));
    const lsb = b.temp('i32');
    b.and(lsb, v, b.c32(1));
    const t = b.temp('i32');
    b.movcond(Cond.NE, t, lsb, b.c32(0), v, arm);
    this.endWithPtr(t);
  }
  /** ALUWritePC: interworking in ARM state (ARMv7), a plain branch in Thumb state. */
  aluWritePC(v: number): void {
    if (this.thumb) this.branchWritePC(v); else this.bxWritePC(v);
  }
  /** LoadWritePC (LDR, LDM, POP to pc): always interworking from ARMv5T on. */
  loadWritePC(v: number): void { this.bxWritePC(v); }

  /** Writes R[i] from a load: LoadWritePC for r15. */
  setRegLoad(i: number, v: number): void {
    if (i === 15) this.loadWritePC(v); else this.setReg(i, v);
  }
  /** Writes R[i] from a data-processing result: ALUWritePC for r15. */
  setRegAlu(i: number, v: number): void {
    if (i === 15) this.aluWritePC(v); else this.setReg(i, v);
  }

  private endWithPtr(t: number): void {
    this.b.gotoPtr(t);
    this.ended = true;
  }
  /** Ends the block with a jump to a constant address; `thumb` is the target's instruction
   *  set (the current one unless the instruction switches). */
  gotoAddr(addr: number, thumb = this.thumb): void {
    this.b.gotoTb((thumb ? addr | 1 : addr & ~3) >>> 0);
    this.ended = true;
  }

  // --- flags ---------------------------------------------------------------------------------

  get nf(): number { return this.b.global('i32', NF, 'NF'); }
  get zf(): number { return this.b.global('i32', ZF, 'ZF'); }
  get cf(): number { return this.b.global('i32', CF, 'CF'); }
  get vf(): number { return this.b.global('i32', VF, 'VF'); }
  get qf(): number { return this.b.global('i32', QF, 'QF'); }
  get ge(): number { return this.b.global('i32', GE, 'GE'); }

  /** Sets N and Z from a 32-bit result. */
  setNZ(v: number): void {
    this.b.mov(this.nf, v);
    this.b.mov(this.zf, v);
  }

  // --- conditions (ARM ARM A8.3) ----------------------------------------------------------------

  /** An i32 temp: 1 if ConditionPassed(cond), else 0. */
  condValue(cond: number): number {
    const b = this.b;
    const t = b.temp('i32');
    const z = b.c32(0);
    const base = cond >> 1;
    switch (base) {
      case 0: b.setcond(Cond.EQ, t, this.zf, z); break; // EQ: Z
      case 1: b.setcond(Cond.NE, t, this.cf, z); break; // CS: C
      case 2: b.setcond(Cond.LT, t, this.nf, z); break; // MI: N
      case 3: b.setcond(Cond.LT, t, this.vf, z); break; // VS: V
      case 4: { // HI: C && !Z
        const nz = b.temp('i32');
        b.setcond(Cond.NE, nz, this.zf, z);
        b.and(t, nz, this.cf);
        break;
      }
      case 5: case 6: { // GE: N == V; GT: !Z && N == V
        const x = b.temp('i32');
        b.xor(x, this.nf, this.vf);
        b.setcond(Cond.GE, t, x, z);
        if (base === 6) {
          const nz = b.temp('i32');
          b.setcond(Cond.NE, nz, this.zf, z);
          b.and(t, t, nz);
        }
        break;
      }
      default: b.movi(t, 1); break; // AL (and 1111, "always" where it is a condition)
    }
    if ((cond & 1) && base !== 7) b.xor(t, t, b.c32(1));
    return t;
  }

  /** Branches to `label` unless ConditionPassed(cond); the simple conditions need one compare. */
  skipUnless(cond: number, label: number): void {
    const b = this.b;
    const z = b.c32(0);
    const inv = (cond & 1) === 1;
    switch (cond >> 1) {
      case 0: b.brcond(inv ? Cond.EQ : Cond.NE, this.zf, z, label); return;
      case 1: b.brcond(inv ? Cond.NE : Cond.EQ, this.cf, z, label); return;
      case 2: b.brcond(inv ? Cond.LT : Cond.GE, this.nf, z, label); return;
      case 3: b.brcond(inv ? Cond.LT : Cond.GE, this.vf, z, label); return;
      default: b.brcond(Cond.EQ, this.condValue(cond), z, label);
    }
  }

  // --- IT blocks (Thumb) ----------------------------------------------------------------------

  /** The IT instruction: the next instructions are conditional on firstcond and the mask. */
  startIt(firstcond: number, mask: number): void { this.itState = ((firstcond << 4) | mask) & 0xff; }
  /** True inside an IT block (ARM ARM InITBlock()). */
  get inIt(): boolean { return (this.itState & 0xf) !== 0; }
  /** True for the last instruction of an IT block (LastInITBlock()). */
  get lastInIt(): boolean { return (this.itState & 0xf) === 0x8; }
  /** The condition of the current instruction inside an IT block. */
  get itCond(): number { return this.itState >> 4; }
  /** ITAdvance(), after each instruction of an IT block. */
  itAdvance(): void {
    if ((this.itState & 7) === 0) this.itState = 0;
    else this.itState = (this.itState & 0xe0) | ((this.itState << 1) & 0x1f);
  }

  // --- exits ---------------------------------------------------------------------------------

  helper(name: string): number { return this.helpers.index(name); }

  /** Ends the block with an exception exit (state.pc = this instruction). */
  raise(cause: number, info = 0): void {
    this.b.mov(this.b.global('i32', EXCEPTION, 'exception'), this.b.c32(cause));
    this.b.mov(this.b.global('i32', EXC_INFO, 'exc_info'), this.b.c32(info >>> 0));
    this.b.exitTb(ExitReason.Exception, this.key(this.pc));
    this.ended = true;
  }
  /** UNDEFINED: SIGILL. */
  undefinedInsn(): void { this.raise(EXC_UDEF, this.insn); }
  /** SVC: the syscall exit, state.pc = this instruction (linux-user steps over it by the
   *  Thumb bit: 2 or 4 bytes). */
  svc(): void {
    this.b.exitTb(ExitReason.Syscall, this.key(this.pc));
    this.ended = true;
  }

  /** A scratch i32 temp. */
  tmp(): number { return this.b.temp('i32'); }
  /** d = a OP b on i32 with a constant b. */
  opi(opc: Opc, d: number, a: number, imm: number): void { this.b.binop(opc, d, a, this.b.c32(imm >>> 0)); }
}
