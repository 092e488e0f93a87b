// The semantic layer of the ARM frontend: the ARM ARM pseudocode's building blocks (A2.2 shifts
// and carries, A5.2.4 / A6.3.2 modified immediates, AddWithCarry, the operation of each
// instruction family) as IR emitters. Both decoders (a32.ts and the Thumb files) decode fields
// and call these; nothing here depends on the encoding. Operands are i32 temps; registers are
// read and written through ArmDisasContext so that r15 behaves as the pseudocode says.
import { Cond, MemOp, Opc } from '../../tcg/ir.js';
import { EXC_BKPT, EXCL_ADDR, EXCL_VAL, EXCL_VAL_HI, TPIDRURO } from './cpu-state.js';
import type { ArmDisasContext } from './disas-context.js';

// --- shifts (A8.4.3) ---------------------------------------------------------------------------

export const SR_LSL = 0, SR_LSR = 1, SR_ASR = 2, SR_ROR = 3, SR_RRX = 4;

/** A shifted operand: its value, and the shifter's carry out (null: C is unchanged). */
export interface Operand { v: number; c: number | null }

/** DecodeImmShift: the 2-bit type and 5-bit immediate of an encoding -> (type, amount). */
export function decodeImmShift(type: number, imm5: number): [number, number] {
  switch (type) {
    case SR_LSL: return [SR_LSL, imm5];
    case SR_LSR: return [SR_LSR, imm5 === 0 ? 32 : imm5];
    case SR_ASR: return [SR_ASR, imm5 === 0 ? 32 : imm5];
    default: return imm5 === 0 ? [SR_RRX, 1] : [SR_ROR, imm5];
  }
}

/** Shift_C(value, type, amount, APSR.C) with a constant amount (as decoded by decodeImmShift).
 *  The carry is computed only when `wantCarry` (a flag-setting logical instruction). */
export function shiftImm(s: ArmDisasContext, v: number, type: number, n: number, wantCarry: boolean): Operand {
  const b = s.b;
  if (n === 0 && type !== SR_RRX) return { v, c: null };
  const r = s.tmp();
  let c: number | null = null;
  const carryBit = (src: number, bit: number): number => {
    const t = s.tmp();
    s.opi(Opc.Shr, t, src, bit);
    if (bit !== 31) s.opi(Opc.And, t, t, 1);
    return t;
  };
  switch (type) {
    case SR_LSL:
      if (n >= 32) b.movi(r, 0); else s.opi(Opc.Shl, r, v, n);
      if (wantCarry) c = n === 32 ? carryBit(v, 0) : n > 32 ? b.c32(0) : carryBit(v, 32 - n);
      break;
    case SR_LSR:
      if (n >= 32) b.movi(r, 0); else s.opi(Opc.Shr, r, v, n);
      if (wantCarry) c = n > 32 ? b.c32(0) : carryBit(v, n - 1);
      break;
    case SR_ASR:
      s.opi(Opc.Sar, r, v, Math.min(n, 31));
      if (wantCarry) c = carryBit(v, Math.min(n, 32) - 1);
      break;
    case SR_ROR:
      s.opi(Opc.Rotr, r, v, n & 31);
      if (wantCarry) c = carryBit(r, 31);
      break;
    default: { // RRX: C into bit 31
      const hi = s.tmp();
      s.opi(Opc.Shl, hi, s.cf, 31);
      s.opi(Opc.Shr, r, v, 1);
      b.or(r, r, hi);
      if (wantCarry) c = carryBit(v, 0);
    }
  }
  return { v: r, c };
}

/** Shift_C with the amount in the bottom byte of a register (A8.4.3: register-shifted
 *  register forms). */
export function shiftReg(s: ArmDisasContext, v: number, type: number, rs: number, wantCarry: boolean): Operand {
  const b = s.b;
  const z = b.c32(0);
  const amt = s.tmp();
  s.opi(Opc.And, amt, rs, 0xff);
  const r = s.tmp();
  // The carry for amounts 1..32 is bit (amt - 1) of the value as the shift moves it out.
  const am1 = s.tmp();
  if (wantCarry) s.opi(Opc.Sub, am1, amt, 1);
  const c = wantCarry ? s.tmp() : null;
  switch (type) {
    case SR_LSL: {
      const sh = s.tmp();
      b.shl(sh, v, amt);
      b.movcond(Cond.GTU, r, amt, b.c32(31), z, sh);
      if (c !== null) {
        const t = s.tmp();
        b.shl(t, v, am1);
        s.opi(Opc.Shr, t, t, 31);
        b.movcond(Cond.GTU, t, amt, b.c32(32), z, t);
        b.movcond(Cond.EQ, c, amt, z, s.cf, t);
      }
      break;
    }
    case SR_LSR: {
      const sh = s.tmp();
      b.shr(sh, v, amt);
      b.movcond(Cond.GTU, r, amt, b.c32(31), z, sh);
      if (c !== null) {
        const t = s.tmp();
        b.shr(t, v, am1);
        s.opi(Opc.And, t, t, 1);
        b.movcond(Cond.GTU, t, amt, b.c32(32), z, t);
        b.movcond(Cond.EQ, c, amt, z, s.cf, t);
      }
      break;
    }
    case SR_ASR: {
      const a31 = s.tmp();
      b.movcond(Cond.GTU, a31, amt, b.c32(31), b.c32(31), amt);
      b.sar(r, v, a31);
      if (c !== null) {
        const a = s.tmp();
        b.movcond(Cond.GTU, a, amt, b.c32(32), b.c32(31), am1);
        const t = s.tmp();
        b.sar(t, v, a);
        s.opi(Opc.And, t, t, 1);
        b.movcond(Cond.EQ, c, amt, z, s.cf, t);
      }
      break;
    }
    default: { // ROR
      b.binop(Opc.Rotr, r, v, amt);
      if (c !== null) {
        const t = s.tmp();
        s.opi(Opc.Shr, t, r, 31);
        b.movcond(Cond.EQ, c, amt, z, s.cf, t);
      }
    }
  }
  return { v: r, c };
}

// --- modified immediates -------------------------------------------------------------------------

/** A32ExpandImm_C (A5.2.4): an 8-bit value rotated right by twice the 4-bit rotation. */
export function a32ExpandImm(s: ArmDisasContext, imm12: number, wantCarry: boolean): Operand {
  const rot = (imm12 >> 8) * 2;
  const imm8 = imm12 & 0xff;
  const v = rot === 0 ? imm8 : ((imm8 >>> rot) | (imm8 << (32 - rot))) >>> 0;
  return { v: s.b.c32(v), c: wantCarry && rot !== 0 ? s.b.c32(v >>> 31) : null };
}

/** ThumbExpandImm_C (A6.3.2) of i:imm3:imm8. The replicated forms of a zero imm8 are
 *  UNPREDICTABLE; qemu-arm executes them as the value they spell (0), and so does tsemu. */
function thumbExpandImmValue(imm12: number): { v: number; rotated: boolean } {
  const imm8 = imm12 & 0xff;
  if ((imm12 >> 10) === 0) {
    switch ((imm12 >> 8) & 3) {
      case 0: return { v: imm8, rotated: false };
      case 1: return { v: (imm8 << 16) | imm8, rotated: false };
      case 2: return { v: ((imm8 << 24) | (imm8 << 8)) >>> 0, rotated: false };
      default: return { v: (imm8 * 0x01010101) >>> 0, rotated: false };
    }
  }
  const unrot = 0x80 | (imm12 & 0x7f);
  const rot = imm12 >> 7;
  return { v: ((unrot >>> rot) | (unrot << (32 - rot))) >>> 0, rotated: true };
}

export function thumbExpandImm(s: ArmDisasContext, imm12: number, wantCarry: boolean): Operand {
  const e = thumbExpandImmValue(imm12);
  return { v: s.b.c32(e.v), c: wantCarry && e.rotated ? s.b.c32(e.v >>> 31) : null };
}

// --- data processing (A8.8: AND..MVN, ORN) -------------------------------------------------------

/** Data-processing operations, numbered as the A32 opcode field (A5.2.1); ORN is T32-only. */
export const enum DP {
  AND, EOR, SUB, RSB, ADD, ADC, SBC, RSC, TST, TEQ, CMP, CMN, ORR, MOV, BIC, MVN, ORN,
}

/** r = n + m + carryIn with the AddWithCarry flags written when `setFlags`. */
export function addWithCarry(s: ArmDisasContext, r: number, n: number, m: number, carryIn: number | null, setFlags: boolean): void {
  const b = s.b;
  if (!setFlags) {
    b.add(r, n, m);
    if (carryIn !== null) b.add(r, r, carryIn);
    return;
  }
  const c = s.tmp();
  if (carryIn === null) {
    b.add(r, n, m);
    b.setcond(Cond.LTU, c, r, n);
  } else {
    const t = s.tmp();
    b.add(t, n, carryIn);
    const c1 = s.tmp();
    b.setcond(Cond.LTU, c1, t, n);
    b.add(r, t, m);
    b.setcond(Cond.LTU, c, r, t);
    b.or(c, c, c1);
  }
  // V: the operands have equal signs and the result's sign differs.
  const x = s.tmp(), y = s.tmp();
  b.xor(x, r, n);
  b.xor(y, n, m);
  b.unop(Opc.Not, y, y);
  b.and(x, x, y);
  b.mov(s.vf, x);
  b.mov(s.cf, c);
  s.setNZ(r);
}

/** r = n - m (= n + NOT(m) + 1) with its flags: C = no borrow. */
export function subWithFlags(s: ArmDisasContext, r: number, n: number, m: number, setFlags: boolean): void {
  const b = s.b;
  if (!setFlags) { b.sub(r, n, m); return; }
  const c = s.tmp();
  b.setcond(Cond.GEU, c, n, m);
  b.sub(r, n, m);
  const x = s.tmp(), y = s.tmp();
  b.xor(x, n, m);
  b.xor(y, n, r);
  b.and(x, x, y);
  b.mov(s.vf, x);
  b.mov(s.cf, c);
  s.setNZ(r);
}

const isTest = (op: DP): boolean => op >= DP.TST && op <= DP.CMN;
const isLogical = (op: DP): boolean =>
  op === DP.AND || op === DP.EOR || op === DP.TST || op === DP.TEQ || op === DP.ORR ||
  op === DP.MOV || op === DP.BIC || op === DP.MVN || op === DP.ORN;

/** Whether the shifter's carry out is needed: only flag-setting logical operations use it. */
export const dpWantsCarry = (op: DP, setFlags: boolean): boolean => setFlags && isLogical(op);

/** A data-processing instruction: rd = n OP m (n is ignored by MOV/MVN), flags when setFlags
 *  (always for TST/TEQ/CMP/CMN, which write no register). A write to r15 is ALUWritePC. */
export function dataProc(s: ArmDisasContext, op: DP, rd: number, n: number, m: Operand, setFlags: boolean): void {
  const b = s.b;
  const r = s.tmp();
  const flags = setFlags || isTest(op);
  const inv = (x: number): number => { const t = s.tmp(); b.unop(Opc.Not, t, x); return t; };
  switch (op) {
    case DP.AND: case DP.TST: b.and(r, n, m.v); break;
    case DP.EOR: case DP.TEQ: b.xor(r, n, m.v); break;
    case DP.ORR: b.or(r, n, m.v); break;
    case DP.ORN: b.or(r, n, inv(m.v)); break;
    case DP.MOV: b.mov(r, m.v); break;
    case DP.BIC: b.and(r, n, inv(m.v)); break;
    case DP.MVN: b.unop(Opc.Not, r, m.v); break;
    case DP.ADD: case DP.CMN: addWithCarry(s, r, n, m.v, null, flags); break;
    case DP.ADC: addWithCarry(s, r, n, m.v, s.cf, flags); break;
    case DP.SUB: case DP.CMP: subWithFlags(s, r, n, m.v, flags); break;
    case DP.RSB: subWithFlags(s, r, m.v, n, flags); break;
    case DP.SBC: addWithCarry(s, r, n, inv(m.v), s.cf, flags); break;
    case DP.RSC: addWithCarry(s, r, m.v, inv(n), s.cf, flags); break;
  }
  if (flags && isLogical(op)) {
    s.setNZ(r);
    if (m.c !== null) b.mov(s.cf, m.c);
  }
  if (!isTest(op)) s.setRegAlu(rd, r);
}

// --- multiplies (A8.8.114 MUL, MLA, MLS, the long and halfword forms) ----------------------------

/** MUL / MLA / MLS: rd = (acc +/- ) n * m; MULS/MLAS set N and Z. */
export function mul(s: ArmDisasContext, rd: number, n: number, m: number, acc: number | null, subtract: boolean, setFlags: boolean): void {
  const b = s.b;
  const r = s.tmp();
  b.binop(Opc.Mul, r, n, m);
  if (acc !== null) {
    if (subtract) b.sub(r, acc, r); else b.add(r, acc, r);
  }
  if (setFlags) s.setNZ(r);
  s.setReg(rd, r);
}

const toI64 = (s: ArmDisasContext, v: number, signed: boolean): number => {
  const t = s.b.temp('i64');
  s.b.unop(signed ? Opc.ExtSI32I64 : Opc.ExtUI32I64, t, v);
  return t;
};
/** hi:lo of two registers as an i64 temp. */
const pair64 = (s: ArmDisasContext, lo: number, hi: number): number => {
  const b = s.b;
  const h = toI64(s, hi, false);
  b.shl(h, h, b.c64(32));
  b.or(h, h, toI64(s, lo, false));
  return h;
};
/** The low and high words of an i64 temp, as i32 temps. */
const split64 = (s: ArmDisasContext, v: number): [number, number] => {
  const b = s.b;
  const lo = s.tmp(), hi = s.tmp();
  b.unop(Opc.TruncI64I32, lo, v);
  const h = b.temp('i64');
  b.shr(h, v, b.c64(32));
  b.unop(Opc.TruncI64I32, hi, h);
  return [lo, hi];
};
/** Writes an i64 temp to RdLo and RdHi; N and Z from all 64 bits when setFlags. */
function writePair(s: ArmDisasContext, rdlo: number, rdhi: number, v: number, setFlags: boolean): void {
  const b = s.b;
  const [lo, hi] = split64(s, v);
  if (setFlags) {
    b.mov(s.nf, hi);
    b.or(s.zf, lo, hi);
  }
  s.setReg(rdlo, lo);
  s.setReg(rdhi, hi);
}

/** UMULL SMULL UMLAL SMLAL (and UMAAL with `umaal`): RdHi:RdLo = n * m (+ RdHi:RdLo). */
export function mulLong(
  s: ArmDisasContext, rdlo: number, rdhi: number, n: number, m: number,
  signed: boolean, accumulate: boolean, setFlags: boolean, umaal = false,
): void {
  const b = s.b;
  const p = b.temp('i64');
  b.binop(Opc.Mul, p, toI64(s, n, signed), toI64(s, m, signed));
  if (umaal) {
    b.add(p, p, toI64(s, s.reg(rdlo), false));
    b.add(p, p, toI64(s, s.reg(rdhi), false));
  } else if (accumulate) {
    b.add(p, p, pair64(s, s.reg(rdlo), s.reg(rdhi)));
  }
  writePair(s, rdlo, rdhi, p, setFlags);
}

/** The signed 16-bit half of a register: top (bits 31:16) or bottom. */
export function half(s: ArmDisasContext, v: number, top: boolean): number {
  const t = s.tmp();
  if (top) s.opi(Opc.Sar, t, v, 16); else s.b.unop(Opc.Ext16S, t, v);
  return t;
}

/** Sets Q when the signed 32-bit sum r = a + c overflowed. */
function qOnAddOverflow(s: ArmDisasContext, r: number, a: number, c: number): void {
  const b = s.b;
  const x = s.tmp(), y = s.tmp();
  b.xor(x, r, a);
  b.xor(y, a, c);
  b.unop(Opc.Not, y, y);
  b.and(x, x, y);
  s.opi(Opc.Shr, x, x, 31);
  b.or(s.qf, s.qf, x);
}

/** SMULxy / SMLAxy (A8.8.176, A8.8.170): rd = half(n) * half(m) (+ acc, setting Q on
 *  overflow). */
export function smulxy(s: ArmDisasContext, rd: number, n: number, m: number, nTop: boolean, mTop: boolean, acc: number | null): void {
  const b = s.b;
  const p = s.tmp();
  b.binop(Opc.Mul, p, half(s, n, nTop), half(s, m, mTop));
  if (acc === null) { s.setReg(rd, p); return; }
  const r = s.tmp();
  b.add(r, p, acc);
  qOnAddOverflow(s, r, p, acc);
  s.setReg(rd, r);
}

/** SMULWy / SMLAWy: rd = (n * half(m)) >> 16, the 48-bit product's top 32 bits (+ acc, Q). */
export function smulwy(s: ArmDisasContext, rd: number, n: number, m: number, mTop: boolean, acc: number | null): void {
  const b = s.b;
  const p = b.temp('i64');
  b.binop(Opc.Mul, p, toI64(s, n, true), toI64(s, half(s, m, mTop), true));
  b.sar(p, p, b.c64(16));
  const r = s.tmp();
  b.unop(Opc.TruncI64I32, r, p);
  if (acc === null) { s.setReg(rd, r); return; }
  const sum = s.tmp();
  b.add(sum, r, acc);
  qOnAddOverflow(s, sum, r, acc);
  s.setReg(rd, sum);
}

/** SMLALxy: RdHi:RdLo += half(n) * half(m). */
export function smlalxy(s: ArmDisasContext, rdlo: number, rdhi: number, n: number, m: number, nTop: boolean, mTop: boolean): void {
  const b = s.b;
  const p32 = s.tmp();
  b.binop(Opc.Mul, p32, half(s, n, nTop), half(s, m, mTop));
  const p = toI64(s, p32, true);
  b.add(p, p, pair64(s, s.reg(rdlo), s.reg(rdhi)));
  writePair(s, rdlo, rdhi, p, false);
}

/** SMMUL / SMMLA / SMMLS (+R: rounded): the top word of the 64-bit (acc << 32) +/- n * m. */
export function smmul(s: ArmDisasContext, rd: number, n: number, m: number, acc: number | null, subtract: boolean, round: boolean): void {
  const b = s.b;
  const p = b.temp('i64');
  b.binop(Opc.Mul, p, toI64(s, n, true), toI64(s, m, true));
  if (acc !== null) {
    const a = toI64(s, acc, false);
    b.shl(a, a, b.c64(32));
    if (subtract) b.sub(p, a, p); else b.add(p, a, p);
  }
  if (round) b.add(p, p, b.c64(0x80000000));
  b.shr(p, p, b.c64(32));
  const r = s.tmp();
  b.unop(Opc.TruncI64I32, r, p);
  s.setReg(rd, r);
}

/** The dual 16-bit multiplies' bottom * bottom +/- top * top as an i64 temp, Rm's halves
 *  swapped for the X forms (each product fits 32 bits, their sum or difference may not). */
function dualProducts(s: ArmDisasContext, n: number, m: number, subtract: boolean, swap: boolean): number {
  const b = s.b;
  let mm = m;
  if (swap) { mm = s.tmp(); s.opi(Opc.Rotr, mm, m, 16); }
  const lo = s.tmp(), hi = s.tmp();
  b.binop(Opc.Mul, lo, half(s, n, false), half(s, mm, false));
  b.binop(Opc.Mul, hi, half(s, n, true), half(s, mm, true));
  const p = toI64(s, lo, true);
  b.binop(subtract ? Opc.Sub : Opc.Add, p, p, toI64(s, hi, true));
  return p;
}

/** SMUAD SMUSD SMLAD SMLSD (A8.8.177, A8.8.167...): rd = (acc +) the dual products, with Q
 *  set when the exact result does not fit 32 bits. */
export function dualMul(s: ArmDisasContext, rd: number, n: number, m: number, acc: number | null, subtract: boolean, swap: boolean): void {
  const b = s.b;
  const p = dualProducts(s, n, m, subtract, swap);
  if (acc !== null) b.add(p, p, toI64(s, acc, true));
  const r = s.tmp(), q = s.tmp();
  b.unop(Opc.TruncI64I32, r, p);
  b.setcond(Cond.NE, q, toI64(s, r, true), p);
  b.or(s.qf, s.qf, q);
  s.setReg(rd, r);
}
/** SMLALD SMLSLD: RdHi:RdLo += the dual products. */
export function dualMulLong(s: ArmDisasContext, rdlo: number, rdhi: number, n: number, m: number, subtract: boolean, swap: boolean): void {
  const p = dualProducts(s, n, m, subtract, swap);
  s.b.add(p, p, pair64(s, s.reg(rdlo), s.reg(rdhi)));
  writePair(s, rdlo, rdhi, p, false);
}

/** UDIV / SDIV (A8.8.248, A8.8.165): x / 0 = 0 (ARMv7-R/A with DIV_0_TRP clear); the IR's
 *  INT_MIN / -1 = INT_MIN matches SDIV. */
export function divide(s: ArmDisasContext, rd: number, n: number, m: number, signed: boolean): void {
  const b = s.b;
  const q = s.tmp();
  b.binop(signed ? Opc.DivS : Opc.DivU, q, n, m);
  const r = s.tmp();
  b.movcond(Cond.EQ, r, m, b.c32(0), b.c32(0), q);
  s.setReg(rd, r);
}

// --- bit operations --------------------------------------------------------------------------------

export function clz(s: ArmDisasContext, rd: number, m: number): void {
  const r = s.tmp();
  s.b.unop(Opc.Clz, r, m);
  s.setReg(rd, r);
}

/** The bytes of v in reverse order, as a new temp. */
function byteReverse(s: ArmDisasContext, v: number): number {
  const r = s.tmp(), t = s.tmp();
  s.opi(Opc.Rotr, r, v, 8); // bytes 0 and 2 land in place
  s.opi(Opc.And, r, r, 0xff00ff00);
  s.opi(Opc.Rotl, t, v, 8); // bytes 1 and 3
  s.opi(Opc.And, t, t, 0x00ff00ff);
  s.b.or(r, r, t);
  return r;
}
/** REV: byte reverse. */
export function rev(s: ArmDisasContext, rd: number, m: number): void {
  s.setReg(rd, byteReverse(s, m));
}
/** RBIT: bit reverse, as the bits swapped within each byte (pairs, nibbles), then the bytes. */
export function rbit(s: ArmDisasContext, rd: number, m: number): void {
  let v = m;
  for (const [k, mask] of [[1, 0x55555555], [2, 0x33333333], [4, 0x0f0f0f0f]]) {
    const down = s.tmp(), up = s.tmp(), r = s.tmp();
    s.opi(Opc.Shr, down, v, k);
    s.opi(Opc.And, down, down, mask);
    s.opi(Opc.And, up, v, mask);
    s.opi(Opc.Shl, up, up, k);
    s.b.or(r, down, up);
    v = r;
  }
  s.setReg(rd, byteReverse(s, v));
}
/** REV16: byte reverse within each halfword. */
export function rev16(s: ArmDisasContext, rd: number, m: number): void {
  const b = s.b;
  const r = s.tmp(), t = s.tmp();
  s.opi(Opc.Shr, r, m, 8);
  s.opi(Opc.And, r, r, 0x00ff00ff);
  s.opi(Opc.Shl, t, m, 8);
  s.opi(Opc.And, t, t, 0xff00ff00);
  b.or(r, r, t);
  s.setReg(rd, r);
}
/** REVSH: byte reverse the low halfword and sign-extend. */
export function revsh(s: ArmDisasContext, rd: number, m: number): void {
  const b = s.b;
  const r = s.tmp(), t = s.tmp();
  s.opi(Opc.Shl, r, m, 24);
  s.opi(Opc.Sar, r, r, 16);
  s.opi(Opc.Shr, t, m, 8);
  s.opi(Opc.And, t, t, 0xff);
  b.or(r, r, t);
  s.setReg(rd, r);
}

/** UBFX / SBFX: the `width` bits of n from `lsb`, zero- or sign-extended. */
export function bitfieldExtract(s: ArmDisasContext, rd: number, n: number, lsb: number, width: number, signed: boolean): boolean {
  if (lsb + width > 32) return false;
  const r = s.tmp();
  s.opi(Opc.Shl, r, n, 32 - lsb - width);
  s.opi(signed ? Opc.Sar : Opc.Shr, r, r, 32 - width);
  s.setReg(rd, r);
  return true;
}

/** BFI (n = the source) / BFC (n = null): bits msb..lsb of rd replaced. */
export function bitfieldInsert(s: ArmDisasContext, rd: number, n: number | null, lsb: number, msb: number): boolean {
  if (msb < lsb) return false; // UNPREDICTABLE; treated as undefined
  const b = s.b;
  const width = msb - lsb + 1;
  const field = (width === 32 ? 0xffffffff : ((1 << width) - 1) << lsb) >>> 0;
  const r = s.tmp();
  s.opi(Opc.And, r, s.reg(rd), ~field);
  if (n !== null) {
    const t = s.tmp();
    s.opi(Opc.Shl, t, n, lsb);
    s.opi(Opc.And, t, t, field);
    b.or(r, r, t);
  }
  s.setReg(rd, r);
  return true;
}

/** The extend family: SXTB SXTH UXTB UXTH (+ the add forms SXTAB...) after ROR by 0/8/16/24;
 *  the 16-bit lane forms SXTB16 UXTB16 (+ SXTAB16 UXTAB16). `n` is the addend or null. */
export function extend(s: ArmDisasContext, rd: number, n: number | null, m: number, rotation: number, size: 8 | 16, signed: boolean, lanes16 = false): void {
  const b = s.b;
  const rot = s.tmp();
  if (rotation) s.opi(Opc.Rotr, rot, m, rotation); else b.mov(rot, m);
  const r = s.tmp();
  if (!lanes16) {
    const opc = size === 8 ? (signed ? Opc.Ext8S : Opc.Ext8U) : (signed ? Opc.Ext16S : Opc.Ext16U);
    b.unop(opc, r, rot);
    if (n !== null) b.add(r, r, n);
  } else {
    // Bytes 0 and 2, each extended to a halfword (and added halfword-wise to n).
    const lo = s.tmp(), hi = s.tmp();
    b.unop(signed ? Opc.Ext8S : Opc.Ext8U, lo, rot);
    s.opi(Opc.Shr, hi, rot, 16);
    b.unop(signed ? Opc.Ext8S : Opc.Ext8U, hi, hi);
    if (n !== null) {
      b.add(lo, lo, n);
      const nh = s.tmp();
      s.opi(Opc.Shr, nh, n, 16);
      b.add(hi, hi, nh);
    }
    s.opi(Opc.And, lo, lo, 0xffff);
    s.opi(Opc.Shl, hi, hi, 16);
    b.or(r, lo, hi);
  }
  s.setReg(rd, r);
}

/** PKHBT / PKHTB: the bottom half of one operand and the top half of the other (m already
 *  shifted by the decoder). */
export function pkh(s: ArmDisasContext, rd: number, n: number, m: number, tb: boolean): void {
  const b = s.b;
  const lo = s.tmp(), hi = s.tmp();
  s.opi(Opc.And, lo, tb ? m : n, 0xffff);
  s.opi(Opc.And, hi, tb ? n : m, 0xffff0000);
  const r = s.tmp();
  b.or(r, lo, hi);
  s.setReg(rd, r);
}

// --- loads and stores (A8.8.62 LDR etc.) -----------------------------------------------------------

/** How the address of a single load/store is formed (the ARM ARM's index/add/wback). */
export interface AddrMode {
  rn: number;
  /** The offset as an i32 temp (a constant, or a shifted register). */
  offset: number;
  add: boolean;
  /** Pre-indexed (offset applied before the access) or post-indexed. */
  index: boolean;
  wback: boolean;
}

/** Computes [address, offset address]; r15 as base reads as Align(PC, 4). */
export function address(s: ArmDisasContext, am: AddrMode): [number, number] {
  const b = s.b;
  const base = s.baseReg(am.rn);
  const off = s.tmp();
  if (am.add) b.add(off, base, am.offset); else b.sub(off, base, am.offset);
  return [am.index ? off : base, off];
}

export const MOP = (size: 1 | 2 | 4, signed = false): MemOp => ({ size, signed });

/** LDR LDRB LDRH LDRSB LDRSH (and the T variants, which are the same in user mode). */
export function load(s: ArmDisasContext, rt: number, am: AddrMode, mop: MemOp): void {
  const [addr, off] = address(s, am);
  const v = s.tmp();
  s.b.ld(v, addr, 0, mop);
  if (am.wback) s.setReg(am.rn, off);
  s.setRegLoad(rt, v);
}

/** STR STRB STRH: stores R[rt] (r15 stores PC as read: this insn + 8 in ARM state). */
export function store(s: ArmDisasContext, rt: number, am: AddrMode, size: 1 | 2 | 4): void {
  const [addr, off] = address(s, am);
  s.b.st(s.reg(rt), addr, 0, size);
  if (am.wback) s.setReg(am.rn, off);
}

/** LDRD: rt and rt2 from two consecutive words. */
export function loadDual(s: ArmDisasContext, rt: number, rt2: number, am: AddrMode): void {
  const [addr, off] = address(s, am);
  const lo = s.tmp(), hi = s.tmp();
  s.b.ld(lo, addr, 0, MOP(4));
  s.b.ld(hi, addr, 4, MOP(4));
  if (am.wback) s.setReg(am.rn, off);
  s.setReg(rt, lo);
  s.setRegLoad(rt2, hi);
}
export function storeDual(s: ArmDisasContext, rt: number, rt2: number, am: AddrMode): void {
  const [addr, off] = address(s, am);
  s.b.st(s.reg(rt), addr, 0, 4);
  s.b.st(s.reg(rt2), addr, 4, 4);
  if (am.wback) s.setReg(am.rn, off);
}

/** LDM/STM addressing: increment after (IA), increment before (IB), decrement after (DA),
 *  decrement before (DB). */
export const enum Multi { IA, IB, DA, DB }

/** LDM / POP and STM / PUSH (A8.8.58 ...): the registers in `list` (bit i = r_i) from/to
 *  consecutive words, lowest register at the lowest address. Loads complete before any
 *  register is written, so a fault leaves the registers unchanged. */
export function loadStoreMultiple(s: ArmDisasContext, isLoad: boolean, rn: number, list: number, mode: Multi, wback: boolean): boolean {
  const b = s.b;
  const regs: number[] = [];
  for (let i = 0; i < 16; i++) if (list & (1 << i)) regs.push(i);
  if (regs.length === 0) return false;
  const bytes = regs.length * 4;
  const base = s.reg(rn);
  const start = s.tmp();
  const first = mode === Multi.IA ? 0 : mode === Multi.IB ? 4 : mode === Multi.DA ? 4 - bytes : -bytes;
  s.opi(Opc.Add, start, base, first);
  const wbVal = s.tmp();
  s.opi(Opc.Add, wbVal, base, mode === Multi.IA || mode === Multi.IB ? bytes : -bytes);
  if (isLoad) {
    const vals = regs.map((_, k) => {
      const v = s.tmp();
      b.ld(v, start, k * 4, MOP(4));
      return v;
    });
    // A loaded base register wins over the writeback (the ARM ARM leaves wback with rn in the
    // list UNPREDICTABLE for ARMv7 loads).
    if (wback && !(list & (1 << rn))) s.setReg(rn, wbVal);
    regs.forEach((r, k) => s.setRegLoad(r, vals[k]));
  } else {
    regs.forEach((r, k) => b.st(s.reg(r), start, k * 4, 4));
    if (wback) s.setReg(rn, wbVal);
  }
  return true;
}

// --- exclusives (A3.4) ------------------------------------------------------------------------------
// A value-based local monitor, atomic against vCPUs running in parallel: LDREX records the
// address and the value it loaded, and STREX is a cmpxchg against that value, so it succeeds
// iff the monitor is open for its address and memory still holds the value. Exclusives need a
// naturally aligned address (doubleword for LDREXD/STREXD): else an alignment fault whatever
// SCTLR.A says (A3.2.1), a MemFault of kind Misaligned, checked before the protection.

const exclAddr = (s: ArmDisasContext): number => s.b.global('i32', EXCL_ADDR, 'excl_addr');
const exclVal = (s: ArmDisasContext): number => s.b.global('i32', EXCL_VAL, 'excl_val');
const exclValHi = (s: ArmDisasContext): number => s.b.global('i32', EXCL_VAL_HI, 'excl_val_hi');
const exclMop = (size: 1 | 2 | 4 | 8): MemOp => ({ size, signed: false, align: true });

/** LDREX LDREXB LDREXH LDREXD (rt2 for D): loads and opens the monitor on the address. LDREXD
 *  is one doubleword load: rt gets the word at the address, rt2 the next one. */
/** An exclusive naming pc as its base, a data register (the second only for the doubleword
 *  forms) or the status register is UNPREDICTABLE; qemu-arm raises SIGILL for it (checked for
 *  LDREX and STREX in A32 and T32), and so does tsemu. */
export function exclusiveNamesPc(size: 1 | 2 | 4 | 8, n: number, t: number, t2 = 0, d = 0): boolean {
  return n === 15 || t === 15 || (size === 8 && t2 === 15) || d === 15;
}

export function loadExclusive(s: ArmDisasContext, size: 1 | 2 | 4 | 8, rt: number, rt2: number, addr: number): void {
  const b = s.b;
  let v: number, hi: number | null = null;
  if (size === 8) {
    const d = b.temp('i64');
    b.ld(d, addr, 0, exclMop(8));
    [v, hi] = split64(s, d);
    b.mov(exclValHi(s), hi);
  } else {
    v = s.tmp();
    b.ld(v, addr, 0, exclMop(size));
  }
  b.mov(exclAddr(s), addr);
  b.mov(exclVal(s), v);
  s.setReg(rt, v);
  if (hi !== null) s.setReg(rt2, hi);
}

/** STREX*: writes 0 to rd iff the monitor is open for this address and the cmpxchg against
 *  the value LDREX loaded stored rt (rt2:rt for D); else 1. It is one cmpxchg either way: with
 *  the monitor closed or elsewhere it stores the expected value over itself, which changes
 *  nothing but checks alignment and permission as a store (the pseudocode's alignment check
 *  comes first; whether a failing STREX can also abort on permission is IMPLEMENTATION
 *  DEFINED, ExclusiveMonitorsPass()). The monitor closes either way. */
export function storeExclusive(s: ArmDisasContext, size: 1 | 2 | 4 | 8, rd: number, rt: number, rt2: number, addr: number): void {
  const b = s.b;
  // Compared as the cmpxchg compares it and returns the old value: zero-extended from size.
  let expected = exclVal(s), value = s.reg(rt);
  if (size === 8) {
    expected = pair64(s, exclVal(s), exclValHi(s));
    value = pair64(s, s.reg(rt), s.reg(rt2));
  } else if (size < 4) {
    expected = s.tmp();
    b.unop(size === 1 ? Opc.Ext8U : Opc.Ext16U, expected, exclVal(s));
  }
  const ty = size === 8 ? 'i64' : 'i32';
  const desired = b.temp(ty), old = b.temp(ty);
  b.movcond(Cond.EQ, desired, exclAddr(s), addr, value, expected);
  b.atomicCmpxchg(old, addr, 0, expected, desired, exclMop(size));
  const changed = s.tmp(), result = s.tmp();
  b.setcond(Cond.NE, changed, old, expected);
  b.movcond(Cond.EQ, result, exclAddr(s), addr, changed, b.c32(1));
  s.setReg(rd, result); // after the access: a fault leaves rd unchanged
  b.movi(exclAddr(s), -1);
}

export function clearExclusive(s: ArmDisasContext): void {
  s.b.movi(exclAddr(s), -1);
}

// --- branches (A8.8.18 B, BL, BLX, BX) -------------------------------------------------------------

/** B<cond> with its own condition field (Thumb T1/T3; A32 conditions go through the block
 *  loop): both outcomes end the block in a goto_tb so that each can be chained. */
export function branchCond(s: ArmDisasContext, cond: number, target: number): void {
  if (cond >= 14) { s.gotoAddr(target); return; }
  const skip = s.b.label();
  s.skipUnless(cond, skip);
  s.gotoAddr(target);
  s.b.setLabel(skip);
  s.gotoAddr(s.nextPc);
}

/** The link value: the next instruction, with bit 0 set in Thumb state. */
const linkValue = (s: ArmDisasContext): number => s.b.c32(s.key(s.nextPc));

/** BL / BLX (immediate): lr = return address, then branch; `toThumb` is the target state. */
export function branchLink(s: ArmDisasContext, target: number, toThumb: boolean): void {
  s.setReg(14, linkValue(s));
  s.gotoAddr(target, toThumb);
}

/** BX Rm. */
export function bx(s: ArmDisasContext, rm: number): void {
  s.bxWritePC(s.reg(rm));
}

/** BLX Rm: the target is read before lr is written (rm may be lr). */
export function blxReg(s: ArmDisasContext, rm: number): void {
  const t = s.tmp();
  s.b.mov(t, s.reg(rm));
  s.setReg(14, linkValue(s));
  s.bxWritePC(t);
}

// --- system ------------------------------------------------------------------------------------------

export function bkpt(s: ArmDisasContext, imm: number): void { s.raise(EXC_BKPT, imm); }

/** MRC p15, 0, Rt, c13, c0, 3: TPIDRURO, the TLS pointer the kernel sets (set_tls). Other
 *  coprocessor registers are not accessible from user mode: UNDEFINED. */
export function mrcTpidruro(s: ArmDisasContext, rt: number): boolean {
  if (rt === 15) return false;
  s.setReg(rt, s.b.global('i32', TPIDRURO, 'tpidruro'));
  return true;
}

export function mrsApsr(s: ArmDisasContext, rd: number): void {
  const r = s.tmp();
  s.b.call(s.helper('arm_mrs_apsr'), r);
  s.setReg(rd, r);
}
/** MSR APSR_<nzcvq|g>: mask bit 1 = nzcvq, bit 0 = g. */
export function msrApsr(s: ArmDisasContext, v: number, mask: number): void {
  s.b.call(s.helper('arm_msr_apsr'), null, v, s.b.c32(mask));
}
