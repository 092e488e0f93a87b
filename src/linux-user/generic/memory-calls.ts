// The guest's address space: brk, mmap and friends over AddressSpace (the VMA list) and the
// protection table in GuestMemory. Every mapping stays inside the window below GUEST_LIMIT.
import { GUEST_LIMIT, PAGE_MASK, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageCeil } from '../../memory/guest-memory.js';
import { MMAP_MIN } from '../../memory/address-space.js';
import { E, SyscallError } from './errno.js';
import { MAP, MADV_DONTNEED, MREMAP_FIXED, MREMAP_MAYMOVE } from './mman-flags.js';
import { HostFile, MemFile, OpenFile } from './open-file.js';
import type { LinuxProcess } from './process.js';
import type { SyscallImpl } from './syscall-arch.js';
import { SharedFileMaps } from './shared-file-maps.js';
import type { SharedRegion } from './shared-pages.js';

const sharedMaps = new WeakMap<LinuxProcess, SharedFileMaps>();
function shared(p: LinuxProcess): SharedFileMaps {
  let m = sharedMaps.get(p);
  if (!m) sharedMaps.set(p, (m = new SharedFileMaps()));
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
  if (backing && type !== MAP.PRIVATE) shared(p).add(start, size, backing, offset);
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
  if (!(flags & MREMAP_FIXED)) {
    if (newSize <= oldSize) {
      if (newSize < oldSize) changing(p, old + newSize, oldSize - newSize, () => p.as.unmap(old + newSize, oldSize - newSize));
      return old;
    }
    if (old + newSize <= GUEST_LIMIT && p.as.isFree(old + oldSize, old + newSize)) {
      p.as.map(old + oldSize, newSize - oldSize, vma.prot, vma.name, vma.name ? vma.offset + (old + oldSize - vma.start) : 0, vma.shared);
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
  const bytes = p.mem.u8.slice(old, old + Math.min(oldSize, newSize));
  changing(p, dest, newSize, () => p.as.map(dest, newSize, vma.prot, vma.name, vma.name ? vma.offset + (old - vma.start) : 0, vma.shared));
  p.mem.writeRaw(dest, bytes);
  changing(p, old, oldSize, () => p.as.unmap(old, oldSize));
  return dest;
}

function madvise(p: LinuxProcess, addr: number, len: number, advice: number): number {
  checkRange(addr, len);
  if (advice !== MADV_DONTNEED) return 0;
  const end = addr + pageCeil(len);
  if (!p.as.isMapped(addr, end)) throw new SyscallError(E.NOMEM);
  // Private anonymous pages read back as zero afterwards. Shared pages keep their contents (the
  // other processes' view, or the file's); private file pages would be read from the file again
  // (not done: they keep what the process wrote).
  for (const v of p.as.vmas) {
    if (v.end <= addr || v.start >= end || v.shared || v.name.startsWith('/')) continue;
    const from = Math.max(v.start, addr);
    p.mem.zero(from, Math.min(v.end, end) - from);
  }
  return 0;
}

export const MEMORY_CALLS: Record<string, SyscallImpl> = {
  brk: { args: ['ptr'], ret: 'ptr', fn: brk },
  mmap: { args: ['ptr', 'ulong', 'prot', 'mapflags', 'fd', 'off'], ret: 'ptr', fn: mmap },
  munmap: { args: ['ptr', 'ulong'], fn: munmap },
  mprotect: { args: ['ptr', 'ulong', 'prot'], fn: mprotect },
  mremap: { args: ['ptr', 'ulong', 'ulong', 'hex', 'ptr'], straceRaw: true, fn: mremap },
  madvise: { args: ['ptr', 'ulong', 'madvice'], fn: madvise },
  msync: {
    args: ['ptr', 'ulong', 'int'],
    straceRaw: true,
    fn: (p, addr, len) => {
      checkRange(addr, len);
      shared(p).sync(p.mem, addr, addr + pageCeil(len));
      return 0;
    },
  },
};
