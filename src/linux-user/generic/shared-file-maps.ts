// MAP_SHARED file mappings. tsemu fills a file mapping by copying the file into guest memory, so
// the guest's stores reach the file when the guest asks for it (msync) or lets the mapping go
// (munmap, exit, execve). Between those points another reader of the file does not see them
// yet: Linux would. Only the bytes the guest changed go back (each mapping keeps the file's
// bytes as it last read or wrote them), so what another process wrote to the rest of the file
// meanwhile stays, and a mapping of a read-only descriptor, which cannot be written, writes
// nothing.
// A mapping holds a reference to the open file, as on Linux: closing the fd or unlinking the
// file does not end it.
import { GuestMemory, PAGE_SIZE, PROT_REMOTE, pageFloor } from '../../memory/guest-memory.js';
import { OpenFile } from './open-file.js';

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
}

export class SharedFileMaps {
  private maps: SharedMap[] = [];

  /** A new mapping at `start`, filled from the file already (`mem` holds its bytes). */
  add(mem: GuestMemory, start: number, len: number, file: OpenFile, offset: number): void {
    const size = Number(file.stat().size);
    file.refs++;
    const fileBytes = Math.max(0, Math.min(len, size - offset));
    this.maps.push({ start, end: start + len, file, offset, fileBytes, synced: mem.u8.slice(start, start + fileBytes) });
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
    const now = mem.u8;
    const was = m.synced;
    for (let a = from; a < to;) {
      if (now[a] === was[a - m.start]) { a++; continue; }
      let b = a + 1;
      while (b < to && now[b] !== was[b - m.start]) b++;
      m.file.write(now, a, b - a, m.offset + (a - m.start));
      was.set(now.subarray(a, b), a - m.start);
      a = b;
    }
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
  }
}
