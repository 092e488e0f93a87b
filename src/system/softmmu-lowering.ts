// System mode's lowering of guest memory ops: after the riscv frontend has translated a block,
// every Ld, St, AtomicRmw and AtomicCmpxchg becomes a call of a softmmu helper
// (softmmu-helpers.ts), so that the backends (which in user mode address guest memory
// directly) run system code unchanged. The address is split into int32 halves for the call;
// the result comes back as an int32 (plus LD_HI for the high half of 8-byte values) and is
// extended as the op's MemOp says.
import { ExitReason, Helper, IRBlock, Op, Opc } from '../tcg/ir.js';
import { IRBuilder } from '../tcg/ir-builder.js';
import { PAGE_SIZE } from '../memory/guest-memory.js';
import { LD_HI, cmpxchgHelper, ldHelper, rmwHelper, stHelper } from './softmmu-helpers.js';

/** `atomicsOnly` (for the wasm backend, which probes the TLB inline for loads and stores:
 *  InlineTlb): only the atomics become calls. */
export function lowerMemoryOps(block: IRBlock, helpers: Helper[], atomicsOnly = false): IRBlock {
  const lowered = atomicsOnly ? isAtomic : isMemOp;
  if (!block.ops.some(lowered)) return block;
  const b = new IRBuilder(helpers);
  b.temps.push(...block.temps);
  const index = new Map(helpers.map((h, i) => [h.name, i]));
  const helper = (name: string): number => index.get(name)!;
  const ldHi = b.global('i32', LD_HI, 'ld_hi');

  /** The int32 halves of an address or value temp (i64, or i32 with a zero high half). */
  const halves = (t: number, offset = 0): [number, number] => {
    let v = t;
    if (b.ty(t) === 'i32') {
      v = b.temp('i64');
      b.unop(Opc.ExtUI32I64, v, t);
    }
    if (offset !== 0) {
      const sum = b.temp('i64');
      b.addi(sum, v, offset);
      v = sum;
    }
    const lo = b.temp('i32'), hi = b.temp('i32'), shifted = b.temp('i64');
    b.unop(Opc.TruncI64I32, lo, v);
    b.shr(shifted, v, b.c64(32));
    b.unop(Opc.TruncI64I32, hi, shifted);
    return [lo, hi];
  };
  /** d = the helper's int32 result r, extended from `size` bytes (LD_HI holds the high half of
   *  an 8-byte one). */
  const result = (d: number, r: number, size: number, signed: boolean): void => {
    if (b.ty(d) === 'i32') {
      b.mov(d, r);
      return;
    }
    if (size < 8) {
      b.unop(signed ? Opc.ExtSI32I64 : Opc.ExtUI32I64, d, r);
      return;
    }
    const low = b.temp('i64'), high = b.temp('i64');
    b.unop(Opc.ExtUI32I64, low, r);
    b.unop(Opc.ExtUI32I64, high, ldHi);
    b.shl(high, high, b.c64(32));
    b.or(d, high, low);
  };
  const call = (name: string, args: number[]): number => {
    const r = b.temp('i32');
    b.call(helper(name), r, ...args);
    return r;
  };

  for (const op of block.ops) {
    const a = op.args;
    switch (lowered(op) ? op.opc : undefined) {
      case Opc.Ld: {
        const [d, addr, offset, size, signed, align] = a;
        const r = call(ldHelper(size), [...halves(addr, offset), b.c32(signed | (align << 1))]);
        result(d, r, size, signed === 1);
        break;
      }
      case Opc.St: {
        const [v, addr, offset, size] = a;
        b.call(helper(stHelper(size)), null, ...halves(addr, offset), ...halves(v));
        break;
      }
      case Opc.AtomicRmw: {
        const [d, addr, offset, size, signed, v, rmw] = a;
        result(d, call(rmwHelper(size), [...halves(addr, offset), ...halves(v), b.c32(rmw)]), size, signed === 1);
        break;
      }
      case Opc.AtomicCmpxchg: {
        const [d, addr, offset, size, signed, expected, desired] = a;
        const r = call(cmpxchgHelper(size), [...halves(addr, offset), ...halves(expected), ...halves(desired)]);
        result(d, r, size, signed === 1);
        break;
      }
      default:
        b.ops.push(op);
    }
  }
  return { ...block, ops: b.ops, temps: b.temps };
}

const isAtomic = (op: Op): boolean => op.opc === Opc.AtomicRmw || op.opc === Opc.AtomicCmpxchg;
const isMemOp = (op: Op): boolean => op.opc === Opc.Ld || op.opc === Opc.St || isAtomic(op);

/** The block with its goto_tb confined to what system mode may chain: a target on the block's
 *  own virtual page, from a block wholly on that page (`last`: the virtual address of its last
 *  byte), and nothing when `chains` is off (a debugger's single steps and breakpoints, -d cpu).
 *  Such a target is fetched from the same physical page for as long as the mapping stands,
 *  and a chain of blocks runs under one mapping (whatever changes it ends the block), so the
 *  compiled code may jump there directly, as qemu chains only within a page. Every other
 *  goto_tb becomes a return to the loop, which looks its target up through the MMU. */
export function confineChaining(block: IRBlock, last: number, chains: boolean): IRBlock {
  const page = Math.floor(block.pc / PAGE_SIZE);
  const own = chains && Math.floor(last / PAGE_SIZE) === page;
  const far = (op: Op): boolean => op.opc === Opc.GotoTb && !(own && Math.floor(op.args[0] / PAGE_SIZE) === page);
  if (!block.ops.some(far)) return block;
  const ops = block.ops.map((op) => (far(op) ? { opc: Opc.ExitTb, ty: op.ty, args: [ExitReason.Next, op.args[0]] } : op));
  return { ...block, ops };
}
