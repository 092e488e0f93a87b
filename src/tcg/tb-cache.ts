// The TB cache: guest pc -> translated block, with the page index invalidation needs.
import { TbCode } from './backend.js';
import { PAGE_SHIFT } from '../memory/guest-memory.js';

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
  /** Pages that hold translated code (a block never spans more than two pages). */
  private readonly codePages = new Set<number>();

  get(pc: number): TbEntry | undefined { return this.byPc.get(pc); }

  add(e: TbEntry): void {
    this.byPc.set(e.pc, e);
    const last = e.pc + Math.max(e.size, 1) - 1;
    for (let p = e.pc >>> PAGE_SHIFT; p <= last >>> PAGE_SHIFT; p++) this.codePages.add(p);
  }

  /** True when [start, start+len) overlaps a page holding translated code. */
  holdsCode(start: number, len: number): boolean {
    for (let p = start >>> PAGE_SHIFT; p <= (start + len - 1) >>> PAGE_SHIFT; p++) {
      if (this.codePages.has(p)) return true;
    }
    return false;
  }

  /** Drops everything. Code changes are rare (fence.i, munmap of code), so whole-cache flushes
   *  keep chaining simple: no chained TB can then reach a stale one. */
  clear(): void {
    this.byPc.clear();
    this.codePages.clear();
  }

  get size(): number { return this.byPc.size; }
}
