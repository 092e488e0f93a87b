// System mode's instructions (RISC-V privileged ISA 1.12, chapter 2 for Zicsr against privileged
// CSRs; 3.3.2 mret/sret; 3.3.3 wfi; 4.2.1 sfence.vma). Only tsemu-system-riscv64 registers this
// table, in place of Zicsr's user-mode one. Each instruction ends its block with an exception
// exit whose cause is one of the PrivExit codes below (above every architectural cause, as
// qemu's internal EXCP_* codes are): the system loop runs it with the privilege state it owns,
// the raw instruction bits in EXC_INFO (also the tval of an illegal instruction). These are
// rare instructions, and every one of them may change what later code means (privilege,
// translation, interrupt enables), so leaving the block after each is what correctness needs.
import type { TransFn } from './decode.js';
import { M_ALL, Row, table } from './int-emit.js';
import { ZICSR_ROWS } from './zicsr.js';

export const enum PrivExit {
  Csr = 0x100,
  Mret = 0x101,
  Sret = 0x102,
  Wfi = 0x103,
  SfenceVma = 0x104,
}

const exit = (code: PrivExit): TransFn => (s) => {
  s.raise(code, s.insn >>> 0);
  return true;
};

const PRIV_ROWS: Row[] = [
  ['mret', M_ALL, 0x30200073, 'NONE'],
  ['sret', M_ALL, 0x10200073, 'NONE'],
  ['wfi', M_ALL, 0x10500073, 'NONE'],
  ['sfence.vma', 0xfe007fff, 0x12000073, 'R'],
];

export const PRIV_PATTERNS = table(
  {
    ...Object.fromEntries(ZICSR_ROWS.map(([name]) => [name, exit(PrivExit.Csr)])),
    mret: exit(PrivExit.Mret),
    sret: exit(PrivExit.Sret),
    wfi: exit(PrivExit.Wfi),
    'sfence.vma': exit(PrivExit.SfenceVma),
  },
  [...ZICSR_ROWS, ...PRIV_ROWS],
);
