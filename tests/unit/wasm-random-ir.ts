// A seeded generator of random, well-formed IR blocks over the harness's state layout: random
// ops over a few globals, locals and constants, forward branches, mid-block exits, helper calls,
// loads/stores and atomics (aligned or not) to mapped, read-only and unmapped memory, and
// cmpxchg retry loops; and random programs of such blocks whose goto_tb edges make loops, for
// the region compiler. Shared by the backend and optimizer differential tests.
import { Cond, ExitReason, Helper, HelperFlags, IRBlock, MemOp, Opc, RmwOp, Ty } from '../../src/tcg/ir.js';
import { IRBuilder } from '../../src/tcg/ir-builder.js';
import { GuestMemory } from '../../src/memory/guest-memory.js';
import { DATA, G32, G64, RODATA, UNMAPPED } from './wasm-harness.js';

/** Helpers for random blocks; `mem()` gives the memory their state lives in. */
export function randomHelpers(mem: () => GuestMemory): Helper[] {
  return [
    {
      // Reads g0 from the state and writes g1: the backend must write back before, reload after.
      name: 'mix', args: ['i64'], ret: 'i64', flags: HelperFlags.ReadsGlobals | HelperFlags.WritesGlobals,
      fn: (env: number, x: bigint) => {
        const g0 = mem().view.getBigUint64(env + G64(0), true);
        mem().view.setBigUint64(env + G64(1), BigInt.asUintN(64, g0 ^ x), true);
        return BigInt.asIntN(64, g0 + x);
      },
    },
    { name: 'add3', args: ['i32', 'i32'], ret: 'i32', flags: HelperFlags.None, fn: (_env: number, a: number, b: number) => (a + 3 * b) | 0 },
    {
      name: 'raise', args: ['i32'], ret: null, flags: HelperFlags.MayRaise,
      fn: (_env: number, a: number) => { if ((a & 3) === 0) throw new Error(`raised ${a}`); },
    },
    { name: 'wide', args: ['i64', 'i64'], ret: 'i64', flags: HelperFlags.None, fn: (_env: number, a: bigint, b: bigint) => BigInt.asIntN(64, a * b - b) },
  ];
}

export class Rng {
  constructor(private s: number) {}
  next(): number { this.s = (Math.imul(this.s, 1103515245) + 12345) >>> 0; return this.s >>> 8; }
  int(n: number): number { return this.next() % n; }
  pick<T>(xs: T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.int(1000) < p * 1000; }
}

const CONSTS = [0n, 1n, 2n, 31n, 32n, 63n, 0x80n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn,
  0x100000000n, 0x8000000000000000n, 0xffffffffffffffffn, 0x123456789abcdef0n];
const ADDRS = [DATA, DATA + 0x7f8, DATA + 0xffe, DATA + 0x1ffc, RODATA + 0x10, RODATA - 3, UNMAPPED + 8, 0xfffffffe];
const ARITH = [Opc.Add, Opc.Sub, Opc.Mul, Opc.And, Opc.Or, Opc.Xor, Opc.Shl, Opc.Shr, Opc.Sar, Opc.Rotl, Opc.Rotr,
  Opc.MulHS, Opc.MulHU, Opc.MulHSU, Opc.DivS, Opc.DivU, Opc.RemS, Opc.RemU];
const UNARY = [Opc.Mov, Opc.Neg, Opc.Not, Opc.Clz, Opc.Ctz, Opc.Popcnt, Opc.Ext8S, Opc.Ext16S, Opc.Ext32S,
  Opc.Ext8U, Opc.Ext16U, Opc.Ext32U];
const TYS: Ty[] = ['i32', 'i64'];
/** Mostly aligned for every size (the base addresses are 8-aligned), some not. */
const ATOMIC_OFFS = [0, 8, 0x7f8, 0x1000, 0x1ff8, -8, 1, 2, 6];

/** How randomBlock ends a block and where it puts it. */
export interface BlockShape {
  /** The block's pc (by default one from the seed). */
  pc?: number;
  /** Emits the block's end after its last instruction at `pc` (by default a random exit_tb,
   *  goto_tb or goto_ptr). */
  end?: (b: IRBuilder, r: Rng, pc: number) => void;
  /** The chance of a label at the top that a never-taken branch goes back to. */
  backLabel?: number;
}

export function randomBlock(seed: number, helpers: Helper[], shape: BlockShape = {}): IRBlock {
  const r = new Rng(seed);
  const b = new IRBuilder(helpers);
  const regs = {
    i64: [0, 1, 2, 3].map((i) => b.global('i64', G64(i), `x${i}`)).concat([b.temp('i64'), b.temp('i64')]),
    i32: [0, 1].map((i) => b.global('i32', G32(i), `w${i}`)).concat([b.temp('i32'), b.temp('i32')]),
  };
  // Locals are written before they are read, as frontends do (their value on entry is undefined).
  for (const ty of TYS) regs[ty].slice(-2).forEach((t) => b.mov(t, regs[ty][r.int(2)]));
  const base = b.global('i64', G64(8), 'base'); // holds a mapped address (see init)
  const src = (ty: Ty): number => (r.chance(0.25) ? b.const(ty, r.pick(CONSTS)) : r.pick(regs[ty]));
  const dst = (ty: Ty): number => r.pick(regs[ty]);
  /** A cmpxchg retry loop from a guessed old value: its backward branch is taken whenever the
   *  guess is not what memory holds (then the cmpxchg returns what it holds). */
  const retryLoop = (ty: Ty, addr: number, off: number, mop: MemOp): void => {
    const seen = b.temp(ty), expected = b.temp(ty), next = b.temp(ty), again = b.label();
    b.mov(seen, src(ty));
    b.setLabel(again);
    b.mov(expected, seen);
    b.binop(r.pick([Opc.Add, Opc.Xor, Opc.Mul]), next, expected, src(ty));
    b.atomicCmpxchg(seen, addr, off, expected, next, mop);
    b.brcond(Cond.NE, seen, expected, again);
    b.mov(dst(ty), seen);
  };
  const start = shape.pc ?? 0x40000 + seed * 64;
  let pc = start;
  const pending: number[] = [];
  // Half the blocks start with a label that a never-taken branch goes back to: that makes the
  // backend use its general (loop + br_table) control flow instead of nested blocks.
  const backTo = r.chance(shape.backLabel ?? 0.5) ? b.label() : -1;
  if (backTo >= 0) b.setLabel(backTo);
  b.insnStart(pc);
  const n = 5 + r.int(30);
  for (let i = 0; i < n; i++) {
    // Branches stay within one guest instruction, as frontends emit them.
    if (pending.length === 0 && r.chance(0.2)) b.insnStart((pc += 4));
    const ty = r.pick(TYS);
    switch (r.int(14)) {
      case 0: case 1: case 2: b.binop(r.pick(ARITH), dst(ty), src(ty), src(ty)); break;
      case 3: b.unop(r.pick(UNARY), dst(ty), src(ty)); break;
      case 4: {
        const k = r.int(3);
        if (k === 0) b.emit(Opc.ExtUI32I64, 'i64', dst('i64'), src('i32'));
        else if (k === 1) b.emit(Opc.ExtSI32I64, 'i64', dst('i64'), src('i32'));
        else b.emit(Opc.TruncI64I32, 'i32', dst('i32'), src('i64'));
        break;
      }
      case 5: {
        const c = r.int(10) as Cond;
        if (r.chance(0.5)) b.setcond(c, dst(r.pick(TYS)), src(ty), src(ty));
        else { const dt = r.pick(TYS); b.movcond(c, dst(dt), src(ty), src(ty), src(dt), src(dt)); }
        break;
      }
      case 6: case 7: {
        const size = r.pick([1, 2, 4, 8] as const);
        const addr = r.chance(0.7) ? base : b.c64(r.pick(ADDRS));
        const off = r.pick([0, 8, -2, 0x7fd, 0x1000, 0x1ff9]);
        if (r.chance(0.5)) b.ld(dst(ty), addr, off, { size, signed: r.chance(0.5), align: r.chance(0.2) });
        else b.st(src(ty), addr, off, size);
        break;
      }
      case 11: case 12: {
        const size = r.pick([1, 2, 4, 8] as const);
        const aty: Ty = size === 8 ? 'i64' : ty;
        const addr = r.chance(0.7) ? base : b.c64(r.pick(ADDRS));
        const off = r.pick(ATOMIC_OFFS);
        const mop: MemOp = { size, signed: r.chance(0.5) };
        if (r.chance(0.4)) { b.atomicRmw(r.int(6) as RmwOp, dst(aty), addr, off, src(aty), mop); break; }
        if (pending.length === 0 && r.chance(0.4)) { retryLoop(aty, addr, off, mop); break; }
        // Half the others expect what memory holds, read just before (so they store).
        let expected = src(aty);
        if (r.chance(0.5)) { expected = b.temp(aty); b.ld(expected, addr, off, mop); }
        b.atomicCmpxchg(dst(aty), addr, off, expected, src(aty), mop);
        break;
      }
      case 8: {
        const hi = r.int(helpers.length);
        const hp = helpers[hi];
        const d = hp.ret && r.chance(0.8) ? dst(hp.ret) : null;
        b.call(hi, d, ...hp.args.map((t) => src(t)));
        break;
      }
      case 9: case 10: {
        const l = b.label();
        pending.push(l);
        if (r.chance(0.8)) b.brcond(r.int(10) as Cond, src(ty), src(ty), l);
        else b.br(l);
        break;
      }
      default:
        if (pending.length) b.setLabel(pending.splice(r.int(pending.length), 1)[0]);
        else if (r.chance(0.3)) b.exitTb(r.pick([ExitReason.Syscall, ExitReason.Exception]), pc);
    }
  }
  for (const l of pending) b.setLabel(l);
  if (backTo >= 0) { const c = b.c32(7); b.brcond(Cond.NE, c, c, backTo); }
  if (shape.end) shape.end(b, r, pc);
  else {
    switch (r.int(3)) {
      case 0: b.exitTb(ExitReason.Next, pc + 4); break;
      case 1: b.gotoTb(pc + 4); break;
      default: b.gotoPtr(r.pick(regs.i64));
    }
  }
  return b.finish(start, pc + 4 - start, 1);
}

/** The i64 global counting down the blocks a random program may still run. */
export const COUNTDOWN = G64(9);
/** Where a random program goes when its countdown ends (no block there). */
export const PROGRAM_EXIT = 0x3f000;

/** A program of `n` random blocks 0x100 apart from `base`: each ends by counting COUNTDOWN
 *  down and leaving for PROGRAM_EXIT at zero, else by a random branch between two goto_tb to
 *  blocks of the program (backward ones make loops, nested or not, entered anywhere) or, now
 *  and then, to a pc outside it; or like a call and a return, by a goto_ptr to a register some
 *  blocks set to a constant, the pc of a block (or one outside). */
export function randomProgram(seed: number, helpers: Helper[], base: number, n: number): IRBlock[] {
  return Array.from({ length: n }, (_, i) => randomBlock(seed * 64 + i, helpers, {
    pc: base + i * 0x100,
    backLabel: 0.1,
    end: (b, r, pc) => {
      const target = (): number => (r.chance(0.05) ? base + n * 0x100 : base + r.int(n) * 0x100);
      const count = b.global('i64', COUNTDOWN, 'count');
      const x = b.global('i64', G64(r.int(4)), 'x');
      const ra = b.global('i64', G64(10), 'ra');
      b.insnStart(pc + 4);
      if (r.chance(0.3)) b.mov(ra, b.c64(target()));
      b.binop(Opc.Sub, count, count, b.c64(1));
      const done = b.label(), other = b.label();
      b.brcond(Cond.EQ, count, b.c64(0), done);
      b.brcond(r.int(10) as Cond, x, b.c64(r.pick(CONSTS)), other);
      b.gotoTb(r.chance(0.5) ? target() : base + (i + 1) * 0x100); // the next block, or out
      b.setLabel(other);
      if (r.chance(0.25)) b.gotoPtr(ra); else b.gotoTb(target());
      b.setLabel(done);
      b.exitTb(ExitReason.Next, PROGRAM_EXIT);
    },
  }));
}

