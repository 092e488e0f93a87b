// The helpers that system mode's lowered loads, stores and atomics call (softmmu-lowering.ts),
// over the Softmmu. Arguments cross as int32 halves and results as an int32 plus, for 64-bit
// values, a high half left in the state's LD_HI word: i64 helper arguments and results would
// cross the wasm/JS boundary as BigInt, which is 3-10x slower (shared/FACTS.md).
import { Helper, HelperFlags, RmwOp, Ty } from '../tcg/ir.js';
import { InlineTlb } from '../tcg/backend.js';
import { INLINE_TLB_BITS, INLINE_TLB_SLOT, INLINE_TLB_WRITE, Softmmu } from './softmmu.js';
import { Access } from './page-walk.js';

/** The i32 slot (from the vCPU's state base) where 64-bit results leave their high half: past
 *  the riscv state (cpu-state.ts, STATE_SIZE) and before the control words (CPU_CONTROL). */
export const LD_HI = 0x800;

/** Backends must store globals and the insn's pc before the call (a fault traps there) and
 *  reload LD_HI after it. */
const FLAGS = HelperFlags.ReadsGlobals | HelperFlags.WritesGlobals | HelperFlags.MayRaise;

const join = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

const RMW: Record<number, (a: bigint, b: bigint) => bigint> = {
  [RmwOp.Add]: (a, b) => a + b,
  [RmwOp.Sub]: (a, b) => a - b,
  [RmwOp.And]: (a, b) => a & b,
  [RmwOp.Or]: (a, b) => a | b,
  [RmwOp.Xor]: (a, b) => a ^ b,
  [RmwOp.Xchg]: (_a, b) => b,
};

export const SIZES = [1, 2, 4, 8] as const;
export const ldHelper = (size: number): string => `mmu_ld${size}`;
export const stHelper = (size: number): string => `mmu_st${size}`;
export const rmwHelper = (size: number): string => `mmu_rmw${size}`;
export const cmpxchgHelper = (size: number): string => `mmu_cmpxchg${size}`;

/** The softmmu of the hart running now: the harts share their translated code, and with it
 *  these helpers; the system loop points `mmu` at the hart it switches to. */
export interface ActiveMmu {
  mmu: Softmmu;
}

export function softmmuHelpers(active: ActiveMmu): Helper[] {
  const view = active.mmu.bus.mem.view;
  /** The int32 result of a 64-bit (or narrower, zero-extended) value: low half returned, high
   *  half into LD_HI. */
  const split = (env: number, v: bigint): number => {
    view.setUint32(env + LD_HI, Number(BigInt.asUintN(32, v >> 32n)), true);
    return Number(BigInt.asIntN(32, v));
  };
  const helper = (name: string, args: Ty[], ret: Ty | null, fn: Helper['fn']): Helper => ({ name, args, ret, flags: FLAGS, fn });
  const i32s = (n: number): Ty[] => new Array<Ty>(n).fill('i32');
  const hs: Helper[] = [];
  for (const size of SIZES) {
    // (lo, hi, flags: bit 0 signed, bit 1 aligned) -> int32; 8 bytes: high half in LD_HI.
    // The RAM paths move int32 words; the general one (devices, page-crossing, faults) BigInt.
    hs.push(helper(ldHelper(size), i32s(3), 'i32', size === 8
      ? (env: number, lo: number, hi: number, f: number) => {
        const pa = f & 2 && lo & 7 ? -1 : active.mmu.ramAddr(lo, hi, 8, Access.Read);
        if (pa < 0) return split(env, active.mmu.load(lo, hi, 8, (f & 2) !== 0));
        view.setInt32(env + LD_HI, view.getInt32(pa + 4, true), true);
        return view.getInt32(pa, true);
      }
      : (_env: number, lo: number, hi: number, f: number) => active.mmu.load32(lo, hi, size, (f & 1) !== 0, (f & 2) !== 0)));
    // (lo, hi, value lo, value hi)
    hs.push(helper(stHelper(size), i32s(4), null, (_env: number, lo: number, hi: number, vlo: number, vhi: number) => {
      const pa = active.mmu.ramAddr(lo, hi, size, Access.Write);
      if (pa < 0) active.mmu.store(lo, hi, size, join(vlo, vhi));
      else if (size === 8) { view.setInt32(pa, vlo, true); view.setInt32(pa + 4, vhi, true); }
      else if (size === 4) view.setInt32(pa, vlo, true);
      else if (size === 2) view.setInt16(pa, vlo, true);
      else view.setInt8(pa, vlo);
    }));
    if (size < 4) continue;
    // (lo, hi, value lo, value hi, RmwOp) -> the old value, zero-extended
    hs.push(helper(rmwHelper(size), i32s(5), 'i32',
      (env: number, lo: number, hi: number, vlo: number, vhi: number, op: number) =>
        split(env, active.mmu.atomic(lo, hi, size, (old) => RMW[op](old, join(vlo, vhi))))));
    // (lo, hi, expected lo, expected hi, new lo, new hi) -> the old value, zero-extended
    const mask = (1n << BigInt(size * 8)) - 1n;
    hs.push(helper(cmpxchgHelper(size), i32s(6), 'i32',
      (env: number, lo: number, hi: number, elo: number, ehi: number, nlo: number, nhi: number) => {
        const expected = join(elo, ehi) & mask;
        return split(env, active.mmu.atomic(lo, hi, size, (old) => (old === expected ? join(nlo, nhi) : old)));
      }));
  }
  return hs;
}

/** The inline TLB as the wasm backend sees it, with these helpers for its misses. */
export function inlineTlb(helpers: readonly Helper[]): InlineTlb {
  const index = (name: string): number => helpers.findIndex((h) => h.name === name);
  const bySize = (name: (size: number) => string): Record<number, number> => Object.fromEntries(SIZES.map((n) => [n, index(name(n))]));
  return {
    baseSlot: INLINE_TLB_SLOT, writeOffset: INLINE_TLB_WRITE, entryBits: INLINE_TLB_BITS,
    load: bySize(ldHelper), store: bySize(stHelper), ldHiSlot: LD_HI,
  };
}
