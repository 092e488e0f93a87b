// Virtual-memory translation of RV64 (RISC-V privileged ISA 1.12, 4.3.2 "Virtual Address
// Translation Process", 4.4 Sv39 and 4.5 Sv48): the walk from satp's root through 512-entry
// tables, the leaf's permission checks (U against the privilege, SUM, MXR) and the accessed and
// dirty bits, which this hart sets in the PTE itself as qemu does (rather than faulting); and,
// for -d mmu, the protection qemu's TLB entry for the page would get.
import { Cause, GuestTrap, Hart, MSTATUS, Priv } from './hart.js';
import { PhysBus } from './phys-bus.js';

export const enum Access { Read = 0, Write = 1, Fetch = 2 }

const PAGE_FAULT = [Cause.LoadPage, Cause.StorePage, Cause.FetchPage];
const ACCESS_FAULT = [Cause.LoadAccess, Cause.StoreAccess, Cause.FetchAccess];

export const PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_A = 64, PTE_D = 128;
const SATP_BARE = 0n, SATP_SV39 = 8n, SATP_SV48 = 9n;
const TWO32 = 2 ** 32;

/** The full 64-bit virtual address of an access, for tval. */
export const vaOf = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

export const pageFault = (access: Access, lo: number, hi: number): GuestTrap => new GuestTrap(PAGE_FAULT[access], vaOf(lo, hi));
export const accessFault = (access: Access, lo: number, hi: number): GuestTrap => new GuestTrap(ACCESS_FAULT[access], vaOf(lo, hi));

/** Satp modes this hart accepts (a write of another mode leaves satp unchanged, 4.1.11). */
export const satpModeSupported = (mode: bigint): boolean => mode === SATP_BARE || mode === SATP_SV39 || mode === SATP_SV48;

/** qemu's page protection bits (PAGE_READ, PAGE_WRITE, PAGE_EXEC), for -d mmu. */
export const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;

/** What a walk found besides the page, for -d mmu: the protection a TLB entry of it gets, as
 *  qemu 7.2 computes it (write only for a store or an already dirty page). */
export interface WalkDetail { prot: number }

/** Translates the virtual address hi:lo (two int32 halves) for `access`; returns the physical
 *  address of its page (a multiple of 4096, possibly beyond the machine), or throws the page
 *  or access fault the access raises. A debugger's look (`update` false) leaves the accessed
 *  and dirty bits as they are. `detail`, if given, receives the page's protection. */
export function translatePage(hart: Hart, bus: PhysBus, lo: number, hi: number, access: Access, update = true, detail?: WalkDetail): number {
  const priv = access === Access.Fetch ? hart.priv : hart.dataPriv();
  const mode = hart.satp >> 60n;
  if (priv === Priv.M || mode === SATP_BARE) {
    if (detail) detail.prot = PROT_READ | PROT_WRITE | PROT_EXEC;
    return (hi >>> 0) * TWO32 + ((lo & ~0xfff) >>> 0);
  }
  const levels = mode === SATP_SV39 ? 3 : 4;
  // The bits above the address width must all equal its top bit.
  const top = hi >> (levels === 3 ? 6 : 15);
  if (top !== 0 && top !== -1) throw pageFault(access, lo, hi);
  const va48 = (hi & 0xffff) * TWO32 + (lo >>> 0);
  const view = bus.mem.view;
  let table = Number(hart.satp & 0xfffffffffffn) * 4096;
  for (let level = levels - 1; level >= 0; level--) {
    const span = 2 ** (12 + 9 * level);
    const pteAddr = table + (Math.floor(va48 / span) % 512) * 8;
    if (!bus.isRam(pteAddr, 8)) throw accessFault(access, lo, hi);
    const pte = view.getUint32(pteAddr, true), pteHi = view.getUint32(pteAddr + 4, true);
    // Invalid, W without R (reserved), or bits 63:54 set (Svpbmt and Svnapot are not implemented).
    if (!(pte & PTE_V) || (!(pte & PTE_R) && pte & PTE_W) || pteHi >>> 22 !== 0) throw pageFault(access, lo, hi);
    const ppn = (pteHi & 0x3fffff) * 2 ** 22 + (pte >>> 10);
    if (!(pte & (PTE_R | PTE_X))) {
      table = ppn * 4096;
      continue;
    }
    if (!leafAllows(hart, priv, pte, access) || ppn % 2 ** (9 * level) !== 0) throw pageFault(access, lo, hi);
    const ad = PTE_A | (access === Access.Write ? PTE_D : 0);
    if ((pte & ad) !== ad && update) view.setUint32(pteAddr, pte | ad, true);
    if (detail) detail.prot = protection(hart, pte, access);
    // A superpage maps the low bits of the virtual address through.
    return ppn * 4096 + (Math.floor(va48 / 4096) % 2 ** (9 * level)) * 4096;
  }
  throw pageFault(access, lo, hi);
}

function protection(hart: Hart, pte: number, access: Access): number {
  const mxr = (hart.mstatus & MSTATUS.MXR) !== 0n;
  return (pte & PTE_R || (pte & PTE_X && mxr) ? PROT_READ : 0) | (pte & PTE_X ? PROT_EXEC : 0)
    | (pte & PTE_W && (access === Access.Write || pte & PTE_D) ? PROT_WRITE : 0);
}

function leafAllows(hart: Hart, priv: Priv, pte: number, access: Access): boolean {
  if (pte & PTE_U) {
    // S-mode never executes user pages and reads or writes them only with SUM (4.1.1.2).
    if (priv === Priv.S && (access === Access.Fetch || !(hart.mstatus & MSTATUS.SUM))) return false;
  } else if (priv === Priv.U) {
    return false;
  }
  switch (access) {
    case Access.Read: return (pte & PTE_R) !== 0 || ((pte & PTE_X) !== 0 && (hart.mstatus & MSTATUS.MXR) !== 0n);
    case Access.Write: return (pte & PTE_W) !== 0;
    default: return (pte & PTE_X) !== 0;
  }
}
