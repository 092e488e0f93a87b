// Guest memory in user mode: one shared WebAssembly.Memory of 4 GiB, allocated at full size up
// front (the OS backs it lazily, shared/FACTS.md), guest virtual address = offset (guest base 0).
// Because the memory is the full 32-bit space, no wasm access can trap: protection is enforced
// by explicit checks against a byte-per-page table that lives inside the same memory, so
// generated wasm code and the JS layers read one table.
//
// Layout of the 4 GiB window:
//   [0, GUEST_LIMIT)            guest mappings (the mmap allocator keeps to it)
//   [PROT_TABLE, +1 MiB)        one protection byte per 4 KiB page of the whole window
//   [CPU_STATE_BASE, ...)       vCPU areas, CPU_STATE_STRIDE bytes each: the guest-visible state
//                               from 0, the emulator's control words from CPU_CONTROL
//   [CODE_GENERATION, +4)       bumped whenever translated code becomes stale for every vCPU
//   [JUMP_CACHE, +8 MiB)        the wasm backends' pc -> code caches for indirect jumps, one
//                               per vCPU (each vCPU has its own compiled code and table);
//                               in system mode, each hart's inline TLB (src/system/softmmu.ts)
//   [CODE_PAGES, +1 MiB)        one byte per page: 1 once some vCPU has translated code there
//   [0xffff0000, 4 GiB)         left to the guest (ARM's kuser helper page lives there)
// The emulator's own pages have protection 0, so a guest access to them faults.

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGE_MASK = PAGE_SIZE - 1;
export const WINDOW_SIZE = 2 ** 32;
export const GUEST_LIMIT = 0xff000000;
export const PROT_TABLE = 0xff000000;
export const PROT_TABLE_SIZE = WINDOW_SIZE / PAGE_SIZE;
export const CPU_STATE_BASE = 0xff100000;
export const CPU_STATE_STRIDE = 0x2000;
export const CPU_STATE_MAX = 64;
/** Offset in a vCPU's area of its control words (see src/tcg/vcpu-control.ts), past any
 *  arch's state. */
export const CPU_CONTROL = 0x1000;
/** One i32 for the process: see src/tcg/vcpu-control.ts. */
export const CODE_GENERATION = CPU_STATE_BASE + CPU_STATE_MAX * CPU_STATE_STRIDE;
/** The wasm backends' jump caches for indirect jumps: direct-mapped entries of 8 bytes,
 *  JUMP_CACHE_SIZE bytes for each vCPU. */
export const JUMP_CACHE = 0xff200000;
export const JUMP_CACHE_SIZE = 0x20000;
export const jumpCacheOf = (cpuIndex: number): number => JUMP_CACHE + cpuIndex * JUMP_CACHE_SIZE;
/** Pages that hold translated code, for every vCPU (see src/tcg/vcpu-control.ts). */
export const CODE_PAGES = JUMP_CACHE + CPU_STATE_MAX * JUMP_CACHE_SIZE;

// Linux's PROT_* bits (include/uapi/asm-generic/mman-common.h): the table stores them as is.
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
/** A page whose bytes live in a file that another process maps too (MAP_SHARED across fork):
 *  its table byte is PROT_REMOTE | prot << 4, so that no access passes the checks of generated
 *  code or of the accessors below, and each one is served by the memory's `backing`. */
export const PROT_REMOTE = 0x80;
const REMOTE_PROT_SHIFT = 4;
/** A writable page whose stores must be noted before they land (a MAP_SHARED file mapping's
 *  page, written back to its file at the next syscall: src/linux-user/generic/shared-file-maps.ts).
 *  Its table byte is PROT_TRACK | prot << 4 | (prot without PROT_WRITE): reads pass every check
 *  as before, the first store faults, is noted (noteWrite) and the page becomes plain `prot`.
 *  mprotect keeps a page tracked, so a later PROT_WRITE cannot open it unnoticed. */
export const PROT_TRACK = 0x08;

/** The protection a table byte grants, a remote or tracked page's included. */
export const grantedProt = (b: number): number => (b & (PROT_REMOTE | PROT_TRACK) ? (b >> REMOTE_PROT_SHIFT) & 7 : b);
const trackedByte = (prot: number): number => PROT_TRACK | (prot << REMOTE_PROT_SHIFT) | (prot & ~PROT_WRITE);

/** Where remote pages' bytes come from, for the syscall layer's accesses: `pull` brings the
 *  page's current bytes into this memory, and a page pulled for writing goes back after the
 *  call (src/linux-user/generic/shared-pages.ts). */
export interface PageBacking {
  pull(page: number, write: boolean): void;
}

/** Raised by the JS-side accessors when the guest touches memory it may not. */
export class GuestFault extends Error {
  constructor(readonly addr: number, readonly write: boolean) {
    super(`guest fault at 0x${addr.toString(16)}`);
  }
}

export const pageFloor = (a: number): number => a - (a % PAGE_SIZE);
export const pageCeil = (a: number): number => pageFloor(a + PAGE_MASK);

export class GuestMemory {
  readonly memory: WebAssembly.Memory;
  readonly buffer: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly view: DataView;
  /** One byte per page: PROT_* bits. A view of the table inside `memory`. */
  readonly prot: Uint8Array;
  /** Called with a page range whenever protections change or pages go away, so the TB cache can
   *  drop translations of code there. */
  onCodeChange: ((start: number, len: number) => void) | undefined;
  /** Serves the accessors' accesses to remote pages (set on the thread that runs syscalls). */
  backing: PageBacking | undefined;
  /** Tracked pages (PROT_TRACK) stored to since they were last tracked; set on the thread that
   *  runs syscalls, the only one that notes stores (a worker's fault comes to it). */
  trackedWrites: Set<number> | undefined;
  /** One byte per page, set once a page has been accessible or written raw: only those can
   *  hold non-zero bytes, so mapping fresh memory need not touch (and make the OS back) the
   *  others. */
  private readonly used = new Uint8Array(PROT_TABLE_SIZE);

  /** A new guest memory, or a view of one another thread created (a vCPU worker's). */
  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: 65536, maximum: 65536, shared: true });
    this.buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    this.u8 = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
    this.prot = new Uint8Array(this.buffer, PROT_TABLE, PROT_TABLE_SIZE);
  }

  /** Sets the protection of [start, start+len) (page aligned by the caller); remote and tracked
   *  pages stay so with `keepRemote` (mprotect), else become plain (a new mapping, munmap). */
  setProt(start: number, len: number, prot: number, keepRemote = false): void {
    const first = start >>> PAGE_SHIFT;
    const count = Math.ceil(len / PAGE_SIZE);
    const old = this.prot.subarray(first, first + count);
    const hadExec = old.some((p) => (p & PROT_EXEC) !== 0);
    if (keepRemote) {
      old.forEach((b, i) => {
        old[i] = b & PROT_REMOTE ? PROT_REMOTE | (prot << REMOTE_PROT_SHIFT) : b & PROT_TRACK ? trackedByte(prot) : prot;
      });
    }
    else old.fill(prot);
    if (prot !== PROT_NONE) this.used.fill(1, first, first + count);
    if (hadExec && this.onCodeChange) this.onCodeChange(start, len);
  }

  /** Zeroes a page-aligned range (fresh anonymous memory). Pages never accessible are still
   *  zero from the allocation: zeroing the 8 MiB stack alone took 8 ms of a hello's start-up. */
  zero(start: number, len: number): void {
    for (const [from, to] of this.usedRuns(start, start + len)) this.u8.fill(0, from, to);
  }

  /** The parts of [start, end) that may hold non-zero bytes (pages ever accessible or written
   *  raw), as [from, to) runs: what a copy of the memory (fork) has to carry. */
  *usedRuns(start: number, end: number): Generator<[number, number]> {
    for (let p = start >>> PAGE_SHIFT; p * PAGE_SIZE < end;) {
      if (!this.used[p]) { p++; continue; }
      const from = p;
      while (this.used[p] && p * PAGE_SIZE < end) p++;
      yield [Math.max(start, from * PAGE_SIZE), Math.min(end, p * PAGE_SIZE)];
    }
  }

  pageProt(addr: number): number {
    return this.prot[addr >>> PAGE_SHIFT];
  }

  /** Makes the pages of [start, end) remote (their protections kept), or local again. */
  setRemote(start: number, end: number, remote: boolean): void {
    for (let p = start >>> PAGE_SHIFT; p < end >>> PAGE_SHIFT; p++) {
      const prot = grantedProt(this.prot[p]);
      this.prot[p] = remote ? PROT_REMOTE | (prot << REMOTE_PROT_SHIFT) : prot;
    }
  }

  /** Makes the local pages of [start, end) tracked (PROT_TRACK), their protection kept. */
  track(start: number, end: number): void {
    for (let p = start >>> PAGE_SHIFT; p < end >>> PAGE_SHIFT; p++) {
      const b = this.prot[p];
      if (!(b & PROT_REMOTE)) this.prot[p] = trackedByte(grantedProt(b));
    }
  }

  /** A store faulted at `addr`: if its page is tracked and writable, the store is noted and the
   *  page opened (the instruction may run again); else false. */
  noteWrite(addr: number): boolean {
    const p = addr >>> PAGE_SHIFT;
    const b = this.prot[p];
    if (!(b & PROT_TRACK) || !(grantedProt(b) & PROT_WRITE) || !this.trackedWrites || !(addr >= 0 && addr < WINDOW_SIZE)) return false;
    this.prot[p] = grantedProt(b);
    this.trackedWrites.add(p);
    return true;
  }

  /** True when every page of [addr, addr+len) is mapped with all bits of `need`. Any address
   *  outside the 32-bit window (a 64-bit guest pointer, or a wrapped range) is not accessible. */
  accessible(addr: number, len: number, need: number): boolean {
    if (!(addr >= 0 && len >= 0 && addr + len <= WINDOW_SIZE)) return false;
    if (len === 0) return true;
    const last = (addr + len - 1) >>> PAGE_SHIFT;
    for (let p = addr >>> PAGE_SHIFT; p <= last; p++) {
      if ((this.prot[p] & need) !== need) return false;
    }
    return true;
  }

  check(addr: number, len: number, write: boolean): void {
    const need = write ? PROT_WRITE : PROT_READ;
    if (this.accessible(addr, len, need)) return;
    if (!this.serveSpecial(addr, len, need, write)) throw new GuestFault(this.firstBad(addr, len, need), write);
  }

  /** When every page of [addr, addr+len) grants `need` and some are remote or tracked, pulls
   *  the remote ones from the backing and notes a write to the tracked ones: the access may go
   *  on. */
  private serveSpecial(addr: number, len: number, need: number, write: boolean): boolean {
    if (!(addr >= 0 && len > 0 && addr + len <= WINDOW_SIZE)) return false;
    const first = addr >>> PAGE_SHIFT, last = (addr + len - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) {
      const b = this.prot[p];
      if ((grantedProt(b) & need) !== need) return false;
      if (b & PROT_REMOTE ? !this.backing : b & PROT_TRACK && write && !this.trackedWrites) return false;
    }
    for (let p = first; p <= last; p++) {
      const b = this.prot[p];
      if (b & PROT_REMOTE) this.backing!.pull(p, write);
      else if (b & PROT_TRACK && write) this.noteWrite(p * PAGE_SIZE);
    }
    return true;
  }

  private firstBad(addr: number, len: number, need: number): number {
    if (!(addr >= 0 && addr < WINDOW_SIZE)) return addr;
    for (let a = addr; a < addr + len; a = pageFloor(a) + PAGE_SIZE) {
      if (a >= WINDOW_SIZE || (this.prot[a >>> PAGE_SHIFT] & need) !== need) return a;
    }
    return addr;
  }

  // Checked accessors for the syscall layer and loader. Addresses are JS numbers; a guest pointer
  // that does not fit the window must be passed as a number >= WINDOW_SIZE (see toAddr).
  read(addr: number, len: number): Uint8Array {
    this.check(addr, len, false);
    return this.u8.slice(addr, addr + len);
  }
  write(addr: number, bytes: Uint8Array): void {
    this.check(addr, bytes.length, true);
    this.u8.set(bytes, addr);
  }
  /** Writes ignoring protections: for the loader filling read-only segments. */
  writeRaw(addr: number, bytes: Uint8Array): void {
    this.rawView(addr, bytes.length).set(bytes);
  }
  /** The bytes of [addr, addr+len) to fill ignoring protections (a file mapping's contents). */
  rawView(addr: number, len: number): Uint8Array {
    if (len > 0) this.used.fill(1, addr >>> PAGE_SHIFT, ((addr + len - 1) >>> PAGE_SHIFT) + 1);
    return this.u8.subarray(addr, addr + len);
  }
  readU8(a: number): number { this.check(a, 1, false); return this.view.getUint8(a); }
  readU16(a: number): number { this.check(a, 2, false); return this.view.getUint16(a, true); }
  readU32(a: number): number { this.check(a, 4, false); return this.view.getUint32(a, true); }
  readI32(a: number): number { this.check(a, 4, false); return this.view.getInt32(a, true); }
  readU64(a: number): bigint { this.check(a, 8, false); return this.view.getBigUint64(a, true); }
  writeU8(a: number, v: number): void { this.check(a, 1, true); this.view.setUint8(a, v); }
  writeU16(a: number, v: number): void { this.check(a, 2, true); this.view.setUint16(a, v, true); }
  writeU32(a: number, v: number): void { this.check(a, 4, true); this.view.setUint32(a, v >>> 0, true); }
  writeU64(a: number, v: bigint): void { this.check(a, 8, true); this.view.setBigUint64(a, BigInt.asUintN(64, v), true); }

  /** Reads a NUL-terminated string of at most `max` bytes (Linux's PATH_MAX is 4096). */
  readCString(addr: number, max = 4096): string {
    return this.readCStringBytes(addr, max).toString('utf8');
  }
  /** Reads a NUL-terminated string as raw bytes (paths are bytes on Linux). Searched a page at
   *  a time: a byte-wise checked read cost a few ms of a hello's start-up. */
  readCStringBytes(addr: number, max = 4096): Buffer {
    for (let at = addr; at < addr + max;) {
      const end = Math.min(pageFloor(at) + PAGE_SIZE, addr + max);
      this.check(at, end - at, false);
      const nul = this.u8.subarray(at, end).indexOf(0);
      if (nul >= 0) return Buffer.from(this.u8.subarray(addr, at + nul));
      at = end;
    }
    throw new GuestFault(addr + max, false);
  }
}

/** Converts a guest register value (an unsigned 64-bit pattern) to a JS address number: values
 *  beyond the window become WINDOW_SIZE, which every accessor rejects. */
export function toAddr(v: bigint | number): number {
  if (typeof v === 'number') return v >= 0 && v < WINDOW_SIZE ? v : WINDOW_SIZE;
  return v >= 0n && v < BigInt(WINDOW_SIZE) ? Number(v) : WINDOW_SIZE;
}
