// The system-mode page walk (src/system/page-walk.ts) on page tables written by hand: Sv39 and
// Sv48, leaves at every level, the permission rules (U against the privilege, SUM, MXR, MPRV),
// the A/D bits the walk sets, and the faults with their causes and tval (RISC-V privileged ISA
// 1.12, 4.3-4.5). riscv-tests' v environment covers Sv39 with 4 KiB pages only.
import { describe, expect, it } from 'vitest';
import { CPU_STATE_BASE, GuestMemory } from '../../src/memory/guest-memory.js';
import { Cause, GuestTrap, Hart, MSTATUS, Priv } from '../../src/system/hart.js';
import { Access, translatePage } from '../../src/system/page-walk.js';
import { PhysBus } from '../../src/system/phys-bus.js';

const RAM = 0x80000000;
const V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128;

const mem = new GuestMemory();
const bus = new PhysBus(mem, RAM, 64 << 20);

/** A hart with a root table at `root` in the given mode (8 = Sv39, 9 = Sv48). */
function hartWith(mode: bigint, root: number, priv: Priv = Priv.S): Hart {
  const h = new Hart(mem, CPU_STATE_BASE);
  h.satp = (mode << 60n) | BigInt(root / 4096);
  h.priv = priv;
  return h;
}
const pte = (table: number, index: number, target: number, flags: number): void => {
  mem.view.setBigUint64(table + index * 8, (BigInt(target / 4096) << 10n) | BigInt(flags), true);
};
const pteFlags = (table: number, index: number): number => Number(mem.view.getBigUint64(table + index * 8, true) & 0x3ffn);
/** translatePage for a 64-bit virtual address. */
const walk = (h: Hart, va: bigint, access: Access): number =>
  translatePage(h, bus, Number(BigInt.asIntN(32, va)), Number(BigInt.asIntN(32, va >> 32n)), access);
const trapOf = (f: () => unknown): GuestTrap => {
  try {
    f();
  } catch (e) {
    if (e instanceof GuestTrap) return e;
    throw e;
  }
  throw new Error('no trap');
};

// Tables: Sv39 root at RAM+0x100000 with a second and third level below it.
const L2 = RAM + 0x100000, L1 = RAM + 0x101000, L0 = RAM + 0x102000;
mem.u8.fill(0, L2, L2 + 0x10000);
pte(L2, 0, L1, V); // VA 0..1 GiB -> L1
pte(L1, 0, L0, V); // VA 0..2 MiB -> L0
pte(L0, 1, RAM + 0x200000, V | R | W | A | D); // VA 0x1000 -> RAM+0x200000
pte(L0, 2, RAM + 0x201000, V | R | U); // VA 0x2000: user, read-only, A clear
pte(L0, 3, RAM + 0x202000, V | X); // VA 0x3000: execute-only
pte(L1, 1, RAM + 0x400000, V | R | W | X | A | D); // VA 2 MiB: a megapage
pte(L1, 2, RAM + 0x401000, V | R | A); // VA 4 MiB: a misaligned megapage
pte(L2, 2, RAM, V | R | X | A); // VA 2 GiB: a gigapage onto RAM
pte(L2, 511, L1, V); // the top of the address space shares L1

describe('Sv39', () => {
  const h = hartWith(8n, L2);

  it('maps 4 KiB pages, megapages and gigapages, with the low bits passed through', () => {
    expect(walk(h, 0x1000n, Access.Read)).toBe(RAM + 0x200000);
    expect(walk(h, 0x200000n + 0x5000n, Access.Fetch)).toBe(RAM + 0x405000);
    expect(walk(h, 0x80000000n + 0x123000n, Access.Read)).toBe(RAM + 0x123000);
    expect(walk(h, 0xffffffffc0001000n, Access.Write)).toBe(RAM + 0x200000);
  });

  it('faults with the access cause and the full address as tval', () => {
    expect(trapOf(() => walk(h, 0x5000n, Access.Read))).toEqual(new GuestTrap(Cause.LoadPage, 0x5000n));
    expect(trapOf(() => walk(h, 0x5000n, Access.Write))).toEqual(new GuestTrap(Cause.StorePage, 0x5000n));
    expect(trapOf(() => walk(h, 0x5000n, Access.Fetch))).toEqual(new GuestTrap(Cause.FetchPage, 0x5000n));
    // Not sign-extended from bit 38.
    expect(trapOf(() => walk(h, 0x8000000000n, Access.Read)).cause).toBe(Cause.LoadPage);
    // A megapage whose PPN is not 2 MiB aligned.
    expect(trapOf(() => walk(h, 0x400000n, Access.Read)).cause).toBe(Cause.LoadPage);
  });

  it('checks R, W and X, and MXR makes execute-only pages readable', () => {
    expect(trapOf(() => walk(h, 0x3000n, Access.Read)).cause).toBe(Cause.LoadPage);
    expect(walk(h, 0x3000n, Access.Fetch)).toBe(RAM + 0x202000);
    h.mstatus |= MSTATUS.MXR;
    expect(walk(h, 0x3000n, Access.Read)).toBe(RAM + 0x202000);
    h.mstatus &= ~MSTATUS.MXR;
  });

  it('keeps S-mode out of user pages unless SUM, and never lets it execute them', () => {
    expect(trapOf(() => walk(h, 0x2000n, Access.Read)).cause).toBe(Cause.LoadPage);
    h.mstatus |= MSTATUS.SUM;
    expect(walk(h, 0x2000n, Access.Read)).toBe(RAM + 0x201000);
    expect(trapOf(() => walk(h, 0x2000n, Access.Fetch)).cause).toBe(Cause.FetchPage);
    h.mstatus &= ~MSTATUS.SUM;
    const user = hartWith(8n, L2, Priv.U);
    expect(walk(user, 0x2000n, Access.Read)).toBe(RAM + 0x201000);
    expect(trapOf(() => walk(user, 0x1000n, Access.Read)).cause).toBe(Cause.LoadPage);
  });

  it('sets A on any access and D on a write', () => {
    pte(L0, 4, RAM + 0x203000, V | R | W);
    walk(h, 0x4000n, Access.Read);
    expect(pteFlags(L0, 4)).toBe(V | R | W | A);
    walk(h, 0x4000n, Access.Write);
    expect(pteFlags(L0, 4)).toBe(V | R | W | A | D);
  });

  it('translates M-mode accesses only under MPRV with MPP below M', () => {
    const m = hartWith(8n, L2, Priv.M);
    expect(walk(m, 0x1000n, Access.Read)).toBe(0x1000);
    m.mstatus |= MSTATUS.MPRV | (1n << 11n); // MPP = S
    expect(walk(m, 0x1000n, Access.Read)).toBe(RAM + 0x200000);
    expect(walk(m, 0x1000n, Access.Fetch)).toBe(0x1000);
  });
});

describe('Sv48', () => {
  const L3 = RAM + 0x110000;
  mem.u8.fill(0, L3, L3 + 0x1000);
  pte(L3, 1, L2, V); // VA 512 GiB.. -> the Sv39 tables above
  pte(L3, 2, RAM + 0x400000, V | R | A); // a misaligned 512 GiB page
  const h = hartWith(9n, L3);

  it('walks four levels', () => {
    expect(walk(h, (1n << 39n) + 0x1000n, Access.Read)).toBe(RAM + 0x200000);
    expect(walk(h, (1n << 39n) + 0x80000000n + 0x42000n, Access.Read)).toBe(RAM + 0x42000);
  });

  it('faults on a non-canonical address and a misaligned superpage', () => {
    expect(trapOf(() => walk(h, 1n << 47n, Access.Read)).cause).toBe(Cause.LoadPage);
    expect(trapOf(() => walk(h, 2n << 39n, Access.Read)).cause).toBe(Cause.LoadPage);
  });
});
