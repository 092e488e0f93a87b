// The softmmu: every guest load, store and atomic of system mode, and every instruction fetch,
// goes through here. A direct-mapped TLB per access type (read, write, fetch) maps a virtual
// page to its physical page, filled by the page walk (page-walk.ts). There is one set of them
// per translation regime (qemu's mmu_idx): U, S, S with mstatus.SUM, M; a trap or return only
// switches sets, while a change of what they all depend on (satp, mstatus.MXR, sfence.vma)
// flushes them all. Plain RAM pages
// are read and written in the guest memory directly; everything else goes through the bus to a
// device, or faults. Faults are GuestTraps thrown to the system loop with the instruction's pc
// already in the state (the helpers are MayRaise).
// Compiled code probes a mirror of the read and write TLBs inline (InlineTlb, src/tcg/backend.ts)
// and calls the helpers only on a miss. The mirror holds only plain RAM pages, and a write
// entry only while its page has no translated code, so that stores to code come here and are
// noticed.
// Misaligned loads and stores work, as on qemu's virt machine, one byte at a time when they
// cross a page; atomics and LR/SC must be naturally aligned (privileged spec 3.6.3.3: a
// misaligned AMO raises the store/AMO misaligned exception, LR the load one).
import { PAGE_SIZE } from '../memory/guest-memory.js';
import { Cause, GuestTrap, Hart, MSTATUS, Priv } from './hart.js';
import { CodePages } from './code-pages.js';
import { PhysBus } from './phys-bus.js';
import { Access, PROT_EXEC, PROT_READ, PROT_WRITE, WalkDetail, accessFault, translatePage, vaOf } from './page-walk.js';

const TLB_BITS = 8;
const TLB_SIZE = 1 << TLB_BITS;
const PAGE_BITS = ~(PAGE_SIZE - 1);
/** Translation regimes: the privilege (U 0, S 1, M 3) and for S, the S+SUM regime 2. */
const REGIMES = 4;
const ENTRIES = REGIMES * 3 * TLB_SIZE;
/** The inline TLB's entry size, and the size of one regime's read (or write) table. */
const FAST_ENTRY = 16;
const FAST_TABLE = TLB_SIZE * FAST_ENTRY;
/** The index bits of the inline TLB, and the bytes of a hart's whole inline TLB (every
 *  regime's read and write tables). */
export const INLINE_TLB_BITS = TLB_BITS;
export const INLINE_TLB_BYTES = REGIMES * 2 * FAST_TABLE;
/** Offset from a regime's read table to its write table. */
export const INLINE_TLB_WRITE = FAST_TABLE;
/** The i32 state slot (past the riscv state, beside LD_HI) with the address of the running
 *  regime's read table. */
export const INLINE_TLB_SLOT = 0x804;

export class Softmmu {
  private readonly valid = new Uint8Array(ENTRIES);
  private readonly tagLo = new Int32Array(ENTRIES);
  private readonly tagHi = new Int32Array(ENTRIES);
  /** Physical page base of each entry. */
  private readonly phys = new Float64Array(ENTRIES);
  /** 1 when the entry's page is plain RAM (no device over it). */
  private readonly ram = new Uint8Array(ENTRIES);
  /** The first entry of the current regime's read TLB, and of its fetch TLB (the write TLB
   *  follows the read one). */
  private dataBase = 0;
  private fetchBase = 0;
  private readonly view: DataView;

  /** `code`: the pages with translated code, which every hart's softmmu shares; `fastTlb`: the
   *  address in the guest memory of this hart's inline TLB (INLINE_TLB_BYTES); `trace` writes
   *  -d mmu's lines. */
  constructor(readonly hart: Hart, readonly bus: PhysBus, private readonly code: CodePages, private readonly fastTlb: number,
    private readonly trace?: (text: string) => void) {
    this.view = bus.mem.view;
    code.onMark.push((page) => this.dropFastWrites(page));
    this.flush();
  }

  flush(): void {
    this.valid.fill(0);
    // Every tag -1, which no address matches (its bits 3-11 are set).
    this.bus.mem.u8.fill(0xff, this.fastTlb, this.fastTlb + INLINE_TLB_BYTES);
    this.regimeChanged();
  }

  /** The inline TLB entry mirroring entry i (a read or write one). */
  private fastEntry(i: number): number {
    const regime = Math.floor(i / (3 * TLB_SIZE));
    const access = Math.floor(i / TLB_SIZE) % 3;
    return this.fastTlb + regime * 2 * FAST_TABLE + access * FAST_TABLE + (i % TLB_SIZE) * FAST_ENTRY;
  }

  /** Sets the inline entry of entry i, just filled for hi:lo: the page when it is plain RAM
   *  (for a write, without translated code), else empty. */
  private mirror(i: number, lo: number, hi: number, access: Access): void {
    const e = this.fastEntry(i);
    const v = this.view;
    if (this.ram[i] && (access === Access.Read || !this.code.has(this.phys[i]))) {
      v.setInt32(e, lo & PAGE_BITS, true);
      v.setInt32(e + 4, hi, true);
      v.setInt32(e + 8, (this.phys[i] - (lo & PAGE_BITS)) | 0, true);
    } else {
      this.emptyFast(e);
    }
  }

  /** Empties the inline entry at e: its tag -1, which no address matches (bits 3-11 set). */
  private emptyFast(e: number): void {
    this.view.setInt32(e, -1, true);
    this.view.setInt32(e + 4, -1, true);
  }

  /** Translated code appeared on physical page `page`: the write entries to it go. */
  private dropFastWrites(page: number): void {
    for (let r = 0; r < REGIMES; r++) {
      for (let i = (r * 3 + Access.Write) * TLB_SIZE, end = i + TLB_SIZE; i < end; i++) {
        if (this.valid[i] && Math.floor(this.phys[i] / PAGE_SIZE) === page) this.emptyFast(this.fastEntry(i));
      }
    }
  }

  /** The hart's privilege, or mstatus's MPRV, MPP or SUM, changed: picks the TLBs of the regime
   *  that loads and stores (and, by the privilege alone, fetches) now run in. */
  regimeChanged(): void {
    const hart = this.hart;
    const data = hart.dataPriv();
    const regime = data === Priv.S && hart.mstatus & MSTATUS.SUM ? 2 : data;
    this.dataBase = regime * 3 * TLB_SIZE;
    this.view.setInt32(hart.env + INLINE_TLB_SLOT, this.fastTlb + regime * 2 * FAST_TABLE, true);
    this.fetchBase = (hart.priv * 3 + Access.Fetch) * TLB_SIZE;
  }

  /** The entry of hi:lo's page: its page number's low bits folded with the next ones, so that
   *  pages 1 MiB apart (a kernel's upper-half 0xffffffffffe02000 and a user's 0x2000) do not
   *  share one entry and evict each other in a copy between them. */
  private entry(lo: number, access: Access): number {
    return (access === Access.Fetch ? this.fetchBase : this.dataBase + access * TLB_SIZE) + (((lo >>> 12) ^ (lo >>> 20)) & (TLB_SIZE - 1));
  }

  /** The physical address of hi:lo for `access`, through the TLB. */
  translate(lo: number, hi: number, access: Access): number {
    const i = this.entry(lo, access);
    if (this.valid[i] && this.tagLo[i] === (lo & PAGE_BITS) && this.tagHi[i] === hi) return this.phys[i] + (lo & ~PAGE_BITS);
    const page = this.trace ? this.tracedWalk(lo, hi, access) : translatePage(this.hart, this.bus, lo, hi, access);
    this.valid[i] = 1;
    this.tagLo[i] = lo & PAGE_BITS;
    this.tagHi[i] = hi;
    this.phys[i] = page;
    this.ram[i] = this.bus.plainRamPage(page) ? 1 : 0;
    if (access !== Access.Fetch) this.mirror(i, lo, hi, access);
    return page + (lo & ~PAGE_BITS);
  }

  /** A TLB fill logged as qemu 7.2's riscv_cpu_tlb_fill logs it (-d mmu): the access (rw 0
   *  load, 1 store, 2 fetch; mmu_idx the privilege), the walk's result (ret 0, or 1 for a
   *  fault, with physical 0 and prot 0) and, after a success, the PMP check, which here always
   *  passes for the whole page (PMP is not enforced). */
  private tracedWalk(lo: number, hi: number, access: Access): number {
    const va = vaOf(lo, hi).toString(16);
    const fill = 'riscv_cpu_tlb_fill';
    this.trace!(`${fill} ad ${va} rw ${access} mmu_idx ${this.hart.priv}\n`);
    const detail: WalkDetail = { prot: 0 };
    let page: number;
    try {
      page = translatePage(this.hart, this.bus, lo, hi, access, true, detail);
    } catch (e) {
      if (e instanceof GuestTrap) this.trace!(`${fill} address=${va} ret 1 physical ${'0'.repeat(16)} prot 0\n`);
      throw e;
    }
    const pa = (page + (lo & ~PAGE_BITS)).toString(16).padStart(16, '0');
    this.trace!(`${fill} address=${va} ret 0 physical ${pa} prot ${detail.prot}\n`);
    this.trace!(`${fill} PMP address=${pa} ret 0 prot ${PROT_READ | PROT_WRITE | PROT_EXEC} tlb_size ${PAGE_SIZE}\n`);
    return page;
  }

  /** True when the TLB entry of hi:lo for `access` (just filled by translate) is plain RAM. */
  private isRam(lo: number, access: Access): boolean {
    return this.ram[this.entry(lo, access)] === 1;
  }

  /** 16 bits of code at a virtual pc: the frontend's fetch. A fault is thrown. */
  fetch16(pc: number): number {
    const lo = pc | 0, hi = Math.floor(pc / 2 ** 32) | 0;
    const pa = this.translate(lo, hi, Access.Fetch);
    if (this.isRam(lo, Access.Fetch)) return this.view.getUint16(pa, true);
    // Not plain RAM: a ROM (the reset vector), or RAM with a device region on its page.
    const rom = pa < 2 ** 32 ? this.bus.memoryAt(pa, 2) : undefined;
    if (rom) return rom[0] | (rom[1] << 8);
    throw accessFault(Access.Fetch, lo, hi);
  }

  /** A load of `size` bytes as a BigInt (zero-extended). */
  load(lo: number, hi: number, size: number, align: boolean): bigint {
    if (lo & (size - 1)) {
      if (align) throw new GuestTrap(Cause.LoadMisaligned, vaOf(lo, hi));
      if ((lo & ~PAGE_BITS) + size > PAGE_SIZE) return this.loadBytes(lo, hi, size);
    }
    const pa = this.translate(lo, hi, Access.Read);
    if (this.isRam(lo, Access.Read)) {
      const v = this.view;
      switch (size) {
        case 1: return BigInt(v.getUint8(pa));
        case 2: return BigInt(v.getUint16(pa, true));
        case 4: return BigInt(v.getUint32(pa, true));
        default: return v.getBigUint64(pa, true);
      }
    }
    const r = pa < 2 ** 32 ? this.bus.read(pa, size) : undefined;
    if (r === undefined) throw accessFault(Access.Read, lo, hi);
    return r;
  }

  /** The physical address of an access that can go straight to RAM (aligned, or misaligned
   *  within one page; a plain RAM page), or -1 for the general path (which also raises the
   *  faults). Lets the helpers move values as int32 words, without BigInt. */
  ramAddr(lo: number, hi: number, size: number, access: Access): number {
    if ((lo & (size - 1)) !== 0 && (lo & ~PAGE_BITS) + size > PAGE_SIZE) return -1;
    const pa = this.translate(lo, hi, access);
    if (!this.isRam(lo, access)) return -1;
    if (access === Access.Write && this.code.has(pa)) {
      this.code.store(pa);
      // The page's code is dropped: stores to it may take the inline path again.
      this.mirror(this.entry(lo, access), lo, hi, access);
    }
    return pa;
  }

  /** A load of 1, 2 or 4 bytes as an int32 (sign- or zero-extended from its size): the common
   *  case, without BigInt. */
  load32(lo: number, hi: number, size: number, signed: boolean, align: boolean): number {
    const pa = align && (lo & (size - 1)) !== 0 ? -1 : this.ramAddr(lo, hi, size, Access.Read);
    if (pa >= 0) {
      const v = this.view;
      if (size === 4) return v.getInt32(pa, true);
      if (size === 2) return signed ? v.getInt16(pa, true) : v.getUint16(pa, true);
      return signed ? v.getInt8(pa) : v.getUint8(pa);
    }
    const x = Number(this.load(lo, hi, size, align));
    const sh = 32 - size * 8;
    return signed ? (x << sh) >> sh : x | 0;
  }

  store(lo: number, hi: number, size: number, value: bigint): void {
    if (lo & (size - 1) && (lo & ~PAGE_BITS) + size > PAGE_SIZE) {
      this.storeBytes(lo, hi, size, value);
      return;
    }
    const pa = this.translate(lo, hi, Access.Write);
    if (this.isRam(lo, Access.Write)) {
      const v = this.view;
      switch (size) {
        case 1: v.setUint8(pa, Number(value & 0xffn)); break;
        case 2: v.setUint16(pa, Number(value & 0xffffn), true); break;
        case 4: v.setUint32(pa, Number(value & 0xffffffffn), true); break;
        default: v.setBigUint64(pa, BigInt.asUintN(64, value), true); break;
      }
      this.code.store(pa);
      return;
    }
    if (!(pa < 2 ** 32 && this.bus.write(pa, size, value))) throw accessFault(Access.Write, lo, hi);
  }

  /** An atomic read-modify-write: `op` gives the new value from the old (both zero-extended
   *  from size). Alignment is checked first (a store/AMO misaligned exception), then the read
   *  and then the write permission: qemu 7.2 runs a single hart's AMOs as a load and a store,
   *  so an AMO on an unmapped page raises a load page fault there, and this does the same. */
  atomic(lo: number, hi: number, size: number, op: (old: bigint) => bigint): bigint {
    if (lo & (size - 1)) throw new GuestTrap(Cause.StoreMisaligned, vaOf(lo, hi));
    this.translate(lo, hi, Access.Read);
    this.translate(lo, hi, Access.Write);
    const old = this.load(lo, hi, size, true);
    this.store(lo, hi, size, BigInt.asUintN(size * 8, op(old)));
    return old;
  }

  private loadBytes(lo: number, hi: number, size: number): bigint {
    let v = 0n;
    for (let k = size - 1; k >= 0; k--) {
      const [l, h] = addHalves(lo, hi, k);
      v = (v << 8n) | this.load(l, h, 1, false);
    }
    return v;
  }

  /** A store across a page: both pages are checked before either is written. */
  private storeBytes(lo: number, hi: number, size: number, value: bigint): void {
    const [l2, h2] = addHalves(lo, hi, size - 1);
    this.translate(lo, hi, Access.Write);
    this.translate(l2, h2, Access.Write);
    for (let k = 0; k < size; k++) {
      const [l, h] = addHalves(lo, hi, k);
      this.store(l, h, 1, (value >> BigInt(8 * k)) & 0xffn);
    }
  }
}

/** hi:lo + k, as int32 halves. */
function addHalves(lo: number, hi: number, k: number): [number, number] {
  const l = (lo >>> 0) + k;
  return [l | 0, (hi + (l >= 2 ** 32 ? 1 : 0)) | 0];
}
