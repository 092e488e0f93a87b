// Guest disassembly for `-d in_asm`, in the layout of qemu's riscv disassembler: address, raw
// bits, mnemonic, operands with ABI register names. Compressed instructions print as the
// 32-bit instruction they expand to, as qemu does. Operand shapes follow the major opcode of the
// (expanded) instruction, which each pattern's match value holds.
import { GuestMemory } from '../../memory/guest-memory.js';
import type { Args, Pattern, TransFn } from './decode.js';
import { DecodeTables, decodeAt } from './translate.js';
import { CSR_NAMES } from './zicsr.js';

export const XNAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1',
  'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
  's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
export const FNAMES = ['ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1',
  'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5', 'fa6', 'fa7',
  'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11'];

const FP_OPCODES = new Set([0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53]);
const FP_ARITH_OPCODES = new Set([0x43, 0x47, 0x4b, 0x4f, 0x53]);
// Rounding-mode names (unprivileged ISA 11.2, table 11.1); 5 and 6 are reserved.
const RM_NAMES = ['rne', 'rtz', 'rdn', 'rup', 'rmm', '5', '6', 'dyn'];
/** fence's predecessor/successor sets, bits 3..0 = i, o, r, w. */
const fenceSet = (bits4: number): string => [...'iorw'].filter((_, i) => bits4 & (8 >> i)).join('');

/** qemu's pseudo-instructions: the first alias whose base and condition match replaces the
 *  instruction's name and operands (`ops` picks operands by role; the branch ones swap). */
interface Alias {
  base: string;
  when: (a: Args, compressed: boolean) => boolean;
  name: string;
  ops: (o: Ops) => string[];
}
interface Ops { rd: string; rs1: string; rs2: string; imm: string; frd: string; frs1: string }
const ALIASES: Alias[] = [
  { base: 'addi', when: (a) => a.rd === 0 && a.rs1 === 0 && a.imm === 0, name: 'nop', ops: () => [] },
  { base: 'addi', when: (a) => a.imm === 0, name: 'mv', ops: (o) => [o.rd, o.rs1] },
  // c.mv (add rd, x0, rs2) prints as mv; a 32-bit add from x0 does not.
  { base: 'add', when: (a, compressed) => compressed && a.rs1 === 0, name: 'mv', ops: (o) => [o.rd, o.rs2] },
  { base: 'addiw', when: (a) => a.imm === 0, name: 'sext.w', ops: (o) => [o.rd, o.rs1] },
  { base: 'xori', when: (a) => a.imm === -1, name: 'not', ops: (o) => [o.rd, o.rs1] },
  { base: 'sltiu', when: (a) => a.imm === 1, name: 'seqz', ops: (o) => [o.rd, o.rs1] },
  { base: 'sub', when: (a) => a.rs1 === 0, name: 'neg', ops: (o) => [o.rd, o.rs2] },
  { base: 'subw', when: (a) => a.rs1 === 0, name: 'negw', ops: (o) => [o.rd, o.rs2] },
  { base: 'sltu', when: (a) => a.rs1 === 0, name: 'snez', ops: (o) => [o.rd, o.rs2] },
  { base: 'jal', when: (a) => a.rd === 0, name: 'j', ops: (o) => [o.imm] },
  { base: 'jalr', when: (a) => a.rd === 0 && a.rs1 === 1 && a.imm === 0, name: 'ret', ops: () => [] },
  { base: 'jalr', when: (a) => a.rd === 0 && a.imm === 0, name: 'jr', ops: (o) => [o.rs1] },
  { base: 'beq', when: (a) => a.rs2 === 0, name: 'beqz', ops: (o) => [o.rs1, o.imm] },
  { base: 'bne', when: (a) => a.rs2 === 0, name: 'bnez', ops: (o) => [o.rs1, o.imm] },
  { base: 'blt', when: (a) => a.rs2 === 0, name: 'bltz', ops: (o) => [o.rs1, o.imm] },
  { base: 'blt', when: (a) => a.rs1 === 0, name: 'bgtz', ops: (o) => [o.rs2, o.imm] },
  { base: 'blt', when: () => true, name: 'bgt', ops: (o) => [o.rs2, o.rs1, o.imm] },
  { base: 'bge', when: (a) => a.rs2 === 0, name: 'bgez', ops: (o) => [o.rs1, o.imm] },
  { base: 'bge', when: (a) => a.rs1 === 0, name: 'blez', ops: (o) => [o.rs2, o.imm] },
  { base: 'bge', when: () => true, name: 'ble', ops: (o) => [o.rs2, o.rs1, o.imm] },
  { base: 'bltu', when: () => true, name: 'bgtu', ops: (o) => [o.rs2, o.rs1, o.imm] },
  { base: 'bgeu', when: () => true, name: 'bleu', ops: (o) => [o.rs2, o.rs1, o.imm] },
  ...(['s', 'd'] as const).flatMap((t) => ([['fsgnj', 'fmv'], ['fsgnjn', 'fneg'], ['fsgnjx', 'fabs']] as const)
    .map(([base, name]): Alias =>
      ({ base: `${base}.${t}`, when: (a) => a.rs1 === a.rs2, name: `${name}.${t}`, ops: (o) => [o.frd, o.frs1] }))),
  ...([[1, 'flags'], [2, 'rm'], [3, 'csr']] as const).flatMap(([csr, n]): Alias[] => [
    { base: 'csrrs', when: (a) => a.csr === csr && a.rs1 === 0, name: `fr${n}`, ops: (o) => [o.rd] },
    { base: 'csrrw', when: (a) => a.csr === csr, name: `fs${n}`, ops: (o) => [o.rd, o.rs1] },
  ]),
  ...([[1, 'fsflagsi'], [2, 'fsrmi']] as const).map(([csr, name]): Alias =>
    ({ base: 'csrrwi', when: (a) => a.csr === csr, name, ops: (o) => [o.rd, o.rs1] })),
  ...([[0xc00, 'rdcycle'], [0xc01, 'rdtime'], [0xc02, 'rdinstret']] as const).map(([csr, name]): Alias =>
    ({ base: 'csrrs', when: (a) => a.csr === csr && a.rs1 === 0, name, ops: (o) => [o.rd] })),
];
// OP-FP funct5 values whose rd (compare, fcvt to integer, fmv.x/fclass) or rs1 (fcvt from
// integer, fmv from x) is an integer register (unprivileged ISA, chapter 34 opcode listing).
const FP_INT_RD = new Set([0x14, 0x18, 0x1c]);
const FP_INT_RS1 = new Set([0x1a, 0x1e]);

interface Shown { name: string; text: string; target?: number }

/** Mnemonic, operand text and, for pc-relative instructions, the target to print as a comment. */
function show(p: Pattern, a: Args, pc: number, compressed: boolean, csrNames: Record<number, string>): Shown {
  const alias = ALIASES.find((al) => al.base === p.name && al.when(a, compressed));
  if (alias) {
    const o: Ops = {
      rd: XNAMES[a.rd], rs1: XNAMES[a.rs1], rs2: XNAMES[a.rs2], imm: String(a.imm), frd: FNAMES[a.rd], frs1: FNAMES[a.rs1],
    };
    const target = p.format === 'B' || p.format === 'J' ? pc + a.imm : undefined;
    return { name: alias.name, text: alias.ops(o).join(','), target };
  }
  const { text, target: t } = operands(p, a, pc, csrNames);
  let name = p.name;
  if (p.format === 'ATOM') name += ['', '.rl', '.aq', '.aqrl'][a.aq * 2 + a.rl];
  return { name, text, target: t };
}

function operands(p: Pattern, a: Args, pc: number, csrNames: Record<number, string>): { text: string; target?: number } {
  const opcode = p.match & 0x7f;
  const fp = FP_OPCODES.has(opcode);
  const f5 = p.match >>> 27;
  const rd = fp && opcode !== 0x27 && !(opcode === 0x53 && FP_INT_RD.has(f5)) ? FNAMES[a.rd] : XNAMES[a.rd];
  const rs1 = fp && opcode !== 0x07 && opcode !== 0x27 && !(opcode === 0x53 && FP_INT_RS1.has(f5))
    ? FNAMES[a.rs1] : XNAMES[a.rs1];
  const rs2 = fp ? FNAMES[a.rs2] : XNAMES[a.rs2];
  switch (opcode) {
    case 0x03: case 0x07: return { text: `${rd},${a.imm}(${XNAMES[a.rs1]})` };
    case 0x23: case 0x27: return { text: `${rs2},${a.imm}(${XNAMES[a.rs1]})` };
    case 0x63: return { text: `${rs1},${rs2},${a.imm}`, target: pc + a.imm };
    case 0x6f: return { text: `${rd},${a.imm}`, target: pc + a.imm };
    case 0x17: return { text: `${rd},${a.imm}`, target: pc + a.imm };
    case 0x37: return { text: `${rd},${a.imm}` };
    case 0x0f: return { text: p.name === 'fence' ? `${fenceSet(a.imm >> 4)},${fenceSet(a.imm)}` : '' };
  }
  // An FP op whose funct3 is a rounding mode prints it first, as qemu does.
  const rm = FP_ARITH_OPCODES.has(opcode) && (p.mask & 0x7000) === 0 ? `${RM_NAMES[a.rm]},` : '';
  switch (p.format) {
    case 'NONE': return { text: '' };
    case 'CSR': {
      const csr = csrNames[a.csr] ?? `0x${a.csr.toString(16)}`;
      return { text: `${rd},${csr},${a.rm & 4 ? a.rs1 : rs1}` };
    }
    case 'ATOM': return { text: p.name.startsWith('lr.') ? `${rd},(${rs1})` : `${rd},${rs2},(${rs1})` };
    case 'R4': return { text: `${rm}${rd},${rs1},${rs2},${FNAMES[a.rs3]}` };
    case 'R': return { text: rm + ((p.mask & 0x01f00000) === 0x01f00000 ? `${rd},${rs1}` : `${rd},${rs1},${rs2}`) };
    default: return { text: `${rd},${rs1},${a.imm}` };
  }
}

export class Disassembler {
  /** The 32-bit pattern of each translate function: what an RVC instruction expands to. */
  private readonly byTrans = new Map<TransFn, Pattern>();

  /** `csrNames`: the CSRs named in operands (others are numbers): user mode's, or system mode's
   *  whole table. */
  constructor(private readonly tables: DecodeTables, private readonly mem: GuestMemory, private readonly csrNames: Record<number, string> = CSR_NAMES) {
    for (const t of tables.insn32) for (const p of t) if (!this.byTrans.has(p.trans)) this.byTrans.set(p.trans, p);
  }

  /** One line per instruction of [pc, pc + size). */
  lines(pc: number, size: number): string[] {
    const out: string[] = [];
    for (let cur = pc; cur < pc + size;) {
      const d = decodeAt(this.tables, this.mem, cur);
      if (d === undefined) break;
      const raw = d.insn.toString(16).padStart(d.len * 2, '0');
      const p = d.trans ? this.byTrans.get(d.trans) : undefined;
      let text = d.name;
      if (p && d.args) {
        const ops = show(p, d.args, cur, d.len === 2, this.csrNames);
        text = ops.name.padEnd(24) + ops.text;
        if (ops.target !== undefined) text = `${text.padEnd(48)}# 0x${ops.target.toString(16)}`;
      }
      out.push(`0x${cur.toString(16).padStart(16, '0')}:  ${raw.padEnd(18)}${text}`);
      cur += d.len;
    }
    return out;
  }
}
