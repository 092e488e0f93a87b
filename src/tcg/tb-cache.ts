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

export class TbCache {
  private readonly byPc = new Map<number, TbEntry>();

  get(pc: number): TbEntry | undefined { return this.byPc.get(pc); }

  add(e: TbEntry): void {
    this.byPc.set(e.pc, e);
  }

  /** Drops everything. Code changes are rare (fence.i, munmap of code), so whole-cache flushes
   *  keep chaining simple: no chained TB can then reach a stale one. */
  clear(): void {
    this.byPc.clear();
  }

  get size(): number { return this.byPc.size; }
}
