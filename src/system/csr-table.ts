// The CSRs of system mode, as a table (numbers and fields: RISC-V privileged ISA 1.12, chapter 2
// table 2.2-2.5 and chapters 3-4; the FP CSRs: unprivileged ISA 11.2). The lowest privilege that
// may access a CSR is its bits 9:8, and bits 11:10 = 3 make it read-only (2.1); csr-access.ts
// checks both, and each row may refuse more (`allowed`: counter enables, mstatus.TVM). Values
// written are legalised as WARL fields, the way qemu 7.2's virt CPU does: unwritable bits keep
// their value, an unsupported satp mode or mtvec mode leaves the CSR unchanged.
import type { TimerCompare } from '../hw/clint.js';
import { FFLAGS, FRM } from '../target/riscv/cpu-state.js';
import { Hart, IRQ, MSTATUS, Priv } from './hart.js';
import { satpModeSupported } from './page-walk.js';

/** What CSR accesses need beyond the hart. */
export interface CsrHost {
  readonly hart: Hart;
  /** The CLINT's mtime (the time CSR reads it). */
  mtime(): bigint;
  /** The mip bits the devices drive: MSIP and MTIP from the CLINT, MEIP and SEIP from the PLIC,
   *  and STIP from stimecmp while menvcfg.STCE is set. */
  hwPending(): bigint;
  /** Sstc's stimecmp, compared with the CLINT's mtime. */
  readonly stimecmp: TimerCompare;
  /** Address translation changed for every regime (satp, mstatus.MXR): drop cached translations. */
  translationChanged(): void;
  /** The privilege or mstatus's MPRV/MPP/SUM changed: loads, stores and fetches now translate
   *  in another regime. */
  regimeChanged(): void;
}

export interface CsrRow {
  name: string;
  read(h: CsrHost): bigint;
  /** Absent: writes are ignored (WARL fields with one legal value). */
  write?(h: CsrHost, v: bigint): void;
  /** Extra conditions on access beyond the privilege in the number. */
  allowed?(h: CsrHost): boolean;
}

const bit = (n: number): bigint => 1n << BigInt(n);
const M = MSTATUS;
const MSTATUS_WRITABLE = M.SIE | M.MIE | M.SPIE | M.MPIE | M.SPP | M.MPP | M.FS | M.MPRV | M.SUM | M.MXR | M.TVM | M.TW | M.TSR;
const SSTATUS_READ = M.SIE | M.SPIE | M.UBE | M.SPP | M.VS | M.FS | M.XS | M.SUM | M.MXR | M.UXL | M.SD;
const SSTATUS_WRITABLE = M.SIE | M.SPIE | M.SPP | M.FS | M.SUM | M.MXR;
/** Interrupts S-mode may take (delegable through mideleg). */
const S_INTERRUPTS = bit(IRQ.SSI) | bit(IRQ.STI) | bit(IRQ.SEI);
const MIP_WRITABLE = bit(IRQ.SSI) | bit(IRQ.STI);
const M_INTERRUPTS = S_INTERRUPTS | bit(IRQ.MSI) | bit(IRQ.MTI) | bit(IRQ.MEI);
/** Exceptions medeleg may delegate: all but ecall from M-mode (qemu 7.2's set without H). */
const DELEGABLE_EXCEPTIONS = 0xb3ffn;
/** RV64 (MXL = 2) with I, M, A, F, D, C, and S and U modes (3.1.1). */
const MISA = (2n << 62n) | [..."acdfimsu"].reduce((m, c) => m | bit(c.charCodeAt(0) - 97), 0n);
/** menvcfg/senvcfg: FIOM, CBIE, CBCFE, CBZE are kept (3.1.18). */
const ENVCFG_WRITABLE = 0xf1n;
/** menvcfg.STCE (Sstc 1.0): stimecmp is enabled, and then drives STIP. */
export const STCE = 1n << 63n;
const sstcOn = (h: Hart): boolean => (h.menvcfg & STCE) !== 0n;

/** With STCE set, STIP is stimecmp's (read-only); software's STIP counts only without it. */
export const mip = (h: CsrHost): bigint => (sstcOn(h.hart) ? h.hart.mipSoft & ~bit(IRQ.STI) : h.hart.mipSoft) | h.hwPending();

function sstatusRead(hart: Hart): bigint {
  const fsDirty = (hart.mstatus & M.FS) === M.FS;
  return (hart.mstatus & SSTATUS_READ) | (fsDirty ? M.SD : 0n);
}

/** A write of mstatus (or sstatus, through its fields): MXR changes what every regime's pages
 *  allow, the rest at most which regime loads and stores use. */
function writeStatus(h: CsrHost, writable: bigint, v: bigint): void {
  const old = h.hart.mstatus;
  h.hart.mstatus = (old & ~writable) | (v & writable);
  if ((old ^ h.hart.mstatus) & M.MXR) h.translationChanged();
  else h.regimeChanged();
}

const field = (get: (h: Hart) => bigint, set: (h: Hart, v: bigint) => void): Pick<CsrRow, 'read' | 'write'> => ({
  read: (h) => get(h.hart),
  write: (h, v) => set(h.hart, v),
});
const zero: Pick<CsrRow, 'read'> = { read: () => 0n };

type PerModeField = 'tvec' | 'counteren' | 'envcfg' | 'scratch' | 'epc' | 'cause' | 'tval';
/** The trap-handling CSRs S-mode and M-mode each have, at the same offset from 0x100 and 0x300
 *  (tables 2.2 and 2.5), with how each legalises a written value (old: the value before). */
const PER_MODE: [offset: number, field: PerModeField, legal: (v: bigint, old: bigint) => bigint][] = [
  // Direct and vectored modes only: another mode leaves the CSR unchanged.
  [0x05, 'tvec', (v, old) => ((v & 3n) < 2n ? v : old)],
  [0x06, 'counteren', (v) => v & 0xffffffffn],
  [0x0a, 'envcfg', (v) => v & ENVCFG_WRITABLE],
  [0x40, 'scratch', (v) => v],
  // With C, epc holds 2-byte aligned addresses.
  [0x41, 'epc', (v) => v & ~1n],
  [0x42, 'cause', (v) => v],
  [0x43, 'tval', (v) => v],
];
const fpWord = (offset: number, width: number) => field(
  (h) => BigInt(h.mem.view.getUint32(h.env + offset, true) & ((1 << width) - 1)),
  (h, v) => {
    h.mem.view.setUint32(h.env + offset, Number(v & BigInt((1 << width) - 1)), true);
    h.mstatus |= M.FS;
  },
);

/** The FP CSRs are illegal while mstatus.FS is Off (3.1.6.6). */
const fpOn = (h: CsrHost): boolean => (h.hart.mstatus & M.FS) !== 0n;

/** cycle/instret: instructions retired (tsemu counts no cycles; qemu without -icount counts
 *  host ticks for both) plus the offset a write of mcycle/minstret set. */
const counterValue = (hart: Hart, offset: 'cycleOffset' | 'instretOffset'): bigint => BigInt.asUintN(64, BigInt(hart.retired) + hart[offset]);
const counterCsr = (offset: 'cycleOffset' | 'instretOffset') => field(
  (h) => counterValue(h, offset),
  // The writing instruction does not count itself (3.1.10): the loop adds it after this.
  (h, v) => { h[offset] = v - BigInt(h.retired) - 1n; },
);

/** The user-level counters (cycle, time, instret, hpmcounterN) as S and U modes see them: only
 *  where mcounteren (and for U, scounteren) grants the counter (3.1.11). */
const userCounter = (index: number, read: (h: CsrHost) => bigint): CsrRow => ({
  name: ['cycle', 'time', 'instret'][index] ?? `hpmcounter${index}`,
  read,
  allowed: (h) => {
    const { hart } = h;
    if (hart.priv < Priv.M && !(hart.mcounteren & bit(index))) return false;
    return !(hart.priv === Priv.U && !(hart.scounteren & bit(index)));
  },
});

const ROWS: Record<number, CsrRow> = {
  0x001: { name: 'fflags', ...fpWord(FFLAGS, 5), allowed: fpOn },
  0x002: { name: 'frm', ...fpWord(FRM, 3), allowed: fpOn },
  0x003: {
    name: 'fcsr',
    allowed: fpOn,
    read: (h) => BigInt((h.hart.mem.view.getUint32(h.hart.env + FRM, true) & 7) << 5 | (h.hart.mem.view.getUint32(h.hart.env + FFLAGS, true) & 31)),
    write: (h, v) => {
      ROWS[0x001].write!(h, v & 31n);
      ROWS[0x002].write!(h, (v >> 5n) & 7n);
    },
  },
  0xc00: userCounter(0, (h) => counterValue(h.hart, 'cycleOffset')),
  0xc01: userCounter(1, (h) => h.mtime()),
  0xc02: userCounter(2, (h) => counterValue(h.hart, 'instretOffset')),

  // Supervisor (4.1).
  0x100: {
    name: 'sstatus',
    read: (h) => sstatusRead(h.hart),
    write: (h, v) => writeStatus(h, SSTATUS_WRITABLE, v),
  },
  0x104: { name: 'sie', ...field((h) => h.mie & h.mideleg, (h, v) => { h.mie = (h.mie & ~h.mideleg) | (v & h.mideleg & S_INTERRUPTS); }) },
  0x144: {
    name: 'sip',
    read: (h) => mip(h) & h.hart.mideleg,
    // Only SSIP is writable from S-mode (4.1.3).
    write: (h, v) => {
      const w = bit(IRQ.SSI) & h.hart.mideleg;
      h.hart.mipSoft = (h.hart.mipSoft & ~w) | (v & w);
    },
  },
  0x180: {
    name: 'satp',
    read: (h) => h.hart.satp,
    write: (h, v) => {
      if (!satpModeSupported(v >> 60n)) return;
      h.hart.satp = v;
      h.translationChanged();
    },
    // mstatus.TVM traps S-mode's satp accesses (3.1.6.5).
    allowed: (h) => !(h.hart.priv === Priv.S && h.hart.mstatus & M.TVM),
  },

  // Machine (3.1).
  0xf11: { name: 'mvendorid', ...zero },
  0xf12: { name: 'marchid', ...zero },
  0xf13: { name: 'mimpid', ...zero },
  0xf14: { name: 'mhartid', read: (h) => BigInt(h.hart.hartId) },
  0xf15: { name: 'mconfigptr', ...zero },
  0x300: {
    name: 'mstatus',
    read: (h) => h.hart.mstatus | ((h.hart.mstatus & M.FS) === M.FS ? M.SD : 0n),
    write: (h, v) => writeStatus(h, MSTATUS_WRITABLE, v),
  },
  0x301: { name: 'misa', read: () => MISA, write: () => {} },
  0x302: { name: 'medeleg', ...field((h) => h.medeleg, (h, v) => { h.medeleg = v & DELEGABLE_EXCEPTIONS; }) },
  0x303: { name: 'mideleg', ...field((h) => h.mideleg, (h, v) => { h.mideleg = v & S_INTERRUPTS; }) },
  0x304: { name: 'mie', ...field((h) => h.mie, (h, v) => { h.mie = v & M_INTERRUPTS; }) },
  0x320: { name: 'mcountinhibit', ...field((h) => h.mcountinhibit, (h, v) => { h.mcountinhibit = v & 0xfffffffdn; }) },
  0x344: {
    name: 'mip',
    read: (h) => mip(h),
    // SSIP and STIP are writable; MSIP and MTIP belong to the CLINT (3.1.9), and so do MEIP and
    // SEIP to the PLIC (SEIP could be written too, ORed with the PLIC's, but the PLIC of qemu's
    // virt owns it: a write leaves it alone there).
    write: (h, v) => {
      const w = sstcOn(h.hart) ? bit(IRQ.SSI) : MIP_WRITABLE;
      h.hart.mipSoft = (h.hart.mipSoft & ~w) | (v & w);
    },
  },
  0xb00: { name: 'mcycle', ...counterCsr('cycleOffset') },
  0xb02: { name: 'minstret', ...counterCsr('instretOffset') },
};

for (const [mode, base] of [['s', 0x100], ['m', 0x300]] as const) {
  for (const [offset, f, legal] of PER_MODE) {
    const key = `${mode}${f}` as const;
    ROWS[base + offset] = { name: key, ...field((h) => h[key], (h, v) => { h[key] = legal(v, h[key]); }) };
  }
}

// Sstc 1.0: menvcfg.STCE is writable, and stimecmp exists; S-mode reaches it only where
// mcounteren.TM and STCE allow (else an illegal instruction), M-mode always.
ROWS[0x30a] = { name: 'menvcfg', ...field((h) => h.menvcfg, (h, v) => { h.menvcfg = v & (ENVCFG_WRITABLE | STCE); }) };
ROWS[0x14d] = {
  name: 'stimecmp',
  read: (h) => h.stimecmp.value,
  write: (h, v) => { h.stimecmp.value = v; },
  allowed: (h) => h.hart.priv === Priv.M || ((h.hart.mcounteren & bit(1)) !== 0n && sstcOn(h.hart)),
};

// Sdtrig's trigger CSRs (RISC-V debug spec 0.13, 5.2) with no triggers: tselect holds only 0,
// tdata1 reads type 0 ("no trigger") and tinfo says so; hardware breakpoints and watchpoints are
// not implemented.
ROWS[0x7a0] = { name: 'tselect', read: () => 0n, write: () => {} };
ROWS[0x7a1] = { name: 'tdata1', read: () => 0n, write: () => {} };
ROWS[0x7a2] = { name: 'tdata2', read: () => 0n, write: () => {} };
ROWS[0x7a3] = { name: 'tdata3', read: () => 0n, write: () => {} };
ROWS[0x7a4] = { name: 'tinfo', read: () => 1n };

// PMP (3.7): 16 entries, as qemu 7.2; on RV64 only the even pmpcfg CSRs exist. Kept, not enforced.
for (let i = 0; i < 4; i += 2) ROWS[0x3a0 + i] = { name: `pmpcfg${i}`, ...field((h) => h.pmpcfg[i], (h, v) => { h.pmpcfg[i] = v; }) };
for (let i = 0; i < 16; i++) {
  ROWS[0x3b0 + i] = { name: `pmpaddr${i}`, ...field((h) => h.pmpaddr[i], (h, v) => { h.pmpaddr[i] = v & ((1n << 54n) - 1n); }) };
}
// The hardware performance counters 3-31 and their events read as zero (3.1.10).
for (let i = 3; i < 32; i++) {
  ROWS[0xc00 + i] = userCounter(i, () => 0n);
  ROWS[0xb00 + i] = { name: `mhpmcounter${i}`, ...zero, write: () => {} };
  ROWS[0x320 + i] = { name: `mhpmevent${i}`, ...zero, write: () => {} };
}

export const CSR_TABLE: Readonly<Record<number, CsrRow>> = ROWS;
/** The names of the CSRs, by number (for the disassembler). */
export const CSR_TABLE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(ROWS).map(([n, row]) => [n, row.name]));
