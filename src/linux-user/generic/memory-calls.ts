// The guest's address space: brk, mmap and friends over AddressSpace (the VMA list) and the
// protection table in GuestMemory. Every mapping stays inside the window below GUEST_LIMIT.
import { GUEST_LIMIT, PAGE_MASK, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageCeil } from '../../memory/guest-memory.js';
import { MMAP_MIN, type Vma } from '../../memory/address-space.js';
import { E, SyscallError } from './errno.js';
import { MADV, MAP, MREMAP_FIXED, MREMAP_MAYMOVE, MS } from './mman-flags.js';
import { HostFile, MemFile, OpenFile } from './open-file.js';
import type { LinuxProcess } from './process.js';
import type { SyscallImpl } from './syscall-arch.js';
import { SharedFileMaps } from './shared-file-maps.js';
import type { SharedRegion } from './shared-pages.js';

const sharedMaps = new WeakMap<LinuxProcess, SharedFileMaps>();
function shared(p: LinuxProcess): SharedFileMaps {
  let m = sharedMaps.get(p);
  if (!m) sharedMaps.set(p, (m = new SharedFileMaps(p.mem)));
  return m;
}

// PROT_SEM and PROT_GROWSDOWN/UP are accepted and ignored (mman-common.h).
const PROT_ACCEPTED = 0x7 | 0x8 | 0x01000000 | 0x02000000;

function hasExec(p: LinuxProcess, start: number, len: number): boolean {
  const prot = p.mem.prot;
  for (let a = start; a < start + len; a += PAGE_SIZE) if (prot[a >>> 12] & PROT_EXEC) return true;
  return false;
}

/** Runs a change to [start, start+len) and tells the TB cache if it touched code. */
function changing<T>(p: LinuxProcess, start: number, len: number, change: () => T): T {
  const code = hasExec(p, start, len);
  const r = change();
  if (code && p.onCodeChange) p.onCodeChange(start, len);
  return r;
}

function checkRange(start: number, len: number): void {
  if (start & PAGE_MASK || start + len > GUEST_LIMIT) throw new SyscallError(E.INVAL);
}

function brk(p: LinuxProcess, addr: number): number {
  const as = p.as;
  if (addr <= as.brkStart || addr >= GUEST_LIMIT) return as.brk;
  const oldTop = pageCeil(as.brk);
  const newTop = pageCeil(addr);
  if (newTop > oldTop) {
    if (!as.isFree(oldTop, newTop)) return as.brk; // would run into another mapping
    as.map(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE, '[heap]');
  } else if (newTop < oldTop) {
    as.unmap(newTop, oldTop - newTop);
  }
  as.brk = addr;
  return addr;
}

/** The open file a mapping of fd would read (EACCES for what cannot be mapped). */
function mappable(p: LinuxProcess, fd: number): HostFile | MemFile {
  const file = p.fds.get(fd);
  if (!(file instanceof HostFile || file instanceof MemFile)) throw new SyscallError(E.ACCES);
  if ((file.flags & 3) === 1) throw new SyscallError(E.ACCES); // write-only
  return file;
}

/** Fills a file mapping at `start` (fresh, zeroed) with the file from `offset`, read straight
 *  into guest memory rather than through a buffer of its own (the dynamic loader maps each
 *  library whole, then each segment again). */
function fillFromFile(p: LinuxProcess, file: OpenFile, start: number, offset: number, len: number): void {
  const dst = p.mem.rawView(start, len);
  for (let n = 0; n < len;) {
    const got = file.read(dst, n, len - n, offset + n);
    if (got === 0) break;
    n += got;
  }
}

/** When the program ends (exit, a fatal signal, execve): its MAP_SHARED file mappings go, and
 *  what it stored in them reaches their files, as the kernel's page cache has it already. */
export function endMappings(p: LinuxProcess): void {
  // Released, not only synced: the mappings must no longer take the writes to their files
  // that other guests of this Node process make (an embedder runs one guest after another).
  sharedMaps.get(p)?.release(p.mem, 0, GUEST_LIMIT);
}

/** At each syscall while some shared file mapping was stored to: the stores reach the file
 *  (shared-file-maps.ts), so whatever the call does or tells sees them. */
export function syncStores(p: LinuxProcess): void {
  const maps = sharedMaps.get(p);
  if (maps) maps.syncWritten(p.mem);
  else p.mem.trackedWrites?.clear(); // a memory an earlier process used (tests reuse one)
}

/** Before a fork: the shared mappings become remote (shared-pages.ts), a file mapping over its
 *  file; returns the regions the child is to share. */
export function shareForFork(p: LinuxProcess): readonly SharedRegion[] {
  return p.sharedPages.share(p.as.vmas, (v) => shared(p).hostFileOf(p.mem, v.start, v.end));
}

function mmap(p: LinuxProcess, addr: number, len: number, prot: number, flags: number, fd: number, offset: number): number {
  const type = flags & MAP.TYPE;
  if (len === 0 || offset % PAGE_SIZE || offset < 0) throw new SyscallError(E.INVAL);
  if (type !== MAP.SHARED && type !== MAP.PRIVATE && type !== MAP.SHARED_VALIDATE) throw new SyscallError(E.INVAL);
  if (prot & ~PROT_ACCEPTED) throw new SyscallError(E.INVAL);
  if (len > GUEST_LIMIT) throw new SyscallError(E.NOMEM);
  const size = pageCeil(len);
  const anon = (flags & MAP.ANONYMOUS) !== 0;
  // Read the file first so a bad fd fails before anything is unmapped. MAP_SHARED file mappings
  // are copies too: shared-file-maps.ts writes them back at msync and munmap.
  const backing = anon ? undefined : mappable(p, fd);
  let start: number;
  if (flags & (MAP.FIXED | MAP.FIXED_NOREPLACE)) {
    if (addr & PAGE_MASK) throw new SyscallError(E.INVAL);
    if (addr + size > GUEST_LIMIT) throw new SyscallError(E.NOMEM);
    if (addr < MMAP_MIN) throw new SyscallError(E.PERM);
    if (flags & MAP.FIXED_NOREPLACE && !p.as.isFree(addr, addr + size)) throw new SyscallError(E.EXIST);
    start = addr;
  } else {
    const at = p.as.findFree(size, pageCeil(addr)); // PAGE_ALIGN rounds a hint up (mm/mmap.c)
    if (at === undefined) throw new SyscallError(E.NOMEM);
    start = at;
  }
  shared(p).release(p.mem, start, start + size);
  p.sharedPages.release(start, start + size);
  changing(p, start, size, () => p.as.map(start, size, prot & 7, backing?.path ?? '', backing ? offset : 0, type !== MAP.PRIVATE));
  if (backing) fillFromFile(p, backing, start, offset, size);
  if (backing && type !== MAP.PRIVATE) shared(p).add(p.mem, start, size, backing, offset);
  return start;
}

function munmap(p: LinuxProcess, addr: number, len: number): number {
  if (len === 0) throw new SyscallError(E.INVAL);
  checkRange(addr, len);
  shared(p).release(p.mem, addr, addr + pageCeil(len));
  p.sharedPages.release(addr, addr + pageCeil(len));
  changing(p, addr, pageCeil(len), () => p.as.unmap(addr, len));
  return 0;
}

function mprotect(p: LinuxProcess, addr: number, len: number, prot: number): number {
  checkRange(addr, len);
  if (prot & ~PROT_ACCEPTED) throw new SyscallError(E.INVAL);
  if (len === 0) return 0;
  if (!changing(p, addr, pageCeil(len), () => p.as.protect(addr, len, prot & 7))) throw new SyscallError(E.NOMEM);
  return 0;
}

function mremap(p: LinuxProcess, old: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  if (old & PAGE_MASK || newLen === 0 || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) throw new SyscallError(E.INVAL);
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) throw new SyscallError(E.INVAL);
  const oldSize = pageCeil(oldLen);
  const newSize = pageCeil(newLen);
  const vma = p.as.find(old);
  if (!vma || old + oldSize > vma.end) throw new SyscallError(E.FAULT);
  // A shared file mapping stays one where it goes (shared-file-maps.ts), and a part it gains
  // holds the file's bytes.
  const fileMap = vma.shared ? shared(p).fileAt(old) : undefined;
  if (!(flags & MREMAP_FIXED)) {
    if (newSize <= oldSize) {
      if (newSize < oldSize) {
        shared(p).release(p.mem, old + newSize, old + oldSize);
        p.sharedPages.release(old + newSize, old + oldSize);
        changing(p, old + newSize, oldSize - newSize, () => p.as.unmap(old + newSize, oldSize - newSize));
      }
      return old;
    }
    if (old + newSize <= GUEST_LIMIT && p.as.isFree(old + oldSize, old + newSize)) {
      p.as.map(old + oldSize, newSize - oldSize, vma.prot, vma.name, vma.name ? vma.offset + (old + oldSize - vma.start) : 0, vma.shared);
      if (fileMap) mapFilePart(p, fileMap.file, old + oldSize, fileMap.offset + oldSize, newSize - oldSize);
      return old;
    }
    if (!(flags & MREMAP_MAYMOVE)) throw new SyscallError(E.NOMEM);
  }
  let dest: number;
  if (flags & MREMAP_FIXED) {
    checkRange(newAddr, newSize);
    if (newAddr < old + oldSize && old < newAddr + newSize) throw new SyscallError(E.INVAL);
    dest = newAddr;
  } else {
    const at = p.as.findFree(newSize);
    if (at === undefined) throw new SyscallError(E.NOMEM);
    dest = at;
  }
  // What the old place stored goes to the file first: the new place starts from the file's bytes.
  if (fileMap) shared(p).sync(p.mem, old, old + oldSize);
  shared(p).release(p.mem, dest, dest + newSize);
  p.sharedPages.release(dest, dest + newSize);
  const bytes = p.mem.u8.slice(old, old + Math.min(oldSize, newSize));
  changing(p, dest, newSize, () => p.as.map(dest, newSize, vma.prot, vma.name, vma.name ? vma.offset + (old - vma.start) : 0, vma.shared));
  p.mem.writeRaw(dest, bytes);
  if (fileMap) mapFilePart(p, fileMap.file, dest, fileMap.offset, newSize, Math.min(oldSize, newSize));
  shared(p).release(p.mem, old, old + oldSize);
  changing(p, old, oldSize, () => p.as.unmap(old, oldSize));
  return dest;
}

/** A shared file mapping of `file` from `offset` at [start, start + len), whose first `filled`
 *  bytes hold its contents already: the rest is read from the file. */
function mapFilePart(p: LinuxProcess, file: OpenFile, start: number, offset: number, len: number, filled = 0): void {
  if (len > filled) fillFromFile(p, file, start + filled, offset + filled, len - filled);
  shared(p).add(p.mem, start, len, file, offset);
}

const KNOWN_ADVICE = new Set<number>(Object.values(MADV));

/** Checks a madvise/mincore/msync range as the kernel does (page-aligned start, EINVAL; no
 *  wrap-around past the window, ENOMEM) and gives its page-rounded end. */
function adviceRange(start: number, len: number): number {
  if (start & PAGE_MASK || len < 0) throw new SyscallError(E.INVAL);
  const end = start + pageCeil(len);
  if (end > GUEST_LIMIT) throw new SyscallError(E.NOMEM);
  return end;
}

/** The mapped parts of [start, end) with their mapping, and whether all of it is mapped. */
function mappedParts(p: LinuxProcess, start: number, end: number): { parts: [Vma, number, number][]; whole: boolean } {
  const parts: [Vma, number, number][] = [];
  for (const v of p.as.vmas) {
    if (v.end > start && v.start < end) parts.push([v, Math.max(v.start, start), Math.min(v.end, end)]);
  }
  return { parts, whole: p.as.isMapped(start, end) };
}

/** Reads a private file mapping's pages [from, to) from its file again, as the kernel faults
 *  them in after MADV_DONTNEED (the bytes past the end of the file read as zero). The file is
 *  opened again by name: a file renamed or removed since the mmap reads as zeros. */
function refill(p: LinuxProcess, v: Vma, from: number, to: number): void {
  p.mem.zero(from, to - from);
  let fd: number;
  try {
    fd = p.fs.openSync(v.name, 'r');
  } catch {
    return;
  }
  try {
    const dst = p.mem.rawView(from, to - from);
    const pos = v.offset + (from - v.start);
    for (let n = 0; n < dst.length;) {
      const got = p.fs.readSync(fd, dst, n, dst.length - n, pos + n);
      if (got === 0) break;
      n += got;
    }
  } finally {
    p.fs.closeSync(fd);
  }
}

/** madvise (mm/madvise.c). DONTNEED: private anonymous pages read back as zero, private file
 *  pages as the file holds them, shared pages keep theirs (the other processes' or the file's).
 *  FREE (private anonymous only): the pages may keep their contents, which is what they do
 *  here. REMOVE (shared writable only): the backing is freed, so the pages read back as zero,
 *  in the file too for a file mapping. The other advice changes nothing the guest can see.
 *  As the kernel, it applies to the mapped parts of the range and then says ENOMEM for a hole. */
function madvise(p: LinuxProcess, addr: number, len: number, advice: number): number {
  if (!KNOWN_ADVICE.has(advice)) throw new SyscallError(E.INVAL);
  const end = adviceRange(addr, len);
  const { parts, whole } = mappedParts(p, addr, end);
  for (const [v] of parts) {
    const file = v.name.startsWith('/');
    if (advice === MADV.FREE && (v.shared || file)) throw new SyscallError(E.INVAL);
    if (advice === MADV.REMOVE && !(v.shared && v.prot & PROT_WRITE)) throw new SyscallError(E.ACCES);
  }
  for (const [v, from, to] of parts) {
    if (advice === MADV.DONTNEED && !v.shared) {
      if (v.name.startsWith('/')) refill(p, v, from, to);
      else p.mem.zero(from, to - from);
    } else if (advice === MADV.REMOVE) {
      // Through the checked writer: a page shared with a forked process is written where its
      // bytes live (shared-pages.ts); a file mapping's zeros then go to its file.
      const zeros = new Uint8Array(PAGE_SIZE);
      for (let a = from; a < to; a += PAGE_SIZE) p.mem.write(a, zeros);
      shared(p).sync(p.mem, from, to);
    }
  }
  if (!whole) throw new SyscallError(E.NOMEM);
  return 0;
}

/** mincore (mm/mincore.c): a byte per page of the range, bit 0 set when the page is resident.
 *  Guest memory has no swap: every mapped page says resident. */
function mincore(p: LinuxProcess, addr: number, len: number, vec: number): number {
  const end = adviceRange(addr, len);
  if (!p.as.isMapped(addr, end)) throw new SyscallError(E.NOMEM);
  p.mem.write(vec, new Uint8Array((end - addr) / PAGE_SIZE).fill(1));
  return 0;
}

/** msync (mm/msync.c): writes shared file mappings back (they are copies: shared-file-maps.ts),
 *  with the kernel's checks of flags and range. */
function msync(p: LinuxProcess, addr: number, len: number, flags: number): number {
  if (flags & ~(MS.ASYNC | MS.INVALIDATE | MS.SYNC) || (flags & MS.ASYNC && flags & MS.SYNC)) throw new SyscallError(E.INVAL);
  const end = adviceRange(addr, len);
  shared(p).sync(p.mem, addr, end);
  if (!p.as.isMapped(addr, end)) throw new SyscallError(E.NOMEM);
  return 0;
}

export const MEMORY_CALLS: Record<string, SyscallImpl> = {
  brk: { args: ['ptr'], ret: 'ptr', fn: brk },
  mmap: { args: ['ptr', 'ulong', 'prot', 'mapflags', 'fd', 'off'], ret: 'ptr', fn: mmap },
  munmap: { args: ['ptr', 'ulong'], fn: munmap },
  mprotect: { args: ['ptr', 'ulong', 'prot'], fn: mprotect },
  mremap: { args: ['ptr', 'ulong', 'ulong', 'hex', 'ptr'], straceRaw: true, fn: mremap },
  madvise: { args: ['ptr', 'ulong', 'madvice'], fn: madvise },
  mincore: { args: ['ptr', 'ulong', 'ptr'], straceRaw: true, fn: mincore },
  msync: { args: ['ptr', 'ulong', 'int'], straceRaw: true, fn: msync },
};
