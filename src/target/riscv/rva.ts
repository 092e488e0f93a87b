// RV64A: atomics (RISC-V unprivileged ISA, chapter 14). An AMO is a plain load-compute-store and
// SC a compare-then-store: atomic as long as one vCPU runs at a time. vCPUs running in parallel
// (worker threads over shared memory) will need an atomic IR op (cmpxchg / rmw, lowered to
// Atomics or wasm atomics) in their place. LR records the reservation (address and loaded value);
// SC succeeds iff the reservation is for its address and memory still holds that value, and
// always clears it.
// Not done: the address-misaligned fault for misaligned AMO/LR/SC addresses (they just work).
import { Cond, Opc } from '../../tcg/ir.js';
import type { Args, TransFn } from './decode.js';
import type { DisasContext } from './disas-context.js';
import { RES_ADDR, RES_VAL } from './cpu-state.js';
import { Row, enc, table } from './int-emit.js';

const OP_AMO = 0x2f;
const M_AMO = 0xf800707f; // funct5, funct3, opcode (aq/rl are ordering hints, ignored)
const M_LR = 0xf9f0707f; // + rs2 = 0

type Size = 4 | 8;
const resAddr = (s: DisasContext): number => s.b.global('i64', RES_ADDR, 'res_addr');
const resVal = (s: DisasContext): number => s.b.global('i64', RES_VAL, 'res_val');
// 32-bit values are kept sign-extended, as in registers (14.2: LR.W sign-extends).
const mop = (size: Size) => ({ size, signed: true });

const lr = (size: Size): TransFn => (s, a) => {
  const v = s.b.temp('i64');
  s.b.ld(v, s.gpr(a.rs1), 0, mop(size));
  s.b.mov(resAddr(s), s.gpr(a.rs1));
  s.b.mov(resVal(s), v);
  s.setGpr(a.rd, v);
  return true;
};

const sc = (size: Size): TransFn => (s, a) => {
  const b = s.b;
  const fail = b.label();
  const done = b.label();
  b.brcond(Cond.NE, resAddr(s), s.gpr(a.rs1), fail);
  const cur = b.temp('i64');
  b.ld(cur, s.gpr(a.rs1), 0, mop(size));
  b.brcond(Cond.NE, cur, resVal(s), fail);
  b.st(s.gpr(a.rs2), s.gpr(a.rs1), 0, size);
  s.setGpr(a.rd, b.c64(0));
  b.br(done);
  b.setLabel(fail);
  s.setGpr(a.rd, b.c64(1));
  b.setLabel(done);
  b.movi(resAddr(s), -1);
  return true;
};

/** How an AMO combines the loaded value `old` and rs2 into the value stored. */
type Combine = (s: DisasContext, d: number, old: number, src: number) => void;
const arith = (opc: Opc): Combine => (s, d, old, src) => s.b.binop(opc, d, old, src);
/** min/max: a 32-bit AMO compares the low words, sign- or zero-extended as the op's signedness. */
const pick = (cond: Cond, size: Size): Combine => (s, d, old, src) => {
  let [x, y] = [old, src];
  if (size === 4) {
    const ext = cond === Cond.LT || cond === Cond.GT ? Opc.Ext32S : Opc.Ext32U;
    x = s.b.temp('i64');
    y = s.b.temp('i64');
    s.b.unop(ext, x, old);
    s.b.unop(ext, y, src);
  }
  s.b.movcond(cond, d, x, y, x, y);
};

const amo = (size: Size, combine: Combine): TransFn => (s, a: Args) => {
  const b = s.b;
  const old = b.temp('i64');
  b.ld(old, s.gpr(a.rs1), 0, mop(size));
  const v = b.temp('i64');
  combine(s, v, old, s.gpr(a.rs2));
  b.st(v, s.gpr(a.rs1), 0, size);
  s.setGpr(a.rd, old); // after the store: a faulting store leaves rd unchanged
  return true;
};

const AMOS: [name: string, funct5: number, combine: (size: Size) => Combine][] = [
  ['amoadd', 0x00, () => arith(Opc.Add)],
  ['amoswap', 0x01, () => (s, d, _old, src) => s.b.mov(d, src)],
  ['amoxor', 0x04, () => arith(Opc.Xor)],
  ['amoor', 0x08, () => arith(Opc.Or)],
  ['amoand', 0x0c, () => arith(Opc.And)],
  ['amomin', 0x10, (size) => pick(Cond.LT, size)],
  ['amomax', 0x14, (size) => pick(Cond.GT, size)],
  ['amominu', 0x18, (size) => pick(Cond.LTU, size)],
  ['amomaxu', 0x1c, (size) => pick(Cond.GTU, size)],
];

const trans: Record<string, TransFn> = {};
const rows: Row[] = [];
for (const [sfx, f3, size] of [['w', 2, 4], ['d', 3, 8]] as const) {
  trans[`lr.${sfx}`] = lr(size);
  trans[`sc.${sfx}`] = sc(size);
  rows.push([`lr.${sfx}`, M_LR, enc(0x02 << 2, f3, OP_AMO), 'ATOM']);
  rows.push([`sc.${sfx}`, M_AMO, enc(0x03 << 2, f3, OP_AMO), 'ATOM']);
  for (const [name, f5, combine] of AMOS) {
    trans[`${name}.${sfx}`] = amo(size, combine(size));
    rows.push([`${name}.${sfx}`, M_AMO, enc(f5 << 2, f3, OP_AMO), 'ATOM']);
  }
}

export const RVA_PATTERNS = table(trans, rows);
