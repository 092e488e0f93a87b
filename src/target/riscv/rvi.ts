// RV64I: the base integer instruction set (RISC-V unprivileged ISA, chapters 2 and 4).
import { Cond, ExitReason, MemOp, Opc } from '../../tcg/ir.js';
import type { TransFn } from './decode.js';
import { EXC_BREAKPOINT } from './cpu-state.js';
import {
  M_ALL, M_F3, M_F6, M_F7, M_OPC, Row, binop, binopImm, binopImmW, binopW, dst, enc, table,
} from './int-emit.js';

const OP_LUI = 0x37, OP_AUIPC = 0x17, OP_JAL = 0x6f, OP_JALR = 0x67, OP_BRANCH = 0x63;
const OP_LOAD = 0x03, OP_STORE = 0x23, OP_IMM = 0x13, OP_IMM32 = 0x1b, OP_REG = 0x33;
const OP_REG32 = 0x3b, OP_MISC_MEM = 0x0f, OP_SYSTEM = 0x73;

const load = (mop: MemOp): TransFn => (s, a) => {
  s.b.ld(dst(s, a.rd), s.gpr(a.rs1), a.imm, mop);
  return true;
};
const store = (size: MemOp['size']): TransFn => (s, a) => {
  s.b.st(s.gpr(a.rs2), s.gpr(a.rs1), a.imm, size);
  return true;
};

/** A conditional branch: the taken and fall-through paths each end in their own goto_tb so both
 *  can be chained. */
const branch = (cond: Cond): TransFn => (s, a) => {
  const taken = s.b.label();
  s.b.brcond(cond, s.gpr(a.rs1), s.gpr(a.rs2), taken);
  s.b.gotoTb(s.nextPc);
  s.b.setLabel(taken);
  s.b.gotoTb(s.pc + a.imm);
  s.ended = true;
  return true;
};

const setcondImm = (cond: Cond): TransFn => (s, a) => {
  s.b.setcond(cond, dst(s, a.rd), s.gpr(a.rs1), s.b.c64(a.imm));
  return true;
};
const setcond = (cond: Cond): TransFn => (s, a) => {
  s.b.setcond(cond, dst(s, a.rd), s.gpr(a.rs1), s.gpr(a.rs2));
  return true;
};

export const RVI_TRANS: Record<string, TransFn> = {
  lui: (s, a) => { s.setGpr(a.rd, s.b.c64(a.imm)); return true; },
  auipc: (s, a) => { s.setGpr(a.rd, s.b.c64(s.pc + a.imm)); return true; },
  jal: (s, a) => {
    s.setGpr(a.rd, s.b.c64(s.nextPc));
    s.b.gotoTb(s.pc + a.imm);
    s.ended = true;
    return true;
  },
  // The target is computed before rd is written, since rd may be rs1 (2.5.1); bit 0 is cleared.
  jalr: (s, a) => {
    const t = s.b.temp('i64');
    s.b.addi(t, s.gpr(a.rs1), a.imm);
    s.b.and(t, t, s.b.c64(-2));
    s.setGpr(a.rd, s.b.c64(s.nextPc));
    s.b.gotoPtr(t);
    s.ended = true;
    return true;
  },
  beq: branch(Cond.EQ), bne: branch(Cond.NE), blt: branch(Cond.LT),
  bge: branch(Cond.GE), bltu: branch(Cond.LTU), bgeu: branch(Cond.GEU),
  lb: load({ size: 1, signed: true }), lh: load({ size: 2, signed: true }),
  lw: load({ size: 4, signed: true }), ld: load({ size: 8, signed: false }),
  lbu: load({ size: 1, signed: false }), lhu: load({ size: 2, signed: false }),
  lwu: load({ size: 4, signed: false }),
  sb: store(1), sh: store(2), sw: store(4), sd: store(8),
  addi: binopImm(Opc.Add), slti: setcondImm(Cond.LT), sltiu: setcondImm(Cond.LTU),
  xori: binopImm(Opc.Xor), ori: binopImm(Opc.Or), andi: binopImm(Opc.And),
  slli: binopImm(Opc.Shl), srli: binopImm(Opc.Shr), srai: binopImm(Opc.Sar),
  add: binop(Opc.Add), sub: binop(Opc.Sub), sll: binop(Opc.Shl), slt: setcond(Cond.LT),
  sltu: setcond(Cond.LTU), xor: binop(Opc.Xor), srl: binop(Opc.Shr), sra: binop(Opc.Sar),
  or: binop(Opc.Or), and: binop(Opc.And),
  addiw: binopImmW(Opc.Add), slliw: binopImmW(Opc.Shl), srliw: binopImmW(Opc.Shr),
  sraiw: binopImmW(Opc.Sar),
  addw: binopW(Opc.Add), subw: binopW(Opc.Sub), sllw: binopW(Opc.Shl), srlw: binopW(Opc.Shr),
  sraw: binopW(Opc.Sar),
  // fence (and its fence.tso / pause variants) orders memory for other harts; the emulator's
  // accesses are already sequentially consistent, so it is a no-op.
  fence: () => true,
  ecall: (s) => { s.b.exitTb(ExitReason.Syscall, s.pc); s.ended = true; return true; },
  ebreak: (s) => { s.raise(EXC_BREAKPOINT); return true; },
};

// The W shifts take a 5-bit shamt: their mask covers bit 25, so shamt[5] = 1 decodes as illegal.
const rows: Row[] = [
  ['lui', M_OPC, OP_LUI, 'U'],
  ['auipc', M_OPC, OP_AUIPC, 'U'],
  ['jal', M_OPC, OP_JAL, 'J'],
  ['jalr', M_F3, enc(0, 0, OP_JALR), 'I'],
  ...([['beq', 0], ['bne', 1], ['blt', 4], ['bge', 5], ['bltu', 6], ['bgeu', 7]] as const)
    .map(([n, f3]): Row => [n, M_F3, enc(0, f3, OP_BRANCH), 'B']),
  ...(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu'] as const)
    .map((n, f3): Row => [n, M_F3, enc(0, f3, OP_LOAD), 'I']),
  ...(['sb', 'sh', 'sw', 'sd'] as const).map((n, f3): Row => [n, M_F3, enc(0, f3, OP_STORE), 'S']),
  ['addi', M_F3, enc(0, 0, OP_IMM), 'I'],
  ['slti', M_F3, enc(0, 2, OP_IMM), 'I'],
  ['sltiu', M_F3, enc(0, 3, OP_IMM), 'I'],
  ['xori', M_F3, enc(0, 4, OP_IMM), 'I'],
  ['ori', M_F3, enc(0, 6, OP_IMM), 'I'],
  ['andi', M_F3, enc(0, 7, OP_IMM), 'I'],
  ['slli', M_F6, enc(0x00, 1, OP_IMM), 'SH'],
  ['srli', M_F6, enc(0x00, 5, OP_IMM), 'SH'],
  ['srai', M_F6, enc(0x20, 5, OP_IMM), 'SH'],
  ['add', M_F7, enc(0x00, 0, OP_REG), 'R'],
  ['sub', M_F7, enc(0x20, 0, OP_REG), 'R'],
  ['sll', M_F7, enc(0x00, 1, OP_REG), 'R'],
  ['slt', M_F7, enc(0x00, 2, OP_REG), 'R'],
  ['sltu', M_F7, enc(0x00, 3, OP_REG), 'R'],
  ['xor', M_F7, enc(0x00, 4, OP_REG), 'R'],
  ['srl', M_F7, enc(0x00, 5, OP_REG), 'R'],
  ['sra', M_F7, enc(0x20, 5, OP_REG), 'R'],
  ['or', M_F7, enc(0x00, 6, OP_REG), 'R'],
  ['and', M_F7, enc(0x00, 7, OP_REG), 'R'],
  ['addiw', M_F3, enc(0, 0, OP_IMM32), 'I'],
  ['slliw', M_F7, enc(0x00, 1, OP_IMM32), 'SH'],
  ['srliw', M_F7, enc(0x00, 5, OP_IMM32), 'SH'],
  ['sraiw', M_F7, enc(0x20, 5, OP_IMM32), 'SH'],
  ['addw', M_F7, enc(0x00, 0, OP_REG32), 'R'],
  ['subw', M_F7, enc(0x20, 0, OP_REG32), 'R'],
  ['sllw', M_F7, enc(0x00, 1, OP_REG32), 'R'],
  ['srlw', M_F7, enc(0x00, 5, OP_REG32), 'R'],
  ['sraw', M_F7, enc(0x20, 5, OP_REG32), 'R'],
  ['fence', M_F3, enc(0, 0, OP_MISC_MEM), 'I'],
  ['ecall', M_ALL, 0x00000073, 'NONE'],
  ['ebreak', M_ALL, 0x00100073, 'NONE'],
];

export const RVI_PATTERNS = table(RVI_TRANS, rows);
export { OP_SYSTEM, OP_MISC_MEM, OP_REG, OP_REG32, OP_IMM, OP_IMM32 };
