// The TB cache: guest pc -> translated block. Which pages hold translated code is kept for
// every vCPU in the shared memory (markCode in vcpu-control.ts), where invalidation looks.
import { TbCode } from './backend.js';

export interface TbEntry {
  pc: number;
  /** Guest bytes the block covers. Its IR is not kept: a scavenge would copy every block's IR
   *  while few blocks ever get hot, and those are translated again (see CpuExec.compileNow). */
  size: number;
  /** The code that runs now: interpreted until the block is hot, then compiled. */
  code: TbCode;
  /** Executions so far (counted while interpreted, to find hot blocks). */
  execCount: number;
  compiled: boolean;
  queued: boolean;
}

/** Slots of the direct-mapped array in front of the map. */
const RECENT = 4096;
const slotOf = (pc: number): number => (pc >>> 1) & (RECENT - 1);

export class TbCache {
  private readonly byPc = new Map<number, TbEntry>();
  /** The last entry looked up or added at each slot (by pc / 2: pcs are even, and an ARM key's
   *  bit 0 is its Thumb bit): the loop looks a block up before each run of it, and a Map lookup
   *  was 7% of an interpreted run's time. */
  private readonly recent: (TbEntry | undefined)[] = new Array<TbEntry | undefined>(RECENT).fill(undefined);

  get(pc: number): TbEntry | undefined {
    const hit = this.recent[slotOf(pc)];
    if (hit !== undefined && hit.pc === pc) return hit;
    const e = this.byPc.get(pc);
    if (e !== undefined) this.recent[slotOf(pc)] = e;
    return e;
  }

  add(e: TbEntry): void {
    this.byPc.set(e.pc, e);
    this.recent[slotOf(e.pc)] = e;
  }

  /** Drops everything. Code changes are rare (fence.i, munmap of code), so whole-cache flushes
   *  keep chaining simple: no chained TB can then reach a stale one. */
  clear(): void {
    this.byPc.clear();
    this.recent.fill(undefined);
  }

  get size(): number { return this.byPc.size; }
}
