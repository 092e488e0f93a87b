// MAP_SHARED file mappings. tsemu fills a file mapping by copying the file into guest memory
// (Node cannot map a file into the wasm memory), so the copy and the file are kept in step by
// hand, as Linux's one page cache keeps them in step by itself:
//   - stores through the mapping: the pages of a mapping of a writable fd are tracked
//     (PROT_TRACK in src/memory): the first store into one faults and notes the page, and at the
//     process's next syscall the noted pages' changed bytes go to the file and the pages are
//     tracked again (syncWritten). Whatever can learn of a store after it (this process's own
//     read(2), a pipe write to another process, its exit seen by a wait) comes after a syscall,
//     so it finds the file written. msync, munmap, exit, execve and a fork write back too.
//   - writes to the file (write(2), pwrite(2)... through any fd of a host file, in this Node
//     process): fileWritten puts the bytes into every mapping of that file.
// What is not covered: another host process's write(2) to the file (a process exec'd or forked
// earlier; a fork after the mmap shares the pages through the file: shared-pages.ts) shows in a
// mapping only where it is a remote page; a change of the file's size (ftruncate) does not
// change how much of a mapping is the file's; a store made by one thread while another's
// syscall writes the page back may wait for the next store to the page, or the mapping's end.
// Only the bytes the guest changed go back (each mapping keeps the file's bytes as it last read
// or wrote them), so what another process wrote to the rest of the file meanwhile stays, and a
// mapping of a read-only descriptor, which cannot be written, writes nothing.
// A mapping holds a reference to the open file, as on Linux: closing the fd or unlinking the
// file does not end it.
import { GuestMemory, PAGE_SIZE, PROT_REMOTE, pageCeil, pageFloor } from '../../memory/guest-memory.js';
import type { OpenFile } from './open-file.js';

/** open(2)'s access mode bits and the read-only one (the same on every arch). */
const O_ACCMODE = 3;
const O_RDONLY = 0;

interface SharedMap {
  start: number;
  end: number;
  file: OpenFile;
  /** File offset of `start`. */
  offset: number;
  /** Bytes of the mapping that lie within the file (pages past EOF never reach it). */
  fileBytes: number;
  /** The file's bytes at [offset, offset + fileBytes) as last read or written back. */
  synced: Uint8Array;
  /** Which file it is (device and inode), to find the mappings a write to the file reaches. */
  id: string;
}

/** The SharedFileMaps that have mappings, of every guest process this Node process runs: a
 *  write to a file reaches the mappings of it in all of them. */
const live = new Set<SharedFileMaps>();
/** The mapping whose bytes are being written back: they are its own already. */
let writingBack: SharedMap | undefined;
const fileIds = new WeakMap<OpenFile, string>();

function fileId(file: OpenFile): string {
  let id = fileIds.get(file);
  if (id === undefined) {
    const st = file.stat();
    fileIds.set(file, (id = `${st.dev}:${st.ino}`));
  }
  return id;
}

/** A guest's write put `bytes` at `pos` of `file`: the shared mappings of the file show them. */
export function fileWritten(file: OpenFile, pos: number, bytes: Uint8Array): void {
  if (live.size === 0 || bytes.length === 0) return;
  const id = fileId(file);
  for (const maps of live) maps.written(id, pos, bytes);
}

export class SharedFileMaps {
  private maps: SharedMap[] = [];

  constructor(private readonly mem: GuestMemory) {}

  /** A new mapping at `start`, filled from the file already (`mem` holds its bytes). Its pages
   *  in the file are tracked when the fd can write the file (the first store is noted). */
  add(mem: GuestMemory, start: number, len: number, file: OpenFile, offset: number): void {
    const st = file.stat();
    file.refs++;
    const fileBytes = Math.max(0, Math.min(len, Number(st.size) - offset));
    this.maps.push({ start, end: start + len, file, offset, fileBytes, synced: mem.u8.slice(start, start + fileBytes), id: `${st.dev}:${st.ino}` });
    fileIds.set(file, `${st.dev}:${st.ino}`);
    live.add(this);
    if ((file.flags & O_ACCMODE) !== O_RDONLY && fileBytes > 0) {
      mem.trackedWrites ??= new Set();
      mem.track(start, start + pageCeil(fileBytes));
    }
  }

  /** At a syscall (and before an access to a page shared with another process): the pages
   *  stored to since the last time are tracked again and write their changed bytes back. */
  syncWritten(mem: GuestMemory): void {
    const pages = mem.trackedWrites;
    if (!pages || pages.size === 0) return;
    // In address order, consecutive pages together: a run of changed bytes that crosses pages
    // is one host write (a memset over a large mapping: one write, not one a page).
    const sorted = Float64Array.from(pages).sort();
    pages.clear();
    for (let i = 0; i < sorted.length;) {
      let j = i + 1;
      while (j < sorted.length && sorted[j] === sorted[j - 1] + 1) j++;
      const from = sorted[i] * PAGE_SIZE, to = (sorted[j - 1] + 1) * PAGE_SIZE;
      i = j;
      for (const m of this.maps) {
        const a = Math.max(m.start, from), b = Math.min(m.start + m.fileBytes, to);
        if (a >= b || (m.file.flags & O_ACCMODE) === O_RDONLY) continue;
        // Tracked again first, so that a store meanwhile (another thread's) faults again rather
        // than going unnoticed; pages shared with a forked process are the file's already.
        for (let pa = pageFloor(a); pa < b; pa += PAGE_SIZE) {
          if (mem.pageProt(pa) & PROT_REMOTE) continue;
          mem.track(pa, pa + PAGE_SIZE);
        }
        for (let pa = pageFloor(a); pa < b;) {
          if (mem.pageProt(pa) & PROT_REMOTE) { pa += PAGE_SIZE; continue; }
          let pb = pa + PAGE_SIZE;
          while (pb < b && !(mem.pageProt(pb) & PROT_REMOTE)) pb += PAGE_SIZE;
          this.writeChanged(mem, m, Math.max(pa, a), Math.min(pb, b));
          pa = pb;
        }
      }
    }
  }

  /** `bytes` went to the file `id` at `pos`: the mappings of it show them, and they are what
   *  the file has there (no write-back). A page shared with a forked process is the file's
   *  bytes already. */
  written(id: string, pos: number, bytes: Uint8Array): void {
    const mem = this.mem;
    for (const m of this.maps) {
      if (m.id !== id || m === writingBack) continue;
      const from = Math.max(pos, m.offset), to = Math.min(pos + bytes.length, m.offset + m.fileBytes);
      for (let f = from; f < to;) {
        const addr = m.start + (f - m.offset);
        const next = Math.min(to, f + (pageFloor(addr) + PAGE_SIZE - addr));
        if (!(mem.pageProt(addr) & PROT_REMOTE)) {
          const part = bytes.subarray(f - pos, next - pos);
          mem.rawView(addr, part.length).set(part);
          m.synced.set(part, f - m.offset);
        }
        f = next;
      }
    }
  }

  /** Writes the parts of [start, end) that belong to shared file mappings back to their files.
   *  Remote pages (shared-pages.ts: the mapping is shared with a forked process) are the file's
   *  bytes already. */
  sync(mem: GuestMemory, start: number, end: number): void {
    for (const m of this.maps) {
      if ((m.file.flags & O_ACCMODE) === O_RDONLY) continue;
      const from = Math.max(m.start, start);
      const to = Math.min(m.start + m.fileBytes, end);
      for (let a = from; a < to;) {
        const next = Math.min(to, pageFloor(a) + PAGE_SIZE);
        if (!(mem.pageProt(a) & PROT_REMOTE)) this.writeChanged(mem, m, a, next);
        a = next;
      }
    }
  }

  /** Writes the runs of [from, to) that differ from what the file had, and notes them. */
  private writeChanged(mem: GuestMemory, m: SharedMap, from: number, to: number): void {
    // Views of just the range: indexing the whole 4 GiB array, a byte at a time, was most of
    // the cost of a page's write-back; equal words are skipped four bytes at a time.
    const now = mem.u8.subarray(from, to);
    const was = m.synced.subarray(from - m.start, to - m.start);
    const n = to - from;
    const words = n >>> 2;
    const aligned = (now.byteOffset & 3) === 0 && (was.byteOffset & 3) === 0;
    const now32 = aligned ? new Uint32Array(now.buffer, now.byteOffset, words) : undefined;
    const was32 = aligned ? new Uint32Array(was.buffer, was.byteOffset, words) : undefined;
    for (let i = 0; i < n;) {
      if (now32 && !(i & 3) && i >>> 2 < words && now32[i >>> 2] === was32![i >>> 2]) { i += 4; continue; }
      if (now[i] === was[i]) { i++; continue; }
      let j = i + 1;
      while (j < n && now[j] !== was[j]) j++;
      writingBack = m;
      try {
        m.file.write(now, i, j - i, m.offset + (from + i - m.start));
      } finally {
        writingBack = undefined;
      }
      was.set(now.subarray(i, j), i);
      i = j;
    }
  }

  /** The file and file offset of the shared file mapping that holds `addr`, if any. */
  fileAt(addr: number): { file: OpenFile; offset: number } | undefined {
    const m = this.maps.find((x) => x.start <= addr && addr < x.end);
    return m && { file: m.file, offset: m.offset + (addr - m.start) };
  }

  /** For a fork that shares [start, end): syncs it and gives the host fd of its file and the
   *  file offset of `start`, when it is a shared file mapping over a host file. */
  hostFileOf(mem: GuestMemory, start: number, end: number): { fd: number; offset: number } | undefined {
    const m = this.maps.find((x) => x.start <= start && x.end >= end);
    if (!m) return undefined;
    let fd: number;
    try {
      fd = m.file.hostFd();
    } catch {
      return undefined;
    }
    this.sync(mem, start, end);
    return { fd, offset: m.offset + (start - m.start) };
  }

  /** Syncs [start, end), then forgets it (munmap, or a new mapping over it). */
  release(mem: GuestMemory, start: number, end: number): void {
    this.sync(mem, start, end);
    const kept: SharedMap[] = [];
    for (const m of this.maps) {
      if (m.end <= start || m.start >= end) { kept.push(m); continue; }
      const pieces = (m.start < start ? 1 : 0) + (m.end > end ? 1 : 0);
      m.file.refs += pieces - 1;
      if (m.file.refs === 0) m.file.release();
      if (m.start < start) {
        const fileBytes = Math.min(m.fileBytes, start - m.start);
        kept.push({ ...m, end: start, fileBytes, synced: m.synced.subarray(0, fileBytes) });
      }
      if (m.end > end) {
        const cut = end - m.start;
        kept.push({ ...m, start: end, offset: m.offset + cut, fileBytes: Math.max(0, m.fileBytes - cut), synced: m.synced.subarray(cut) });
      }
    }
    this.maps = kept;
    if (kept.length === 0) live.delete(this);
  }
}
