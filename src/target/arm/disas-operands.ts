// Operand spelling shared by the ARM disassembly tables (disas-a32.ts, disas-t16.ts,
// disas-t32.ts, disas-vfp.ts, disas-neon.ts), in the syntax of qemu-arm's `-d in_asm` (qemu
// 7.2 prints capstone's text; what is here is what its listings show: register aliases
// sb/sl/fp/ip, immediates in decimal up to 9 and in hex above, branch targets as addresses).
import type { Fields } from './decode.js';

/** Where an instruction is and how it is read. */
export interface InsnInfo {
  addr: number;
  /** The raw bits (a T32 instruction as hw1 << 16 | hw2). */
  insn: number;
  thumb: boolean;
  /** The condition suffix: A32's cond field, or the IT block's condition in Thumb. */
  cond: string;
  /** Inside an IT block, where 16-bit data processing does not set the flags. */
  inIt: boolean;
}

/** [mnemonic, operands]. */
export type Formatted = [string, string];

/** One pattern's spelling; undefined when the fields are not an instruction capstone knows
 *  (the line is then printed as qemu prints an undecodable word). */
export type Formatter = (f: Fields, x: InsnInfo) => Formatted | undefined;

const REG_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'sb', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];
export const reg = (n: number): string => REG_NAMES[n & 15];

export const COND_NAMES = ['eq', 'ne', 'hs', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];
export const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];

const hex = (v: number): string => `0x${v.toString(16)}`;
/** A signed immediate: -9..9 in decimal, others in hex with the sign before the 0x. */
export const imm = (v: number): string => (v < 0 ? `#-${-v > 9 ? hex(-v) : -v}` : `#${v > 9 ? hex(v) : v}`);
/** An immediate printed as an unsigned 32-bit number (addresses, logical masks). */
export const uimm = (v: number): string => imm(v >>> 0);

/** An offset with its sign: `#-4`, `#0x18`. */
export const offsetImm = (off: number, add = true): string => (add ? imm(off) : `#-${off > 9 ? hex(off) : off}`);
/** A negative offset as -0x.. whatever its size (T32's imm8 and doubleword forms). */
export const offsetHex = (off: number, add: boolean): string => (add ? imm(off) : `#-${hex(off)}`);

/** `, <shift> #n` for an immediate shift as encoded (type, imm5); '' for LSL #0. */
export function shiftSuffix(type: number, n: number): string {
  if (type === 0 && n === 0) return '';
  if (type === 3 && n === 0) return ', rrx';
  return `, ${SHIFT_NAMES[type]} #${n === 0 ? 32 : n}`;
}

/** The same shift in the saturate and pack instructions, whose amount is a plain immediate. */
export function immShift(type: number, n: number): string {
  if (type === 0 && n === 0) return '';
  return `, ${SHIFT_NAMES[type]} ${imm(n === 0 ? 32 : n)}`;
}

export function regList(mask: number): string {
  const out: string[] = [];
  for (let r = 0; r < 16; r++) if (mask & (1 << r)) out.push(reg(r));
  return `{${out.join(', ')}}`;
}

/** The number of registers in a list. */
export const popCount = (mask: number): number => {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
};

/** A32's modified immediate (A5.2.4): imm8 rotated right by twice the 4-bit rotation. The
 *  encoding with the smallest rotation is printed as its value, unsigned; any other as
 *  `#imm8, #rotation`. */
export function a32ModImm(i: number): string {
  const bits = i & 0xff;
  const rot = (i >>> 8) * 2;
  const value = rot ? ((bits >>> rot) | (bits << (32 - rot))) >>> 0 : bits;
  let least = 0;
  while (least < 32 && (rot32l(value, least) & ~0xff) !== 0) least += 2;
  if (least !== rot) return `#${bits}, #${rot}`;
  return uimm(value);
}
const rot32l = (v: number, n: number): number => (n ? ((v << n) | (v >>> (32 - n))) >>> 0 : v);

/** T32's modified immediate (A6.3.2) from its 12-bit i:imm3:imm8 field. */
export function t32ModImm(i: number): number {
  const b = i & 0xff;
  switch (i >>> 8) {
    case 0: return b;
    case 1: return (b << 16) | b;
    case 2: return ((b << 24) | (b << 8)) >>> 0;
    case 3: return ((b << 24) | (b << 16) | (b << 8) | b) >>> 0;
    default: {
      const unrot = 0x80 | (i & 0x7f);
      const rot = i >>> 7;
      return ((unrot >>> rot) | (unrot << (32 - rot))) >>> 0;
    }
  }
}

/** Bits lo..lo+n-1 of the raw instruction. */
export const bits = (x: InsnInfo, lo: number, n: number): number => (x.insn >>> lo) & ((1 << n) - 1);
