// MAP_SHARED memory across fork. Node cannot map a file into the wasm memory, so each process
// keeps its own copy of the pages; once a fork has made two processes share a mapping, its bytes
// live in a file both hold (a deleted temporary file for anonymous memory, the mapped file
// itself for a file mapping), and the pages become remote (PROT_REMOTE in src/memory): no access
// passes the checks, and each one is served from the file:
//   - guest code: the fault path (emulate) reads the touched pages from the file, opens them,
//     runs the one instruction interpreted, closes them and writes back the bytes it changed;
//   - syscalls: the memory's accessors pull a page from the file when a call touches it, and the
//     pages a call wrote go back, changed bytes only, when it returns (flush).
// So each process sees the other's stores at its next access, as with real shared memory. An
// instruction's access is atomic across the processes: it runs holding a lock that all the
// processes sharing the file take (FileLock), so an AMO, an LR/SC pair's SC or an LDREX/STREX's
// STREX on a shared counter loses no update. What this does not give: atomicity of a syscall's
// accesses (its pages are read when it touches them and written back when it returns), and
// futex wake-ups across processes (a futex wait on a remote page looks at its word every ms
// instead). Each access costs a few host syscalls, so shared pages are slow pages.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MemFaultInfo } from '../../tcg/cpu-exec.js';
import { ExitReason, FaultKind } from '../../tcg/ir.js';
import {
  GuestMemory, PAGE_SHIFT, PAGE_SIZE, PROT_READ, PROT_REMOTE, PROT_WRITE, PageBacking, grantedProt,
} from '../../memory/guest-memory.js';
import type { Vma } from '../../memory/address-space.js';

/** A range of remote pages and where its bytes are. */
export interface SharedRegion {
  start: number;
  end: number;
  /** Host fd of the backing file, and the file offset of `start`. */
  fd: number;
  offset: number;
}


/** The temporary files behind anonymous shared memory: tmpfs where there is one. */
function backingDir(): string {
  return fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
}

/** A description of its own for the file at host fd `fd` (closing the guest's fd must not end
 *  the mapping): read-write if the file allows, else read-only (a PROT_READ mapping). */
function reopen(fd: number): number {
  try {
    return fs.openSync(`/proc/self/fd/${fd}`, 'r+');
  } catch {
    return fs.openSync(`/proc/self/fd/${fd}`, 'r');
  }
}

/** How long a lock may be held before it is taken for the leftover of a process that died
 *  holding it: an access holds it for a few syscalls. */
const STALE_LOCK_MS = 2000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** A lock between processes over one backing file: a directory beside the shared memory files,
 *  named for the file's device and inode (every process sharing the file derives the same
 *  name). mkdir is atomic, so whoever creates it holds the lock; Node has no flock. */
class FileLock {
  private readonly path: string;
  constructor(fd: number) {
    const st = fs.fstatSync(fd);
    this.path = path.join(backingDir(), `tsemu-lock-${st.dev}-${st.ino}`);
  }

  acquire(): void {
    for (let waited = 0; ; waited++) {
      try {
        fs.mkdirSync(this.path);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (waited % 1000 === 999) this.breakIfStale();
      Atomics.wait(pause, 0, 0, 0.02);
    }
  }

  release(): void {
    fs.rmdirSync(this.path);
  }

  private breakIfStale(): void {
    try {
      if (Date.now() - fs.statSync(this.path).mtimeMs > STALE_LOCK_MS) fs.rmdirSync(this.path);
    } catch {
      // Released meanwhile.
    }
  }
}

export class SharedPages implements PageBacking {
  private regions: SharedRegion[] = [];
  /** Pages a syscall pulled, with their bytes as pulled when pulled for writing. */
  private readonly pulled = new Map<number, Uint8Array | undefined>();
  /** How many regions use each backing fd (closed with the last). */
  private readonly fdUsers = new Map<number, number>();
  /** The cross-process lock of each backing fd. */
  private readonly locks = new Map<number, FileLock>();

  constructor(private readonly mem: GuestMemory) {
    mem.backing = this;
  }

  get all(): readonly SharedRegion[] { return this.regions; }

  /** Makes [start, end) remote, backed by `fd` from `offset`. */
  add(r: SharedRegion): void {
    this.regions.push(r);
    this.fdUsers.set(r.fd, (this.fdUsers.get(r.fd) ?? 0) + 1);
    this.mem.setRemote(r.start, r.end, true);
  }

  /** Before a fork: every shared mapping that is not remote yet becomes remote, over its file
   *  (`fileOf` syncs it and gives a host fd and the mapping's offset) or, for anonymous memory
   *  or a file with no host fd, over a new deleted file holding its current bytes. Returns the
   *  regions the child shares. */
  share(vmas: Vma[], fileOf: (v: Vma) => { fd: number; offset: number } | undefined): readonly SharedRegion[] {
    for (const v of vmas) {
      if (!v.shared || this.regions.some((r) => r.start < v.end && r.end > v.start)) continue;
      const file = fileOf(v);
      if (file) {
        this.add({ start: v.start, end: v.end, fd: reopen(file.fd), offset: file.offset });
        continue;
      }
      const name = path.join(backingDir(), `tsemu-shm-${process.pid}-${v.start.toString(16)}`);
      const fd = fs.openSync(name, 'w+', 0o600);
      fs.unlinkSync(name);
      // Only the pages ever touched can hold non-zero bytes: the rest stays a hole of the file
      // (a large reservation costs nothing), and the file's length is the mapping's.
      for (const [from, to] of this.mem.usedRuns(v.start, v.end)) fs.writeSync(fd, this.mem.u8, from, to - from, from - v.start);
      fs.ftruncateSync(fd, v.end - v.start);
      this.add({ start: v.start, end: v.end, fd, offset: 0 });
    }
    return this.regions;
  }

  /** munmap, or a new mapping over [start, end): those pages are local again. */
  release(start: number, end: number): void {
    const kept: SharedRegion[] = [];
    for (const r of this.regions) {
      if (r.end <= start || r.start >= end) { kept.push(r); continue; }
      if (r.start < start) kept.push({ ...r, end: start });
      if (r.end > end) kept.push({ ...r, start: end, offset: r.offset + (end - r.start) });
      const users = (this.fdUsers.get(r.fd) ?? 1) - 1 + (r.start < start ? 1 : 0) + (r.end > end ? 1 : 0);
      if (users > 0) this.fdUsers.set(r.fd, users);
      else {
        this.fdUsers.delete(r.fd);
        this.locks.delete(r.fd);
        fs.closeSync(r.fd);
      }
    }
    this.regions = kept;
    this.mem.setRemote(start, end, false);
  }

  private regionOf(page: number): SharedRegion | undefined {
    const addr = page * PAGE_SIZE;
    return this.regions.find((r) => addr >= r.start && addr < r.end);
  }

  /** Reads page `page` from its file into memory; returns its bytes as read. */
  private load(page: number): Uint8Array {
    const r = this.regionOf(page)!;
    const at = page * PAGE_SIZE;
    const n = fs.readSync(r.fd, this.mem.u8, at, PAGE_SIZE, r.offset + at - r.start);
    // Past the file's end a shared file mapping reads as zeros (the kernel gives SIGBUS there).
    if (n < PAGE_SIZE) this.mem.u8.fill(0, at + n, at + PAGE_SIZE);
    return this.mem.u8.slice(at, at + PAGE_SIZE);
  }

  /** Writes back the bytes of page `page` that differ from `before`. */
  private store(page: number, before: Uint8Array): void {
    const r = this.regionOf(page)!;
    const at = page * PAGE_SIZE;
    const now = this.mem.u8.subarray(at, at + PAGE_SIZE);
    for (let i = 0; i < PAGE_SIZE;) {
      if (now[i] === before[i]) { i++; continue; }
      let j = i + 1;
      while (j < PAGE_SIZE && now[j] !== before[j]) j++;
      fs.writeSync(r.fd, now, i, j - i, r.offset + at + i - r.start);
      i = j;
    }
  }

  pull(page: number, write: boolean): void {
    if (!this.pulled.has(page)) {
      const before = this.load(page);
      this.pulled.set(page, write ? before : undefined);
    } else if (write && !this.pulled.get(page)) {
      // Pulled for reading earlier in this call: nothing was written since.
      this.pulled.set(page, this.mem.u8.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE));
    }
  }

  /** After a syscall: what it wrote into remote pages goes to their files. */
  flush(): void {
    if (this.pulled.size === 0) return;
    for (const [page, before] of this.pulled) if (before && this.regionOf(page)) this.store(page, before);
    this.pulled.clear();
  }

  /** A vCPU faulted on `addr` (an access of FaultKind `kind`): if the page is remote and grants
   *  the access, runs the instruction (`step`, which gives its exit and, for a MemFault, the
   *  fault's address and kind) over the file's bytes and says undefined; else the address of
   *  the fault to report. */
  emulate(addr: number, kind: number, step: () => { exit: ExitReason } & MemFaultInfo): number | undefined {
    const opened = new Map<number, Uint8Array>();
    const region = this.mem.prot[addr >>> PAGE_SHIFT] & PROT_REMOTE ? this.regionOf(addr >>> PAGE_SHIFT) : undefined;
    const lock = region && this.lockOf(region.fd);
    lock?.acquire();
    try {
      for (;;) {
        const page = addr >>> PAGE_SHIFT;
        const b = this.mem.prot[page];
        // Reads and writes only: code is not run from remote pages.
        const need = kind === FaultKind.Write ? PROT_WRITE : kind === FaultKind.Read ? PROT_READ : 0;
        if (!need || !(b & PROT_REMOTE) || opened.has(page) || !(grantedProt(b) & need)) return addr;
        opened.set(page, this.load(page));
        this.mem.setRemote(page * PAGE_SIZE, (page + 1) * PAGE_SIZE, false);
        const r = step();
        if (r.exit !== ExitReason.MemFault) return undefined;
        // The instruction touched another page too (it crosses into it, or it moves several
        // words): open that one as well and run it again (nothing of it took effect).
        addr = r.addr;
        kind = r.kind;
      }
    } finally {
      for (const [page, before] of opened) {
        this.store(page, before);
        this.mem.setRemote(page * PAGE_SIZE, (page + 1) * PAGE_SIZE, true);
      }
      lock?.release();
    }
  }

  private lockOf(fd: number): FileLock {
    let lock = this.locks.get(fd);
    if (!lock) this.locks.set(fd, (lock = new FileLock(fd)));
    return lock;
  }

  /** Whether the word at addr is in a remote page (a futex there cannot be woken from the other
   *  process: its waits look again every ms). */
  isRemote(addr: number): boolean {
    return (this.mem.prot[addr >>> PAGE_SHIFT] & PROT_REMOTE) !== 0;
  }
}
