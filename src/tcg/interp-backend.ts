// The IR interpreter: the reference backend (simple, obviously right) and the cold tier.
// Values are BigInt patterns (unsigned, normalised to the op's width); speed matters less than
// plainness here, the wasm backend is the fast path.
import { Backend, BackendContext, TbCode } from './backend.js';
import { Cond, ExitReason, HelperFlags, IRBlock, Op, Opc, TempKind, Ty } from './ir.js';
import { PAGE_SHIFT, PROT_READ, PROT_WRITE } from '../memory/guest-memory.js';

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

export class InterpBackend implements Backend {
  readonly name = 'interp';
  constructor(private readonly ctx: BackendContext) {}

  compile(blocks: IRBlock[]): TbCode[] {
    return blocks.map((b) => {
      const labels = new Int32Array(b.labelCount);
      b.ops.forEach((op, i) => { if (op.opc === Opc.SetLabel) labels[op.args[0]] = i; });
      return (env: number) => this.run(b, labels, env);
    });
  }

  flush(): void {}

  private run(block: IRBlock, labels: Int32Array, env: number): number {
    const { mem, layout, helpers } = this.ctx;
    const view = mem.view;
    const prot = mem.prot;
    const temps = block.temps;
    const vals: bigint[] = temps.map((t) => t.value);
    // Globals are read from and written to the state directly: nothing to write back.
    const get = (t: number): bigint => {
      const info = temps[t];
      if (info.kind !== TempKind.Global) return vals[t];
      return info.ty === 'i64'
        ? view.getBigUint64(env + info.offset, true)
        : BigInt(view.getUint32(env + info.offset, true));
    };
    const set = (t: number, v: bigint): void => {
      const info = temps[t];
      if (info.kind !== TempKind.Global) { vals[t] = v; return; }
      if (info.ty === 'i64') view.setBigUint64(env + info.offset, v, true);
      else view.setUint32(env + info.offset, Number(v), true);
    };
    const setPc = (pc: bigint): void => {
      if (layout.pcTy === 'i64') view.setBigUint64(env + layout.pcOffset, pc, true);
      else view.setUint32(env + layout.pcOffset, Number(pc), true);
    };
    let insnPc = block.pc;

    const fault = (addr: bigint, kind: number): number => {
      view.setBigUint64(env + layout.faultAddrOffset, addr, true);
      view.setInt32(env + layout.faultKindOffset, kind, true);
      setPc(BigInt(insnPc));
      return ExitReason.MemFault;
    };
    // Returns the host address, or -1 when the access faults.
    const access = (op: Op, addrT: number, size: number, need: number): { ea: bigint; ok: boolean } => {
      const ty = temps[addrT].ty;
      const ea = norm(ty, get(addrT) + BigInt(op.args[2]));
      if (ea + BigInt(size) > 0x100000000n) return { ea, ok: false };
      const a = Number(ea);
      const ok = (prot[a >>> PAGE_SHIFT] & need) !== 0 && (prot[(a + size - 1) >>> PAGE_SHIFT] & need) !== 0;
      return { ea, ok };
    };

    const ops = block.ops;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      const a = op.args;
      switch (op.opc) {
        case Opc.InsnStart: insnPc = a[0]; break;
        case Opc.SetLabel: break;
        case Opc.Br: i = labels[a[0]]; break;
        case Opc.BrCond:
          if (compare(a[2] as Cond, op.ty, get(a[0]), get(a[1]))) i = labels[a[3]];
          break;
        case Opc.SetCond:
          set(a[0], compare(a[3] as Cond, op.ty, get(a[1]), get(a[2])) ? 1n : 0n);
          break;
        case Opc.MovCond:
          set(a[0], compare(a[5] as Cond, temps[a[1]].ty, get(a[1]), get(a[2])) ? get(a[3]) : get(a[4]));
          break;
        case Opc.Ld: {
          const size = a[3];
          const { ea, ok } = access(op, a[1], size, PROT_READ);
          if (!ok) return fault(ea, 0);
          const h = Number(ea);
          let v: bigint;
          switch (size) {
            case 1: v = BigInt(a[4] ? view.getInt8(h) : view.getUint8(h)); break;
            case 2: v = BigInt(a[4] ? view.getInt16(h, true) : view.getUint16(h, true)); break;
            case 4: v = BigInt(a[4] ? view.getInt32(h, true) : view.getUint32(h, true)); break;
            default: v = view.getBigUint64(h, true);
          }
          set(a[0], norm(op.ty, v));
          break;
        }
        case Opc.St: {
          const size = a[3];
          const { ea, ok } = access(op, a[1], size, PROT_WRITE);
          if (!ok) return fault(ea, 1);
          const h = Number(ea);
          const v = get(a[0]);
          switch (size) {
            case 1: view.setUint8(h, Number(v & 0xffn)); break;
            case 2: view.setUint16(h, Number(v & 0xffffn), true); break;
            case 4: view.setUint32(h, Number(v & 0xffffffffn), true); break;
            default: view.setBigUint64(h, BigInt.asUintN(64, v), true);
          }
          break;
        }
        case Opc.Call: {
          const h = helpers[a[0]];
          if (h.flags & HelperFlags.MayRaise) setPc(BigInt(insnPc));
          const args: (number | bigint)[] = [];
          for (let k = 2; k < a.length; k++) {
            const v = get(a[k]);
            // The same JS values a wasm import receives: i32 as a signed number, i64 as a signed BigInt.
            args.push(h.args[k - 2] === 'i64' ? BigInt.asIntN(64, v) : Number(BigInt.asIntN(32, v)));
          }
          const r = h.fn(env, ...args);
          if (a[1] >= 0) set(a[1], norm(temps[a[1]].ty, BigInt(r)));
          break;
        }
        case Opc.GotoTb: setPc(BigInt(a[0])); return ExitReason.Next;
        case Opc.GotoPtr: setPc(get(a[0])); return ExitReason.Next;
        case Opc.ExitTb: setPc(BigInt(a[1])); return a[0];
        case Opc.Mov: case Opc.Neg: case Opc.Not: case Opc.Clz: case Opc.Ctz: case Opc.Popcnt:
        case Opc.Ext8S: case Opc.Ext16S: case Opc.Ext32S: case Opc.Ext8U: case Opc.Ext16U: case Opc.Ext32U:
        case Opc.ExtUI32I64: case Opc.ExtSI32I64: case Opc.TruncI64I32:
          set(a[0], evalArith(op.opc, op.ty, get(a[1]), 0n));
          break;
        default:
          set(a[0], evalArith(op.opc, op.ty, get(a[1]), get(a[2])));
      }
    }
    throw new Error(`TB at 0x${block.pc.toString(16)} fell off its end`);
  }
}
