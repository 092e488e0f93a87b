// Which physical pages hold translated code, shared by every hart's softmmu: the harts share one
// translation cache, so a store by any hart (or a device's DMA) to such a page must drop the
// blocks there, whichever hart translated them (qemu's tb_invalidate_phys_page).
import { PAGE_SIZE } from '../memory/guest-memory.js';

export class CodePages {
  /** One byte per physical page of the 4 GiB window: 1 once code there has been translated. */
  private readonly marked = new Uint8Array(2 ** 20);
  /** Pages with translated code written since the loop last looked: the loop drops their
   *  translations (a page is listed once, and unmarked). */
  readonly written: number[] = [];
  /** Called with a page's number when it gets translated code (each softmmu then sends stores
   *  to it through its helper again). */
  readonly onMark: ((page: number) => void)[] = [];

  /** Marks the physical page of a translated block, so that stores to it are noticed. */
  mark(pa: number): void {
    const page = Math.floor(pa / PAGE_SIZE);
    if (this.marked[page]) return;
    this.marked[page] = 1;
    for (const f of this.onMark) f(page);
  }

  has(pa: number): boolean {
    return this.marked[Math.floor(pa / PAGE_SIZE)] === 1;
  }

  /** A store to physical address pa: notes a page with translated code. */
  store(pa: number): void {
    const page = Math.floor(pa / PAGE_SIZE);
    if (this.marked[page]) {
      this.marked[page] = 0;
      this.written.push(page);
    }
  }

  /** A device wrote guest RAM (DMA): translated code there is stale, as after a store. */
  dmaWritten(pa: number, len: number): void {
    for (let p = Math.floor(pa / PAGE_SIZE); p <= Math.floor((pa + len - 1) / PAGE_SIZE); p++) this.store(p * PAGE_SIZE);
  }

  clear(): void {
    this.marked.fill(0);
    this.written.length = 0;
  }
}
