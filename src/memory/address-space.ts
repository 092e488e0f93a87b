// The guest's mappings (the VMA list): what /proc/self/maps shows, what mmap, munmap, mprotect,
// mremap and brk change, and the allocator that places new mappings inside the window. The
// protection bytes in GuestMemory are the enforcement; this list is the bookkeeping.
import {
  GUEST_LIMIT, GuestMemory, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageCeil,
} from './guest-memory.js';

export interface Vma {
  start: number;
  end: number; // exclusive, page aligned
  prot: number;
  /** What /proc/self/maps prints in the path column: a file path, [heap], [stack], or ''. */
  name: string;
  /** File offset of `start` for file mappings, else 0. */
  offset: number;
  /** MAP_SHARED: a fork shares the pages with the child rather than copying them. */
  shared?: boolean;
}

/** Where new mappings go: top-down below the stack area, as Linux's default layout does. */
export const MMAP_TOP = 0xf0000000;
/** The initial stack's top (the stack itself grows down from here, above MMAP_TOP). */
export const STACK_TOP = 0xf8000000;
/** Lowest address mmap hands out without MAP_FIXED (vm.mmap_min_addr is 64 KiB on Linux). */
export const MMAP_MIN = 0x10000;

export class AddressSpace {
  /** Sorted, non-overlapping. */
  vmas: Vma[] = [];
  /** Program break bookkeeping: brk start (end of the loaded image) and the current break. */
  brkStart = 0;
  brk = 0;

  constructor(readonly mem: GuestMemory) {}

  /** Maps [start, start+len) with `prot`, replacing whatever was there, and zeroes it. */
  map(start: number, len: number, prot: number, name = '', offset = 0, shared = false): void {
    const end = start + pageCeil(len);
    this.unmapRange(start, end);
    this.mem.zero(start, end - start);
    this.mem.setProt(start, end - start, prot);
    this.insert(shared ? { start, end, prot, name, offset, shared } : { start, end, prot, name, offset });
  }

  /** Removes mappings in [start, end): their pages become inaccessible. */
  unmap(start: number, len: number): void {
    const end = start + pageCeil(len);
    this.unmapRange(start, end);
  }

  /** Changes protection of the mapped pages in [start, start+len); false if some page in the
   *  range is not mapped (mprotect's ENOMEM). */
  protect(start: number, len: number, prot: number): boolean {
    const end = start + pageCeil(len);
    if (!this.isMapped(start, end)) return false;
    const pieces = this.cut(start, end);
    for (const v of pieces) v.prot = prot;
    this.mem.setProt(start, end - start, prot, true);
    this.merge();
    return true;
  }

  /** True when every page of [start, end) belongs to some mapping. */
  isMapped(start: number, end: number): boolean {
    let at = start;
    for (const v of this.vmas) {
      if (v.end <= at) continue;
      if (v.start > at) return false;
      at = v.end;
      if (at >= end) return true;
    }
    return at >= end;
  }

  find(addr: number): Vma | undefined {
    return this.vmas.find((v) => addr >= v.start && addr < v.end);
  }

  /** Finds a free range of `len` bytes, top-down from MMAP_TOP (or at `hint` if it is free). */
  findFree(len: number, hint = 0): number | undefined {
    len = pageCeil(len);
    if (hint >= MMAP_MIN && hint % PAGE_SIZE === 0 && hint + len <= GUEST_LIMIT && this.isFree(hint, hint + len)) {
      return hint;
    }
    for (let i = this.vmas.length - 1; i >= -1; i--) {
      const lo = Math.max(i >= 0 ? this.vmas[i].end : 0, MMAP_MIN);
      const hi = Math.min(i + 1 < this.vmas.length ? this.vmas[i + 1].start : GUEST_LIMIT, MMAP_TOP);
      if (hi - lo >= len) return hi - len;
    }
    return undefined;
  }

  isFree(start: number, end: number): boolean {
    return !this.vmas.some((v) => v.start < end && v.end > start);
  }

  private insert(v: Vma): void {
    const i = this.vmas.findIndex((x) => x.start > v.start);
    this.vmas.splice(i < 0 ? this.vmas.length : i, 0, v);
    this.merge();
  }

  /** Splits mappings at start and end; returns the pieces inside [start, end). */
  private cut(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    const next: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= start || v.start >= end) { next.push(v); continue; }
      const fileOff = (a: number): number => (v.name && v.offset !== undefined ? v.offset + (a - v.start) : 0);
      if (v.start < start) next.push({ ...v, end: start });
      const inner = { ...v, start: Math.max(v.start, start), end: Math.min(v.end, end) };
      inner.offset = v.offset ? fileOff(inner.start) : 0;
      next.push(inner);
      out.push(inner);
      if (v.end > end) next.push({ ...v, start: end, offset: v.offset ? fileOff(end) : 0 });
    }
    this.vmas = next;
    return out;
  }

  private unmapRange(start: number, end: number): void {
    if (end <= start) return;
    const inside = this.cut(start, end);
    this.vmas = this.vmas.filter((v) => !inside.includes(v));
    this.mem.setProt(start, end - start, 0);
  }

  private merge(): void {
    const out: Vma[] = [];
    for (const v of this.vmas) {
      const last = out[out.length - 1];
      if (last && last.end === v.start && last.prot === v.prot && last.name === v.name && !v.name.startsWith('/') && !last.shared === !v.shared) {
        last.end = v.end;
      } else out.push(v);
    }
    this.vmas = out;
  }

  /** /proc/self/maps text. */
  formatMaps(): string {
    const hex = (n: number, w = 8): string => n.toString(16).padStart(w, '0');
    return this.vmas
      .map((v) => {
        const perms = (v.prot & PROT_READ ? 'r' : '-') + (v.prot & PROT_WRITE ? 'w' : '-') + (v.prot & PROT_EXEC ? 'x' : '-') + (v.shared ? 's' : 'p');
        const line = `${hex(v.start)}-${hex(v.end)} ${perms} ${hex(v.offset)} 00:00 0`;
        return v.name ? `${line.padEnd(73)}${v.name}\n` : `${line}\n`;
      })
      .join('');
  }
}
