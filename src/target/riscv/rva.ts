// RV64A: atomics (RISC-V unprivileged ISA, chapter 14), atomic against vCPUs running in parallel
// on the shared memory. AMOs are IR atomics; AMOMIN/MAX[U] are cmpxchg retry loops, since wasm
// and JS Atomics have no atomic min/max. LR/SC keep a value-based reservation: LR records the
// address and the value it loaded, and SC is a cmpxchg against that value, so it succeeds iff
// the reservation is for its address and memory still holds the value (a change and change back
// in between goes unnoticed, which LR/SC loops tolerate). Every A instruction needs a naturally
// aligned address (sections "Load-Reserved/Store-Conditional Instructions" and "Atomic Memory
// Operations"): else a MemFault of kind Misaligned, checked before the protection.
import { Cond, MemOp, Opc, RmwOp } from '../../tcg/ir.js';
import type { TransFn } from './decode.js';
import type { DisasContext } from './disas-context.js';
import { RES_ADDR, RES_VAL } from './cpu-state.js';
import { Row, enc, table } from './int-emit.js';

const OP_AMO = 0x2f;
const M_AMO = 0xf800707f; // funct5, funct3, opcode (aq/rl are ordering hints, ignored)
const M_LR = 0xf9f0707f; // + rs2 = 0

type Size = 4 | 8;
const resAddr = (s: DisasContext): number => s.b.global('i64', RES_ADDR, 'res_addr');
const resVal = (s: DisasContext): number => s.b.global('i64', RES_VAL, 'res_val');
// 32-bit values are kept sign-extended, as in registers (LR.W and the .W AMOs sign-extend).
const mop = (size: Size): MemOp => ({ size, signed: true, align: true });

const lr = (size: Size): TransFn => (s, a) => {
  const v = s.b.temp('i64');
  s.b.ld(v, s.gpr(a.rs1), 0, mop(size));
  s.b.mov(resAddr(s), s.gpr(a.rs1));
  s.b.mov(resVal(s), v);
  s.setGpr(a.rd, v);
  return true;
};

/** One cmpxchg whether or not the reservation is for this address: without it, it stores the
 *  expected value over itself, which changes nothing. So every SC checks alignment and write
 *  permission (the spec: no SC retires unless it passes the memory permission checks; a failed
 *  SC may be treated like a store). rd = 0 iff the reservation matched and the cmpxchg stored. */
const sc = (size: Size): TransFn => (s, a) => {
  const b = s.b;
  const addr = s.gpr(a.rs1);
  // Compared as the cmpxchg compares it and returns the old value: sign-extended from size.
  let expected = resVal(s);
  if (size === 4) {
    expected = b.temp('i64');
    b.unop(Opc.Ext32S, expected, resVal(s));
  }
  const desired = b.temp('i64');
  b.movcond(Cond.EQ, desired, resAddr(s), addr, s.gpr(a.rs2), expected);
  const old = b.temp('i64');
  b.atomicCmpxchg(old, addr, 0, expected, desired, mop(size));
  const changed = b.temp('i64'), rd = b.temp('i64');
  b.setcond(Cond.NE, changed, old, expected);
  b.movcond(Cond.EQ, rd, resAddr(s), addr, changed, b.c64(1));
  s.setGpr(a.rd, rd); // after the access: a fault leaves rd unchanged
  b.movi(resAddr(s), -1);
  return true;
};

/** AMOADD AMOSWAP AMOAND AMOOR AMOXOR: one atomic read-modify-write. */
const amo = (size: Size, op: RmwOp): TransFn => (s, a) => {
  const old = s.b.temp('i64');
  s.b.atomicRmw(op, old, s.gpr(a.rs1), 0, s.gpr(a.rs2), mop(size));
  s.setGpr(a.rd, old);
  return true;
};

/** AMOMIN AMOMAX AMOMINU AMOMAXU: min/max of the value last seen and rs2, stored by cmpxchg iff
 *  memory still holds that value, else again from what it held. The first read is an atomic
 *  OR with 0: a load that checks alignment and write permission as the AMO must (a plain load
 *  would fault as a read). A 32-bit AMO compares the low words, sign- or zero-extended as the
 *  op's signedness. */
const amoMinMax = (size: Size, cond: Cond): TransFn => (s, a) => {
  const b = s.b;
  const addr = s.gpr(a.rs1);
  const seen = b.temp('i64'), expected = b.temp('i64'), desired = b.temp('i64');
  b.atomicRmw(RmwOp.Or, seen, addr, 0, b.c64(0), mop(size));
  const again = b.label();
  b.setLabel(again);
  b.mov(expected, seen);
  let [x, y] = [expected, s.gpr(a.rs2)];
  if (size === 4) {
    const ext = cond === Cond.LT || cond === Cond.GT ? Opc.Ext32S : Opc.Ext32U;
    [x, y] = [b.temp('i64'), b.temp('i64')];
    b.unop(ext, x, expected);
    b.unop(ext, y, s.gpr(a.rs2));
  }
  b.movcond(cond, desired, x, y, x, y);
  b.atomicCmpxchg(seen, addr, 0, expected, desired, mop(size));
  b.brcond(Cond.NE, seen, expected, again);
  s.setGpr(a.rd, seen);
  return true;
};

const AMOS: [name: string, funct5: number, trans: (size: Size) => TransFn][] = [
  ['amoadd', 0x00, (size) => amo(size, RmwOp.Add)],
  ['amoswap', 0x01, (size) => amo(size, RmwOp.Xchg)],
  ['amoxor', 0x04, (size) => amo(size, RmwOp.Xor)],
  ['amoor', 0x08, (size) => amo(size, RmwOp.Or)],
  ['amoand', 0x0c, (size) => amo(size, RmwOp.And)],
  ['amomin', 0x10, (size) => amoMinMax(size, Cond.LT)],
  ['amomax', 0x14, (size) => amoMinMax(size, Cond.GT)],
  ['amominu', 0x18, (size) => amoMinMax(size, Cond.LTU)],
  ['amomaxu', 0x1c, (size) => amoMinMax(size, Cond.GTU)],
];

const trans: Record<string, TransFn> = {};
const rows: Row[] = [];
for (const [sfx, f3, size] of [['w', 2, 4], ['d', 3, 8]] as const) {
  trans[`lr.${sfx}`] = lr(size);
  trans[`sc.${sfx}`] = sc(size);
  rows.push([`lr.${sfx}`, M_LR, enc(0x02 << 2, f3, OP_AMO), 'ATOM']);
  rows.push([`sc.${sfx}`, M_AMO, enc(0x03 << 2, f3, OP_AMO), 'ATOM']);
  for (const [name, f5, amoTrans] of AMOS) {
    trans[`${name}.${sfx}`] = amoTrans(size);
    rows.push([`${name}.${sfx}`, M_AMO, enc(f5 << 2, f3, OP_AMO), 'ATOM']);
  }
}

export const RVA_PATTERNS = table(trans, rows);
