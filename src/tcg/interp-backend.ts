// The IR interpreter: the reference backend and the cold tier, so it must start fast. Each
// block is decoded once into a flat program of int32 words (one fixed-size record per op, types
// resolved into the opcode) and run by one switch loop that keeps 64-bit values as two int32
// halves: common ops never touch BigInt (shared/FACTS.md: BigInt is 3-10x slower). Only the
// rare ops (mulh*, div/rem) and i64 helper arguments go through BigInt, with evalArith below
// as the single definition of their semantics; and 8-byte atomics (interp-atomics.ts).
import { Backend, BackendContext, TbCode } from './backend.js';
import { Cond, ExitReason, FaultKind, Helper, HelperFlags, IRBlock, Opc, StateLayout, TempKind, Ty } from './ir.js';
import { AtomicMemory, CMPXCHG } from './interp-atomics.js';
import { hostFusedMadd } from './host-fma.js';
import { GuestMemory, PAGE_SHIFT, PROT_READ, PROT_WRITE } from '../memory/guest-memory.js';

const W = (ty: Ty): bigint => (ty === 'i64' ? 64n : 32n);
const norm = (ty: Ty, v: bigint): bigint => BigInt.asUintN(ty === 'i64' ? 64 : 32, v);
const sgn = (ty: Ty, v: bigint): bigint => BigInt.asIntN(ty === 'i64' ? 64 : 32, v);

export function compare(cond: Cond, ty: Ty, a: bigint, b: bigint): boolean {
  switch (cond) {
    case Cond.EQ: return a === b;
    case Cond.NE: return a !== b;
    case Cond.LT: return sgn(ty, a) < sgn(ty, b);
    case Cond.GE: return sgn(ty, a) >= sgn(ty, b);
    case Cond.LE: return sgn(ty, a) <= sgn(ty, b);
    case Cond.GT: return sgn(ty, a) > sgn(ty, b);
    case Cond.LTU: return a < b;
    case Cond.GEU: return a >= b;
    case Cond.LEU: return a <= b;
    case Cond.GTU: return a > b;
  }
  throw new Error(`bad cond ${cond}`);
}

function clz(ty: Ty, v: bigint): bigint {
  const w = W(ty);
  let n = 0n;
  for (let bit = w - 1n; bit >= 0n && ((v >> bit) & 1n) === 0n; bit--) n++;
  return n;
}
function ctz(ty: Ty, v: bigint): bigint {
  const w = W(ty);
  let n = 0n;
  while (n < w && ((v >> n) & 1n) === 0n) n++;
  return n;
}
function popcnt(v: bigint): bigint {
  let n = 0n;
  for (; v !== 0n; v >>= 1n) n += v & 1n;
  return n;
}

/** Evaluates a pure arithmetic op: shared by the interpreter and the optimizer's folding. */
export function evalArith(opc: Opc, ty: Ty, a: bigint, b: bigint): bigint {
  const w = W(ty);
  const min = 1n << (w - 1n);
  switch (opc) {
    case Opc.Mov: return a;
    case Opc.Add: return norm(ty, a + b);
    case Opc.Sub: return norm(ty, a - b);
    case Opc.Mul: return norm(ty, a * b);
    case Opc.And: return a & b;
    case Opc.Or: return a | b;
    case Opc.Xor: return a ^ b;
    case Opc.Shl: return norm(ty, a << (b % w));
    case Opc.Shr: return a >> (b % w);
    case Opc.Sar: return norm(ty, sgn(ty, a) >> (b % w));
    case Opc.Rotl: { const s = b % w; return norm(ty, (a << s) | (a >> ((w - s) % w))); }
    case Opc.Rotr: { const s = b % w; return norm(ty, (a >> s) | (a << ((w - s) % w))); }
    case Opc.MulHS: return norm(ty, (sgn(ty, a) * sgn(ty, b)) >> w);
    case Opc.MulHU: return norm(ty, (a * b) >> w);
    case Opc.MulHSU: return norm(ty, (sgn(ty, a) * b) >> w);
    case Opc.DivS:
      if (b === 0n) return norm(ty, -1n);
      if (a === min && sgn(ty, b) === -1n) return a;
      return norm(ty, sgn(ty, a) / sgn(ty, b));
    case Opc.DivU: return b === 0n ? norm(ty, -1n) : a / b;
    case Opc.RemS:
      if (b === 0n) return a;
      if (a === min && sgn(ty, b) === -1n) return 0n;
      return norm(ty, sgn(ty, a) % sgn(ty, b));
    case Opc.RemU: return b === 0n ? a : a % b;
    case Opc.Neg: return norm(ty, -a);
    case Opc.Not: return norm(ty, ~a);
    case Opc.Clz: return clz(ty, a);
    case Opc.Ctz: return ctz(ty, a);
    case Opc.Popcnt: return popcnt(a);
    case Opc.Ext8S: return norm(ty, BigInt.asIntN(8, a));
    case Opc.Ext16S: return norm(ty, BigInt.asIntN(16, a));
    case Opc.Ext32S: return norm(ty, BigInt.asIntN(32, a));
    case Opc.Ext8U: return a & 0xffn;
    case Opc.Ext16U: return a & 0xffffn;
    case Opc.Ext32U: return a & 0xffffffffn;
    case Opc.ExtUI32I64: return a;
    case Opc.ExtSI32I64: return BigInt.asUintN(64, BigInt.asIntN(32, a));
    case Opc.TruncI64I32: return a & 0xffffffffn;
  }
  throw new Error(`not an arithmetic op: ${opc}`);
}

/** Decoded opcodes: an IR op with its operand types resolved, so the loop never asks. Each
 *  record is STRIDE words: the opcode, then the operands listed here (temp slots unless named). */
const enum X {
  // d, a, b (i64)
  Add64, Sub64, Mul64, And64, Or64, Xor64, Shl64, Shr64, Sar64, Rotl64, Rotr64,
  // d, a (i64 result; Ext32U64/Ext32S64 read only a's low half, so they also widen an i32)
  Mov64, Neg64, Not64, Clz64, Ctz64, Popcnt64, Ext8S64, Ext16S64, Ext32S64, Ext8U64, Ext16U64, Ext32U64,
  // d, a, b (i32)
  Add32, Sub32, Mul32, And32, Or32, Xor32, Shl32, Shr32, Sar32, Rotl32, Rotr32,
  // d, a (i32 result; Mov32 also truncates an i64 and is the i32 ext32s/ext32u)
  Mov32, Neg32, Not32, Clz32, Ctz32, Popcnt32, Ext8S32, Ext16S32, Ext8U32, Ext16U32,
  // d, a, b, IR opcode, is64: the rare ops, through BigInt and evalArith
  Slow,
  // d, a, b, IR opcode, is64 (, c for FMulAdd): FAdd ... FMulAdd, through the host's doubles
  // (floatOp)
  Float,
  // d, a, b, test (see COND_TEST)
  SetCond64, SetCond32,
  // d, c1, c2, v1, v2, test, cmp64
  MovCond,
  // a, b, test, target
  BrCond64, BrCond32,
  // target
  Br,
  // d or v, addr, offset low word, offset high word, flags (F_VAL64 | F_ADDR64 | F_SIGNED), size
  Ld, St,
  // d, addr, offset low word, offset high word, flags | size << SIZE_SHIFT | op << OP_SHIFT
  // (op: an RmwOp or CMPXCHG), v or expected, new
  Atomic,
  // -, addr, offset low word, offset high word, F_ADDR64 | size << SIZE_SHIFT: the alignment
  // check of a Ld with MemOp.align, in a record of its own so that Ld records stay as they are
  CheckAlign,
  // call site index
  Call,
  // pc low word, pc high word
  GotoTb,
  // t
  GotoPtr,
  // reason, pc low word, pc high word
  ExitTb,
  FellOff,
}

const STRIDE = 8;
// Load/store flags.
const F_VAL64 = 1;
const F_ADDR64 = 2;
const F_SIGNED = 4;
// Fields of the Atomic and CheckAlign records' flags word.
const SIZE_SHIFT = 3;
const OP_SHIFT = 8;
const TWO32 = 4294967296;

// [IR opcode, decoded form for i64, for i32]
const ARITH_ROWS: [Opc, X, X][] = [
  [Opc.Mov, X.Mov64, X.Mov32], [Opc.Add, X.Add64, X.Add32], [Opc.Sub, X.Sub64, X.Sub32],
  [Opc.Mul, X.Mul64, X.Mul32], [Opc.And, X.And64, X.And32], [Opc.Or, X.Or64, X.Or32],
  [Opc.Xor, X.Xor64, X.Xor32], [Opc.Shl, X.Shl64, X.Shl32], [Opc.Shr, X.Shr64, X.Shr32],
  [Opc.Sar, X.Sar64, X.Sar32], [Opc.Rotl, X.Rotl64, X.Rotl32], [Opc.Rotr, X.Rotr64, X.Rotr32],
  [Opc.MulHS, X.Slow, X.Slow], [Opc.MulHU, X.Slow, X.Slow], [Opc.MulHSU, X.Slow, X.Slow],
  [Opc.DivS, X.Slow, X.Slow], [Opc.DivU, X.Slow, X.Slow], [Opc.RemS, X.Slow, X.Slow], [Opc.RemU, X.Slow, X.Slow],
  [Opc.Neg, X.Neg64, X.Neg32], [Opc.Not, X.Not64, X.Not32], [Opc.Clz, X.Clz64, X.Clz32],
  [Opc.Ctz, X.Ctz64, X.Ctz32], [Opc.Popcnt, X.Popcnt64, X.Popcnt32],
  [Opc.Ext8S, X.Ext8S64, X.Ext8S32], [Opc.Ext16S, X.Ext16S64, X.Ext16S32], [Opc.Ext32S, X.Ext32S64, X.Mov32],
  [Opc.Ext8U, X.Ext8U64, X.Ext8U32], [Opc.Ext16U, X.Ext16U64, X.Ext16U32], [Opc.Ext32U, X.Ext32U64, X.Mov32],
  [Opc.ExtUI32I64, X.Ext32U64, X.Ext32U64], [Opc.ExtSI32I64, X.Ext32S64, X.Ext32S64],
  [Opc.TruncI64I32, X.Mov32, X.Mov32],
];
const ARITH: [X, X][] = [];
for (const [opc, x64, x32] of ARITH_ROWS) ARITH[opc] = [x64, x32];

/** High word of the unsigned 64-bit product of two 32-bit patterns, from 16-bit pieces so that
 *  every partial product is exact in a double. */
function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}
function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}
function popcnt32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
/** A condition decodes to a test word: the orderings that satisfy it (a < b: 4, a == b: 2,
 *  a > b: 1), plus 8 when it compares unsigned. Unsigned order is the signed order of the
 *  values with their sign bits flipped, so one comparison serves both. */
//                eq ne lt ge le gt ltu geu leu gtu   (Cond order)
const COND_TEST = [2, 5, 4, 3, 6, 1, 12, 11, 14, 9];
const SIGN = 1 << 31;
function order(a: number, b: number, flip: number): number {
  return a === b ? 2 : (a ^ flip) < (b ^ flip) ? 4 : 1;
}
function test32(t: number, a: number, b: number): boolean {
  return (order(a, b, (t & 8) << 28) & t) !== 0;
}
/** The high words decide unless equal; then the low words, always unsigned. */
function test64(t: number, al: number, ah: number, bl: number, bh: number): boolean {
  return ((ah === bh ? order(al, bl, SIGN) : order(ah, bh, (t & 8) << 28)) & t) !== 0;
}
function toBig(l: number, h: number): bigint {
  return (BigInt(h) << 32n) | BigInt(l >>> 0);
}

interface CallSite {
  helper: Helper;
  hasDest: boolean;
  dest: number;
  destIs64: boolean;
  args: number[];
  /** Per argument: the helper takes an i64 (a BigInt). */
  argBig: boolean[];
}

/** One decoded block. Every temp has two words in the frame, low half then high half. An i32
 *  temp's high word only ever holds 0, so reading it gives the i64 zero-extension (an i32
 *  global loads and stores its low word only: its slot is 4 bytes). Constants are written once
 *  here; the globals the block uses are loaded from the CPU state on entry and the ones it
 *  writes are stored back at every exit, fault and helper call (which also reloads them), so
 *  ops only index the frame. A frame belongs to its block: the code is not re-entrant (no
 *  helper runs guest code). */
interface Prog {
  code: Int32Array;
  frame: Int32Array;
  /** Pairs (frame word, CPU state word): what to load on entry and after a helper call. */
  loads: Int32Array;
  /** Pairs (frame word, CPU state word): the globals the block writes. */
  stores: Int32Array;
  /** The guest pc of the instruction each record belongs to, as an offset from blockPc (for
   *  faults and raising helpers). */
  pcs: Int32Array;
  calls: CallSite[];
  blockPc: number;
}

// A block's arrays are views into shared chunks: an ArrayBuffer of their own would cost each
// decoded block five off-heap buffers to allocate and later to sweep (a dynamic program's
// start-up decodes thousands of blocks, most of them run a few times), and plain arrays would
// put the words where every scavenge copies them.
const CHUNK_WORDS = 1 << 16;
let chunk = new Int32Array(CHUNK_WORDS);
let chunkUsed = 0;

/** `n` zeroed words of their own. */
function allocWords(n: number): Int32Array {
  if (n > CHUNK_WORDS - chunkUsed) {
    chunk = new Int32Array(Math.max(CHUNK_WORDS, n));
    chunkUsed = 0;
  }
  chunkUsed += n;
  return chunk.subarray(chunkUsed - n, chunkUsed);
}
function wordsOf(list: number[]): Int32Array {
  const w = allocWords(list.length);
  w.set(list);
  return w;
}

/** Splits a constant into its int32 halves through memory (little-endian, as the CPU state's
 *  word accesses already assume): BigInt arithmetic would allocate twice per constant. */
const constBits = new BigInt64Array(1);
const constHalves = new Int32Array(constBits.buffer);

function decode(block: IRBlock, helpers: Helper[]): Prog {
  const temps = block.temps;
  const frame = allocWords(2 * temps.length);
  const written: number[] = new Array<number>(temps.length).fill(0);
  temps.forEach((t, i) => {
    if (t.kind !== TempKind.Const) return;
    constBits[0] = t.value;
    frame[2 * i] = constHalves[0];
    frame[2 * i + 1] = constHalves[1];
  });
  const is64 = (t: number): number => (temps[t].ty === 'i64' ? 1 : 0);
  const S = (t: number): number => 2 * t;
  const D = (t: number): number => { written[t] = 1; return 2 * t; };

  const code: number[] = [];
  const pcs: number[] = [];
  const calls: CallSite[] = [];
  const labelAt: number[] = new Array<number>(block.labelCount).fill(-1);
  const fixups: [at: number, label: number][] = [];
  let pc = block.pc;
  // A record is always STRIDE words (absent operands are 0), pushed without a rest array.
  const emit = (x: X, o1 = 0, o2 = 0, o3 = 0, o4 = 0, o5 = 0, o6 = 0, o7 = 0): void => {
    code.push(x, o1, o2, o3, o4, o5, o6, o7);
    pcs.push(pc - block.pc);
  };
  const lo = (v: number): number => v | 0;
  const hi = (v: number): number => Math.floor(v / TWO32) | 0;

  for (const op of block.ops) {
    const a = op.args;
    const ty64 = op.ty === 'i64' ? 1 : 0;
    switch (op.opc) {
      case Opc.InsnStart: pc = a[0]; break;
      case Opc.SetLabel: labelAt[a[0]] = code.length; break;
      case Opc.Br:
        fixups.push([code.length + 1, a[0]]);
        emit(X.Br, 0);
        break;
      case Opc.BrCond:
        fixups.push([code.length + 4, a[3]]);
        emit(ty64 ? X.BrCond64 : X.BrCond32, S(a[0]), S(a[1]), COND_TEST[a[2]], 0);
        break;
      case Opc.SetCond:
        emit(ty64 ? X.SetCond64 : X.SetCond32, D(a[0]), S(a[1]), S(a[2]), COND_TEST[a[3]]);
        break;
      case Opc.MovCond:
        emit(X.MovCond, D(a[0]), S(a[1]), S(a[2]), S(a[3]), S(a[4]), COND_TEST[a[5]], is64(a[1]));
        break;
      case Opc.Ld:
        if (a[5]) emit(X.CheckAlign, 0, S(a[1]), lo(a[2]), hi(a[2]), (is64(a[1]) ? F_ADDR64 : 0) | (a[3] << SIZE_SHIFT));
        emit(X.Ld, D(a[0]), S(a[1]), lo(a[2]), hi(a[2]), (is64(a[1]) ? F_ADDR64 : 0) | (a[4] ? F_SIGNED : 0) | ty64, a[3]);
        break;
      case Opc.St:
        emit(X.St, S(a[0]), S(a[1]), lo(a[2]), hi(a[2]), (is64(a[1]) ? F_ADDR64 : 0) | ty64, a[3]);
        break;
      case Opc.AtomicCmpxchg: case Opc.AtomicRmw: {
        const cmpxchg = op.opc === Opc.AtomicCmpxchg;
        const flags = (is64(a[1]) ? F_ADDR64 : 0) | (a[4] ? F_SIGNED : 0) | ty64;
        emit(X.Atomic, D(a[0]), S(a[1]), lo(a[2]), hi(a[2]),
          flags | (a[3] << SIZE_SHIFT) | ((cmpxchg ? CMPXCHG : a[6]) << OP_SHIFT), S(a[5]), cmpxchg ? S(a[6]) : 0);
        break;
      }
      case Opc.Call: {
        const helper = helpers[a[0]];
        const args = a.slice(2);
        const hasDest = a[1] >= 0;
        calls.push({
          helper, hasDest, dest: hasDest ? D(a[1]) : 0, destIs64: hasDest && is64(a[1]) === 1,
          args: args.map(S), argBig: helper.args.map((t) => t === 'i64'),
        });
        emit(X.Call, calls.length - 1);
        break;
      }
      case Opc.GotoTb: emit(X.GotoTb, lo(a[0]), hi(a[0])); break;
      case Opc.GotoPtr: emit(X.GotoPtr, S(a[0])); break;
      case Opc.ExitTb: emit(X.ExitTb, a[0], lo(a[1]), hi(a[1])); break;
      case Opc.FAdd: case Opc.FSub: case Opc.FMul: case Opc.FDiv: case Opc.FSqrt:
        emit(X.Float, D(a[0]), S(a[1]), S(op.opc === Opc.FSqrt ? a[1] : a[2]), op.opc, ty64);
        break;
      case Opc.FMulAdd:
        emit(X.Float, D(a[0]), S(a[1]), S(a[2]), op.opc, 1, S(a[3]));
        break;
      default: {
        const x = ARITH[op.opc]?.[ty64 ? 0 : 1];
        if (x === undefined) throw new Error(`interp: unknown opcode ${op.opc}`);
        if (x === X.Slow) emit(x, D(a[0]), S(a[1]), S(a[2]), op.opc, ty64);
        else if (a.length === 2) emit(x, D(a[0]), S(a[1]));
        else emit(x, D(a[0]), S(a[1]), S(a[2]));
      }
    }
  }
  emit(X.FellOff);
  for (const [at, label] of fixups) {
    if (labelAt[label] < 0) throw new Error(`interp: branch to unset label ${label}`);
    code[at] = labelAt[label];
  }

  const loads: number[] = [];
  const stores: number[] = [];
  // Each global gets its own frame copy, so two temps must not share a state word.
  const owner = new Map<number, string>();
  temps.forEach((t, i) => {
    if (t.kind !== TempKind.Global) return;
    if (t.offset % 4 !== 0) throw new Error(`interp: global ${t.name} at unaligned offset ${t.offset}`);
    const words = t.ty === 'i64' ? 2 : 1;
    for (let w = 0; w < words; w++) {
      const word = t.offset / 4 + w;
      if (owner.has(word)) throw new Error(`interp: globals ${owner.get(word)} and ${t.name} overlap`);
      owner.set(word, t.name);
      loads.push(2 * i + w, word);
      if (written[i]) stores.push(2 * i + w, word);
    }
  });
  return {
    code: wordsOf(code), frame, loads: wordsOf(loads), stores: wordsOf(stores), pcs: wordsOf(pcs), calls, blockPc: block.pc,
  };
}

// The effective address of the last access that faulted (so effAddr can return one number),
// and for alignedAddr the kind of its fault.
let faultLo = 0;
let faultHi = 0;
let faultKind = FaultKind.Read;

/** The host address of the access described by the load/store record at p, or -1 when it
 *  faults: the 64-bit sum addr + offset must leave room for `size` bytes below 2^32, and the
 *  pages of the first and last byte must allow it. */
function effAddr(code: Int32Array, p: number, F: Int32Array, prot: Uint8Array, need: number): number {
  const s = code[p + 2], size = code[p + 6];
  const al = F[s];
  const el = (al + code[p + 3]) | 0;
  const eh = code[p + 5] & F_ADDR64 ? (F[s + 1] + code[p + 4] + (el >>> 0 < al >>> 0 ? 1 : 0)) | 0 : 0;
  const e = el >>> 0;
  if (eh === 0 && e + size <= TWO32 && (prot[e >>> PAGE_SHIFT] & need) !== 0
    && (prot[(e + size - 1) >>> PAGE_SHIFT] & need) !== 0) return e;
  faultLo = el;
  faultHi = eh;
  return -1;
}

/** The host address of the naturally aligned access described by the Atomic or CheckAlign
 *  record at p, or -1 when it faults: Misaligned unless addr + offset is a multiple of the
 *  size, then (when `need` is not 0) Write unless its page allows `need`. Being aligned, the
 *  access cannot cross a page or the end of the window. */
function alignedAddr(code: Int32Array, p: number, F: Int32Array, prot: Uint8Array, need: number): number {
  const s = code[p + 2], word = code[p + 5], size = (word >>> SIZE_SHIFT) & 15;
  const al = F[s];
  const el = (al + code[p + 3]) | 0;
  const eh = word & F_ADDR64 ? (F[s + 1] + code[p + 4] + (el >>> 0 < al >>> 0 ? 1 : 0)) | 0 : 0;
  faultLo = el;
  faultHi = eh;
  if ((el & (size - 1)) !== 0) { faultKind = FaultKind.Misaligned; return -1; }
  if (need === 0 || (eh === 0 && (prot[el >>> PAGE_SHIFT] & need) !== 0)) return el >>> 0;
  faultKind = FaultKind.Write;
  return -1;
}

/** Copies (frame word, state word) pairs between the frame and the CPU state at `base`. */
function loadGlobals(pairs: Int32Array, F: Int32Array, M: Int32Array, base: number): void {
  for (let k = 0; k < pairs.length; k += 2) F[pairs[k]] = M[base + pairs[k + 1]];
}
function storeGlobals(pairs: Int32Array, F: Int32Array, M: Int32Array, base: number): void {
  for (let k = 0; k < pairs.length; k += 2) M[base + pairs[k + 1]] = F[pairs[k]];
}

function writePc(view: DataView, env: number, layout: StateLayout, l: number, h: number): void {
  view.setInt32(env + layout.pcOffset, l, true);
  if (layout.pcTy === 'i64') view.setInt32(env + layout.pcOffset + 4, h, true);
}
const writePcNumber = (view: DataView, env: number, layout: StateLayout, pc: number): void =>
  writePc(view, env, layout, pc | 0, Math.floor(pc / TWO32) | 0);

export class InterpBackend implements Backend {
  readonly name = 'interp';
  private readonly mem: GuestMemory;
  /** The whole guest memory as words, for the globals in the CPU state (env is 8-aligned). */
  private readonly words: Int32Array;
  private readonly atomics: AtomicMemory;

  constructor(private readonly ctx: BackendContext) {
    this.mem = ctx.mem;
    this.words = new Int32Array(ctx.mem.buffer);
    this.atomics = new AtomicMemory(ctx.mem.buffer);
  }

  compile(blocks: IRBlock[]): TbCode[] {
    return blocks.map((b) => {
      const prog = decode(b, this.ctx.helpers);
      return (env: number) => this.run(prog, env);
    });
  }

  flush(): void {}

  private run(prog: Prog, env: number): number {
    const code = prog.code;
    const F = prog.frame;
    const view = this.mem.view;
    const prot = this.mem.prot;
    loadGlobals(prog.loads, F, this.words, env >>> 2);
    let p = 0;
    for (;;) {
      switch (code[p]) {
        // i64 ops: read every operand before writing, the destination may be a source.
        case X.Add64: {
          const d = code[p + 1], a = code[p + 2], b = code[p + 3], al = F[a], l = (al + F[b]) | 0;
          F[d + 1] = (F[a + 1] + F[b + 1] + (l >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          F[d] = l;
          break;
        }
        case X.Sub64: {
          const d = code[p + 1], a = code[p + 2], b = code[p + 3], al = F[a], bl = F[b];
          F[d + 1] = (F[a + 1] - F[b + 1] - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0;
          F[d] = (al - bl) | 0;
          break;
        }
        case X.And64: {
          const d = code[p + 1], a = code[p + 2], b = code[p + 3];
          F[d] = F[a] & F[b];
          F[d + 1] = F[a + 1] & F[b + 1];
          break;
        }
        case X.Or64: {
          const d = code[p + 1], a = code[p + 2], b = code[p + 3];
          F[d] = F[a] | F[b];
          F[d + 1] = F[a + 1] | F[b + 1];
          break;
        }
        case X.Xor64: {
          const d = code[p + 1], a = code[p + 2], b = code[p + 3];
          F[d] = F[a] ^ F[b];
          F[d + 1] = F[a + 1] ^ F[b + 1];
          break;
        }
        case X.Shl64: {
          const d = code[p + 1], a = code[p + 2], n = F[code[p + 3]] & 63, l = F[a], h = F[a + 1];
          if (n === 0) { F[d] = l; F[d + 1] = h; }
          else if (n < 32) { F[d] = l << n; F[d + 1] = (h << n) | (l >>> (32 - n)); }
          else { F[d] = 0; F[d + 1] = l << (n - 32); }
          break;
        }
        case X.Shr64: {
          const d = code[p + 1], a = code[p + 2], n = F[code[p + 3]] & 63, l = F[a], h = F[a + 1];
          if (n === 0) { F[d] = l; F[d + 1] = h; }
          else if (n < 32) { F[d] = (l >>> n) | (h << (32 - n)); F[d + 1] = h >>> n; }
          else { F[d] = h >>> (n - 32); F[d + 1] = 0; }
          break;
        }
        case X.Sar64: {
          const d = code[p + 1], a = code[p + 2], n = F[code[p + 3]] & 63, l = F[a], h = F[a + 1];
          if (n === 0) { F[d] = l; F[d + 1] = h; }
          else if (n < 32) { F[d] = (l >>> n) | (h << (32 - n)); F[d + 1] = h >> n; }
          else { F[d] = h >> (n - 32); F[d + 1] = h >> 31; }
          break;
        }
        case X.Mov64: {
          const d = code[p + 1], a = code[p + 2];
          F[d] = F[a];
          F[d + 1] = F[a + 1];
          break;
        }

        case X.SetCond64: case X.SetCond32: {
          const d = code[p + 1], a = code[p + 2], b = code[p + 3];
          const yes = code[p] === X.SetCond64 ? test64(code[p + 4], F[a], F[a + 1], F[b], F[b + 1]) : test32(code[p + 4], F[a], F[b]);
          F[d] = yes ? 1 : 0;
          F[d + 1] = 0;
          break;
        }
        case X.BrCond64: {
          const a = code[p + 1], b = code[p + 2];
          if (test64(code[p + 3], F[a], F[a + 1], F[b], F[b + 1])) { p = code[p + 4]; continue; }
          break;
        }
        case X.BrCond32:
          if (test32(code[p + 3], F[code[p + 1]], F[code[p + 2]])) { p = code[p + 4]; continue; }
          break;
        case X.Br: p = code[p + 1]; continue;

        case X.Ld: {
          const e = effAddr(code, p, F, prot, PROT_READ);
          if (e < 0) return this.fault(prog, env, p, FaultKind.Read);
          const d = code[p + 1], flags = code[p + 5], size = code[p + 6], signed = flags & F_SIGNED;
          const l = size >= 4 ? view.getInt32(e, true)
            : size === 2 ? (signed ? view.getInt16(e, true) : view.getUint16(e, true))
            : signed ? view.getInt8(e) : view.getUint8(e);
          if (flags & F_VAL64) F[d + 1] = size === 8 ? view.getInt32(e + 4, true) : signed ? l >> 31 : 0;
          F[d] = l;
          break;
        }
        case X.St: {
          const e = effAddr(code, p, F, prot, PROT_WRITE);
          if (e < 0) return this.fault(prog, env, p, FaultKind.Write);
          const v = code[p + 1], size = code[p + 6];
          if (size === 1) view.setInt8(e, F[v]);
          else if (size === 2) view.setInt16(e, F[v], true);
          else view.setInt32(e, F[v], true);
          if (size === 8) view.setInt32(e + 4, F[v + 1], true);
          break;
        }
        case X.Atomic: {
          const e = alignedAddr(code, p, F, prot, PROT_WRITE);
          if (e < 0) return this.fault(prog, env, p, faultKind);
          this.atomic(code, p, F, e);
          break;
        }
        case X.CheckAlign:
          if (alignedAddr(code, p, F, prot, 0) < 0) return this.fault(prog, env, p, faultKind);
          break;
        case X.Call: this.call(prog, env, p); break;
        case X.GotoTb: case X.GotoPtr: case X.ExitTb: return this.exit(prog, env, p);
        case X.FellOff:
          throw new Error(`TB at 0x${prog.blockPc.toString(16)} fell off its end`);
        default: alu(code, p, F);
      }
      p += STRIDE;
    }
  }

  private exit(prog: Prog, env: number, p: number): number {
    const { code, frame: F } = prog;
    storeGlobals(prog.stores, F, this.words, env >>> 2);
    const view = this.mem.view, layout = this.ctx.layout;
    switch (code[p]) {
      case X.GotoTb: writePc(view, env, layout, code[p + 1], code[p + 2]); return ExitReason.Next;
      case X.GotoPtr: writePc(view, env, layout, F[code[p + 1]], F[code[p + 1] + 1]); return ExitReason.Next;
      default: writePc(view, env, layout, code[p + 2], code[p + 3]); return code[p + 1];
    }
  }

  private fault(prog: Prog, env: number, p: number, kind: number): number {
    storeGlobals(prog.stores, prog.frame, this.words, env >>> 2);
    const { view } = this.mem;
    const { layout } = this.ctx;
    view.setInt32(env + layout.faultAddrOffset, faultLo, true);
    view.setInt32(env + layout.faultAddrOffset + 4, faultHi, true);
    view.setInt32(env + layout.faultKindOffset, kind, true);
    writePcNumber(view, env, layout, prog.blockPc + prog.pcs[p / STRIDE]);
    return ExitReason.MemFault;
  }

  /** Runs the Atomic record at p on the checked host address e and writes its destination,
   *  extended as a load of the same MemOp would be. */
  private atomic(code: Int32Array, p: number, F: Int32Array, e: number): void {
    const word = code[p + 5], size = (word >>> SIZE_SHIFT) & 15, a = code[p + 6], b = code[p + 7];
    const at = this.atomics;
    at.run(word >>> OP_SHIFT, size, e, F[a], F[a + 1], F[b], F[b + 1]);
    const d = code[p + 1], signed = word & F_SIGNED;
    const l = !signed ? at.lo : size === 1 ? (at.lo << 24) >> 24 : size === 2 ? (at.lo << 16) >> 16 : at.lo;
    if (word & F_VAL64) F[d + 1] = size === 8 ? at.hi : signed ? l >> 31 : 0;
    F[d] = l;
  }

  /** Globals go back to the state before any helper and are reloaded after it, whatever its
   *  flags say: this backend is the reference. Arguments are what a wasm import receives: i32
   *  as a signed number, i64 as a signed BigInt; the result is cut to the destination's type. */
  private call(prog: Prog, env: number, p: number): void {
    const site = prog.calls[prog.code[p + 1]];
    const F = prog.frame;
    const base = env >>> 2;
    storeGlobals(prog.stores, F, this.words, base);
    if (site.helper.flags & HelperFlags.MayRaise) writePcNumber(this.mem.view, env, this.ctx.layout, prog.blockPc + prog.pcs[p / STRIDE]);
    const args: (number | bigint)[] = [env];
    site.args.forEach((s, k) => {
      args.push(site.argBig[k] ? toBig(F[s], F[s + 1]) : F[s]);
    });
    const r: unknown = site.helper.fn(...(args as [number, ...unknown[]]));
    loadGlobals(prog.loads, F, this.words, base);
    if (!site.hasDest) return;
    const d = site.dest;
    if (typeof r === 'bigint') {
      F[d] = Number(BigInt.asIntN(32, r));
      if (site.destIs64) F[d + 1] = Number(BigInt.asIntN(32, r >> 32n));
    } else {
      const n = Number(r);
      F[d] = n | 0;
      if (site.destIs64) F[d + 1] = Math.floor(n / TWO32) | 0;
    }
  }
}

/** The frame-only ops the run loop leaves out: kept apart so the loop stays small, which makes
 *  V8 optimise it sooner (a cold-tier interpreter lives in its warm-up). */
function alu(code: Int32Array, p: number, F: Int32Array): void {
  switch (code[p]) {
    case X.Mul64: {
      const d = code[p + 1], a = code[p + 2], b = code[p + 3], al = F[a], bl = F[b];
      F[d + 1] = (mulhu32(al, bl) + Math.imul(al, F[b + 1]) + Math.imul(F[a + 1], bl)) | 0;
      F[d] = Math.imul(al, bl);
      break;
    }
    case X.Rotl64: case X.Rotr64: {
      // A right rotation by n is a left one by 64 - n; by 32 or more, the halves swap first.
      const d = code[p + 1], a = code[p + 2];
      let n = F[code[p + 3]] & 63;
      if (code[p] === X.Rotr64) n = (64 - n) & 63;
      let l = F[a], h = F[a + 1];
      if (n >= 32) { const t = l; l = h; h = t; n -= 32; }
      if (n === 0) { F[d] = l; F[d + 1] = h; }
      else { F[d] = (l << n) | (h >>> (32 - n)); F[d + 1] = (h << n) | (l >>> (32 - n)); }
      break;
    }
    case X.Neg64: {
      const d = code[p + 1], a = code[p + 2], l = F[a];
      F[d + 1] = (~F[a + 1] + (l === 0 ? 1 : 0)) | 0;
      F[d] = -l | 0;
      break;
    }
    case X.Not64: {
      const d = code[p + 1], a = code[p + 2];
      F[d] = ~F[a];
      F[d + 1] = ~F[a + 1];
      break;
    }
    case X.Clz64: {
      const d = code[p + 1], a = code[p + 2], h = F[a + 1];
      F[d] = h !== 0 ? Math.clz32(h) : 32 + Math.clz32(F[a]);
      F[d + 1] = 0;
      break;
    }
    case X.Ctz64: {
      const d = code[p + 1], a = code[p + 2], l = F[a];
      F[d] = l !== 0 ? ctz32(l) : 32 + ctz32(F[a + 1]);
      F[d + 1] = 0;
      break;
    }
    case X.Popcnt64: {
      const d = code[p + 1], a = code[p + 2];
      F[d] = popcnt32(F[a]) + popcnt32(F[a + 1]);
      F[d + 1] = 0;
      break;
    }
    case X.Ext8S64: case X.Ext16S64: case X.Ext32S64: {
      const d = code[p + 1], v = F[code[p + 2]], x = code[p];
      F[d] = x === X.Ext8S64 ? (v << 24) >> 24 : x === X.Ext16S64 ? (v << 16) >> 16 : v;
      F[d + 1] = F[d] >> 31;
      break;
    }
    case X.Ext8U64: case X.Ext16U64: case X.Ext32U64: {
      const d = code[p + 1], v = F[code[p + 2]], x = code[p];
      F[d] = x === X.Ext8U64 ? v & 0xff : x === X.Ext16U64 ? v & 0xffff : v;
      F[d + 1] = 0;
      break;
    }

    case X.Add32: F[code[p + 1]] = (F[code[p + 2]] + F[code[p + 3]]) | 0; break;
    case X.Sub32: F[code[p + 1]] = (F[code[p + 2]] - F[code[p + 3]]) | 0; break;
    case X.Mul32: F[code[p + 1]] = Math.imul(F[code[p + 2]], F[code[p + 3]]); break;
    case X.And32: F[code[p + 1]] = F[code[p + 2]] & F[code[p + 3]]; break;
    case X.Or32: F[code[p + 1]] = F[code[p + 2]] | F[code[p + 3]]; break;
    case X.Xor32: F[code[p + 1]] = F[code[p + 2]] ^ F[code[p + 3]]; break;
    // JS shifts take their count modulo 32, as the IR wants.
    case X.Shl32: F[code[p + 1]] = F[code[p + 2]] << F[code[p + 3]]; break;
    case X.Shr32: F[code[p + 1]] = F[code[p + 2]] >>> F[code[p + 3]]; break;
    case X.Sar32: F[code[p + 1]] = F[code[p + 2]] >> F[code[p + 3]]; break;
    case X.Rotl32: case X.Rotr32: {
      const v = F[code[p + 2]], c = F[code[p + 3]];
      const n = (code[p] === X.Rotr32 ? 32 - c : c) & 31;
      F[code[p + 1]] = (v << n) | (v >>> (32 - n));
      break;
    }
    case X.Mov32: F[code[p + 1]] = F[code[p + 2]]; break;
    case X.Neg32: F[code[p + 1]] = -F[code[p + 2]] | 0; break;
    case X.Not32: F[code[p + 1]] = ~F[code[p + 2]]; break;
    case X.Clz32: F[code[p + 1]] = Math.clz32(F[code[p + 2]]); break;
    case X.Ctz32: F[code[p + 1]] = ctz32(F[code[p + 2]]); break;
    case X.Popcnt32: F[code[p + 1]] = popcnt32(F[code[p + 2]]); break;
    case X.Ext8S32: F[code[p + 1]] = (F[code[p + 2]] << 24) >> 24; break;
    case X.Ext16S32: F[code[p + 1]] = (F[code[p + 2]] << 16) >> 16; break;
    case X.Ext8U32: F[code[p + 1]] = F[code[p + 2]] & 0xff; break;
    case X.Ext16U32: F[code[p + 1]] = F[code[p + 2]] & 0xffff; break;

    case X.Slow: slow(code, p, F); break;
    case X.Float: floatOp(code, p, F); break;
    case X.MovCond: {
      const d = code[p + 1], a = code[p + 2], b = code[p + 3];
      const yes = code[p + 7] ? test64(code[p + 6], F[a], F[a + 1], F[b], F[b + 1]) : test32(code[p + 6], F[a], F[b]);
      const v = code[p + (yes ? 4 : 5)];
      F[d] = F[v];
      F[d + 1] = F[v + 1];
      break;
    }
    default: throw new Error(`interp: bad decoded op ${code[p]}`);
  }
}

// The float ops' operands reinterpreted through memory (little-endian, as the frame's halves).
const f64 = new Float64Array(2);
const f64Words = new Int32Array(f64.buffer);
const f32 = new Float32Array(2);
const f32Words = new Int32Array(f32.buffer);

/** A Float record. Binary32 is the double result rounded again (Math.fround, as a Float32Array
 *  store does), exact for + - * / and sqrt since 53 >= 2 * 24 + 2 (Figueroa, "When is double
 *  rounding innocuous?", SIGNUM 1995). */
function floatOp(code: Int32Array, p: number, F: Int32Array): void {
  const d = code[p + 1], a = code[p + 2], b = code[p + 3], is64 = code[p + 5];
  let x: number, y: number;
  if (is64) {
    f64Words[0] = F[a]; f64Words[1] = F[a + 1]; f64Words[2] = F[b]; f64Words[3] = F[b + 1];
    x = f64[0]; y = f64[1];
  } else {
    f32Words[0] = F[a]; f32Words[1] = F[b];
    x = f32[0]; y = f32[1];
  }
  let r: number;
  switch (code[p + 4]) {
    case Opc.FAdd: r = x + y; break;
    case Opc.FSub: r = x - y; break;
    case Opc.FMul: r = x * y; break;
    case Opc.FDiv: r = x / y; break;
    case Opc.FMulAdd: {
      const c = code[p + 6];
      f64Words[0] = F[c]; f64Words[1] = F[c + 1];
      r = hostFusedMadd()!(x, y, f64[0]);
      break;
    }
    default: r = Math.sqrt(x); break;
  }
  if (is64) {
    f64[0] = r;
    F[d] = f64Words[0];
    F[d + 1] = f64Words[1];
  } else {
    f32[0] = r;
    F[d] = f32Words[0];
  }
}

/** mulh*, div and rem: rare enough to go through BigInt and evalArith. */
function slow(code: Int32Array, p: number, F: Int32Array): void {
  const d = code[p + 1], a = code[p + 2], b = code[p + 3], is64 = code[p + 5];
  const ty: Ty = is64 ? 'i64' : 'i32';
  const big = (s: number): bigint => norm(ty, toBig(F[s], F[s + 1]));
  const r = evalArith(code[p + 4], ty, big(a), big(b));
  F[d] = Number(BigInt.asIntN(32, r));
  if (is64) F[d + 1] = Number(BigInt.asIntN(32, r >> 32n));
}
