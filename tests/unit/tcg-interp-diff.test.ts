// Differential test of the IR interpreter: thousands of seeded random blocks (every op, both
// types, edge values, forward branches, loads/stores/atomics that hit and fault, helper calls) run under
// InterpBackend and under a plain BigInt evaluator written here on evalArith and compare; the
// CPU state, the memory pages and the exit must agree.
import { describe, expect, it } from 'vitest';
import { CPU_STATE_BASE, GuestMemory, PAGE_SHIFT, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { IRBuilder } from '../../src/tcg/ir-builder.js';
import { formatBlock } from '../../src/tcg/ir-printer.js';
import { InterpBackend, compare, evalArith } from '../../src/tcg/interp-backend.js';
import { Cond, ExitReason, FaultKind, Helper, HelperFlags, IRBlock, Opc, RmwOp, StateLayout, TempKind, Ty } from '../../src/tcg/ir.js';

const mem = new GuestMemory();
const view = mem.view;
const env = CPU_STATE_BASE;
const STATE_SIZE = 96;
const G64 = [24, 32, 40, 48, 56, 64]; // i64 globals
const G32 = [72, 76, 80, 84]; // i32 globals: 4-byte slots side by side
const RW_PAGE = 0x20000;
const RO_PAGE = 0x21000; // followed by an unmapped page
const PAGES_END = 0x22000;
mem.setProt(RW_PAGE, 0x1000, PROT_READ | PROT_WRITE);
mem.setProt(RO_PAGE, 0x1000, PROT_READ);

const layoutFor = (pcTy: Ty): StateLayout => ({ size: STATE_SIZE, pcOffset: 0, pcTy, faultAddrOffset: 8, faultKindOffset: 16, budgetOffset: 20 });

const helpers: Helper[] = [
  {
    name: 'mix', args: ['i32', 'i64'], ret: 'i64', flags: HelperFlags.None,
    fn: (_env: number, a: unknown, b: unknown) => {
      if (typeof a !== 'number' || typeof b !== 'bigint') throw new Error('mix: bad argument types');
      return BigInt(a) * 3n + b; // may exceed 64 bits: the caller cuts it
    },
  },
  {
    name: 'fold', args: ['i64'], ret: 'i32', flags: HelperFlags.None,
    fn: (_env: number, a: bigint) => Number(BigInt.asIntN(32, a >> 7n)) * 2, // beyond int32 at times
  },
  {
    name: 'twice', args: ['i32'], ret: 'i64', flags: HelperFlags.None,
    fn: (_env: number, a: number) => a * 2, // a number for an i64: sign-extended
  },
  {
    name: 'bump', args: [], ret: null, flags: HelperFlags.ReadsGlobals | HelperFlags.WritesGlobals,
    fn: (e: number) => view.setBigUint64(e + G64[1], view.getBigUint64(e + G64[0], true) + 1n, true),
  },
  {
    name: 'raise', args: ['i32'], ret: null, flags: HelperFlags.MayRaise,
    fn: (e: number, a: number) => { if (a & 1) throw new Error(`raised at ${view.getUint32(e, true)}`); },
  },
];

/** The reference: one BigInt value per temp, globals read and written in the state directly. */
function reference(block: IRBlock, layout: StateLayout): number {
  const temps = block.temps;
  const vals = temps.map((t) => t.value);
  const width = (t: number): number => (temps[t].ty === 'i64' ? 64 : 32);
  const get = (t: number): bigint => {
    const info = temps[t];
    if (info.kind !== TempKind.Global) return vals[t];
    return info.ty === 'i64' ? view.getBigUint64(env + info.offset, true) : BigInt(view.getUint32(env + info.offset, true));
  };
  const set = (t: number, v: bigint): void => {
    const info = temps[t];
    v = BigInt.asUintN(width(t), v);
    if (info.kind !== TempKind.Global) vals[t] = v;
    else if (info.ty === 'i64') view.setBigUint64(env + info.offset, v, true);
    else view.setUint32(env + info.offset, Number(v), true);
  };
  const setPc = (pc: bigint): void => {
    if (layout.pcTy === 'i64') view.setBigUint64(env, BigInt.asUintN(64, pc), true);
    else view.setUint32(env, Number(BigInt.asUintN(32, pc)), true);
  };
  const labels = new Map<number, number>();
  block.ops.forEach((op, i) => { if (op.opc === Opc.SetLabel) labels.set(op.args[0], i); });
  // An op belongs to the instruction whose insn_start precedes it in the block, wherever a branch
  // came from (as the wasm backend decides at compile time).
  let pc = block.pc;
  const pcAt = block.ops.map((op) => (op.opc === Opc.InsnStart ? (pc = op.args[0]) : pc));
  for (let i = 0; i < block.ops.length; i++) {
    const { opc, ty, args: a } = block.ops[i];
    const pc = pcAt[i];
    switch (opc) {
      case Opc.InsnStart: break;
      case Opc.SetLabel: break;
      case Opc.Br: i = labels.get(a[0])!; break;
      case Opc.BrCond: if (compare(a[2], ty, get(a[0]), get(a[1]))) i = labels.get(a[3])!; break;
      case Opc.SetCond: set(a[0], compare(a[3], ty, get(a[1]), get(a[2])) ? 1n : 0n); break;
      case Opc.MovCond: set(a[0], compare(a[5], temps[a[1]].ty, get(a[1]), get(a[2])) ? get(a[3]) : get(a[4])); break;
      case Opc.Ld: case Opc.St: case Opc.AtomicCmpxchg: case Opc.AtomicRmw: {
        const size = a[3];
        const ea = BigInt.asUintN(width(a[1]), get(a[1]) + BigInt(a[2]));
        const atomic = opc === Opc.AtomicCmpxchg || opc === Opc.AtomicRmw;
        const read = opc === Opc.Ld;
        const fault = (kind: FaultKind): ExitReason => {
          view.setBigUint64(env + layout.faultAddrOffset, ea, true);
          view.setInt32(env + layout.faultKindOffset, kind, true);
          setPc(BigInt(pc));
          return ExitReason.MemFault;
        };
        if ((atomic || (read && a[5])) && ea % BigInt(size) !== 0n) return fault(FaultKind.Misaligned);
        const need = read ? PROT_READ : PROT_WRITE;
        const last = ea + BigInt(size) - 1n;
        if (last >= 1n << 32n || !(mem.prot[Number(ea) >>> PAGE_SHIFT] & need) || !(mem.prot[Number(last) >>> PAGE_SHIFT] & need)) {
          return fault(read ? FaultKind.Read : FaultKind.Write);
        }
        const h = Number(ea);
        const mask = (1n << BigInt(8 * size)) - 1n;
        const store = (v: bigint): void => {
          for (let k = 0; k < size; k++) view.setUint8(h + k, Number((v >> BigInt(8 * k)) & 0xffn));
        };
        if (opc === Opc.St) { store(get(a[0])); break; }
        let old = 0n;
        for (let k = size - 1; k >= 0; k--) old = (old << 8n) | BigInt(view.getUint8(h + k));
        if (opc === Opc.AtomicCmpxchg) {
          if (old === (get(a[5]) & mask)) store(get(a[6]));
        } else if (opc === Opc.AtomicRmw) {
          const v = get(a[5]);
          store([old + v, old - v, old & v, old | v, old ^ v, v][a[6] as RmwOp]);
        }
        set(a[0], a[4] ? BigInt.asIntN(8 * size, old) : old);
        break;
      }
      case Opc.Call: {
        const h = helpers[a[0]];
        if (h.flags & HelperFlags.MayRaise) setPc(BigInt(pc));
        const args = a.slice(2).map((t, k) => (h.args[k] === 'i64' ? BigInt.asIntN(64, get(t)) : Number(BigInt.asIntN(32, get(t)))));
        const r = h.fn(env, ...args);
        if (a[1] >= 0) set(a[1], BigInt(r));
        break;
      }
      case Opc.GotoTb: setPc(BigInt(a[0])); return ExitReason.Next;
      case Opc.GotoPtr: setPc(get(a[0])); return ExitReason.Next;
      case Opc.ExitTb: setPc(BigInt(a[1])); return a[0];
      default: set(a[0], evalArith(opc, ty, get(a[1]), a.length > 2 ? get(a[2]) : 0n));
    }
  }
  throw new Error('fell off');
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const EDGES = [0n, 1n, 2n, 7n, 31n, 32n, 63n, 64n, 0x7fn, 0x80n, 0xffn, 0x8000n, 0xffffn, (1n << 31n) - 1n, 1n << 31n,
  (1n << 32n) - 1n, 1n << 32n, (1n << 63n) - 1n, 1n << 63n, -1n, -2n];

function generate(rand: () => number): IRBlock {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const randBig = (): bigint => (BigInt(Math.floor(rand() * 2 ** 32)) << 32n) | BigInt(Math.floor(rand() * 2 ** 32));
  const value = (): bigint => (rand() < 0.6 ? pick(EDGES) : randBig());
  const b = new IRBuilder(helpers);
  const globals = { i64: G64.map((o) => b.global('i64', o, `g${o}`)), i32: G32.map((o) => b.global('i32', o, `w${o}`)) };
  const locals = { i64: [b.temp('i64'), b.temp('i64'), b.temp('i64')], i32: [b.temp('i32'), b.temp('i32')] };
  const ty = (): Ty => (rand() < 0.6 ? 'i64' : 'i32');
  const dest = (t: Ty): number => pick([...globals[t], ...locals[t]]);
  const src = (t: Ty): number => (rand() < 0.25 ? b.const(t, value()) : dest(t));
  let pc = 0x1000;
  b.insnStart(pc);
  for (const t of ['i64', 'i32'] as Ty[]) for (const l of locals[t]) b.movi(l, value());

  const pending: number[] = [];
  const address = (): [number, number] => {
    const r = rand();
    const t = ty();
    if (r < 0.75) return [b.const(t, RW_PAGE - 16 + Math.floor(rand() * (PAGES_END - RW_PAGE + 32))), Math.floor(rand() * 33) - 16];
    if (r < 0.85) return t === 'i64' ? [b.c64(-16n), RW_PAGE + 32] : [b.c32(0xfffffff0), RW_PAGE + 32]; // wraps into the page
    if (r < 0.9) return [b.c64((pick([1n, 1n << 31n, 0xffffffffn]) << 32n) | BigInt(RW_PAGE)), 8]; // beyond 4 GiB
    return [src(t), Math.floor(rand() * 33) - 16];
  };
  const n = 10 + Math.floor(rand() * 30);
  for (let k = 0; k < n; k++) {
    if (rand() < 0.3) b.insnStart((pc += 4));
    if (pending.length && rand() < 0.2) b.setLabel(pending.splice(Math.floor(rand() * pending.length), 1)[0]);
    const r = rand();
    if (r < 0.45) {
      const opc = Math.floor(rand() * (Opc.TruncI64I32 + 1)) as Opc;
      if (opc === Opc.ExtUI32I64 || opc === Opc.ExtSI32I64) b.unop(opc, dest('i64'), src('i32'));
      else if (opc === Opc.TruncI64I32) b.unop(opc, dest('i32'), src('i64'));
      else {
        const t = ty();
        if (opc === Opc.Mov || opc >= Opc.Neg) b.unop(opc, dest(t), src(t));
        else b.binop(opc, dest(t), src(t), src(t));
      }
    } else if (r < 0.52) {
      const t = ty();
      b.setcond(Math.floor(rand() * 10) as Cond, dest(ty()), src(t), src(t));
    } else if (r < 0.58) {
      const [t, tc] = [ty(), ty()];
      b.movcond(Math.floor(rand() * 10) as Cond, dest(t), src(tc), src(tc), src(t), src(t));
    } else if (r < 0.66) {
      const label = b.label();
      pending.push(label);
      const t = ty();
      if (rand() < 0.2) b.br(label);
      else b.brcond(Math.floor(rand() * 10) as Cond, src(t), src(t), label);
    } else if (r < 0.78) {
      const [addr, off] = address();
      b.ld(dest(ty()), addr, off, { size: pick([1, 2, 4, 8] as const), signed: rand() < 0.5, align: rand() < 0.2 });
    } else if (r < 0.86) {
      const [addr, off] = address();
      b.st(src(ty()), addr, off, pick([1, 2, 4, 8] as const));
    } else if (r < 0.92) {
      const [addr, off] = address();
      const mop = { size: pick([1, 2, 4, 8] as const), signed: rand() < 0.5 };
      const t = mop.size === 8 ? 'i64' : ty();
      if (rand() < 0.5) {
        b.atomicRmw(Math.floor(rand() * 6) as RmwOp, dest(t), addr, off, src(t), mop);
      } else {
        // Half expect what memory holds, read just before (so they store).
        let expected = src(t);
        if (rand() < 0.5) { expected = locals[t][0]; b.ld(expected, addr, off, mop); }
        b.atomicCmpxchg(dest(t), addr, off, expected, src(t), mop);
      }
    } else if (r < 0.97) {
      const h = Math.floor(rand() * helpers.length);
      const ret = helpers[h].ret;
      b.call(h, ret ? dest(ret) : null, ...helpers[h].args.map((t) => src(t)));
    } else if (rand() < 0.5) {
      b.exitTb(ExitReason.Syscall, pc);
    } else {
      b.gotoPtr(src(ty()));
    }
  }
  for (const label of pending) b.setLabel(label);
  if (rand() < 0.5) b.gotoTb(pc + 4);
  else b.exitTb(ExitReason.Exception, pc);
  return b.finish(0x1000, pc + 4 - 0x1000, (pc + 4 - 0x1000) / 4);
}

/** Runs `f` from the given state and memory, returning what it left behind. */
function outcome(f: () => number, state: Uint8Array, pages: Uint8Array): { exit: string; state: string; pages: Uint8Array } {
  mem.u8.set(state, env);
  mem.u8.set(pages, RW_PAGE);
  let exit: string;
  try { exit = String(f()); } catch (e) { exit = `throw ${(e as Error).message}`; }
  return {
    exit,
    state: Buffer.from(mem.u8.subarray(env, env + STATE_SIZE)).toString('hex'),
    pages: mem.u8.slice(RW_PAGE, PAGES_END),
  };
}

describe('IR interpreter against a BigInt reference', () => {
  it('agrees on thousands of random blocks', () => {
    const rand = rng(20240611);
    const pages = new Uint8Array(PAGES_END - RW_PAGE);
    const seen = new Set<string>();
    const faultKinds = new Set<number>();
    for (let iter = 0; iter < 3000; iter++) {
      const block = generate(rand);
      const layout = layoutFor(rand() < 0.8 ? 'i64' : 'i32');
      const code = new InterpBackend({ mem, layout, helpers }).compile([block])[0];
      const state = new Uint8Array(STATE_SIZE).map(() => Math.floor(rand() * 256));
      for (const o of G64) new DataView(state.buffer).setBigUint64(o, BigInt.asUintN(64, rand() < 0.5 ? EDGES[iter % EDGES.length] : BigInt(iter)), true);
      pages.forEach((_, k) => { pages[k] = Math.floor(rand() * 256); });
      // Twice through the same code from two states: nothing may carry over in the frame.
      for (let round = 0; round < 2; round++) {
        const want = outcome(() => reference(block, layout), state, pages);
        const got = outcome(() => code(env), state, pages);
        const firstDiff = got.pages.findIndex((v, k) => v !== want.pages[k]);
        if (got.exit !== want.exit || got.state !== want.state || firstDiff >= 0) {
          expect({ exit: got.exit, state: got.state, firstDiff }, `block ${iter}, round ${round}:\n${formatBlock(block)}`)
            .toEqual({ exit: want.exit, state: want.state, firstDiff: -1 });
        }
        seen.add(want.exit.startsWith('throw') ? 'throw' : want.exit);
        if (want.exit === String(ExitReason.MemFault)) faultKinds.add(Buffer.from(want.state, 'hex').readInt32LE(layout.faultKindOffset));
        state[G64[0]] ^= 0x5a;
      }
    }
    // The generator reaches every kind of exit.
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', 'throw']);
    expect([...faultKinds].sort()).toEqual([FaultKind.Read, FaultKind.Write, FaultKind.Misaligned]);
  });
});
