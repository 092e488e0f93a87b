// MAP_SHARED file mappings. tsemu fills a file mapping by copying the file into guest memory, so
// the guest's stores reach the file when the guest asks for it (msync) or lets the mapping go
// (munmap). Between those points another reader of the file does not see them yet: Linux would.
// A mapping holds a reference to the open file, as on Linux: closing the fd or unlinking the
// file does not end it.
import { GuestMemory, PAGE_SIZE, PROT_REMOTE, pageFloor } from '../../memory/guest-memory.js';
import { OpenFile } from './open-file.js';

interface SharedMap {
  start: number;
  end: number;
  file: OpenFile;
  /** File offset of `start`. */
  offset: number;
  /** Bytes of the mapping that lie within the file (pages past EOF never reach it). */
  fileBytes: number;
}

export class SharedFileMaps {
  private maps: SharedMap[] = [];

  add(start: number, len: number, file: OpenFile, offset: number): void {
    const size = Number(file.stat().size);
    file.refs++;
    this.maps.push({ start, end: start + len, file, offset, fileBytes: Math.max(0, Math.min(len, size - offset)) });
  }

  /** Writes the parts of [start, end) that belong to shared file mappings back to their files.
   *  Remote pages (shared-pages.ts: the mapping is shared with a forked process) are the file's
   *  bytes already. */
  sync(mem: GuestMemory, start: number, end: number): void {
    for (const m of this.maps) {
      const from = Math.max(m.start, start);
      const to = Math.min(m.start + m.fileBytes, end);
      for (let a = from; a < to;) {
        const next = Math.min(to, pageFloor(a) + PAGE_SIZE);
        if (!(mem.pageProt(a) & PROT_REMOTE)) m.file.write(mem.u8, a, next - a, m.offset + (a - m.start));
        a = next;
      }
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
      if (m.start < start) kept.push({ ...m, end: start, fileBytes: Math.min(m.fileBytes, start - m.start) });
      if (m.end > end) {
        const cut = end - m.start;
        kept.push({ ...m, start: end, offset: m.offset + cut, fileBytes: Math.max(0, m.fileBytes - cut) });
      }
    }
    this.maps = kept;
  }
}
