// Guest disassembly for `-d in_asm`, in the layout of qemu's riscv disassembler: address, raw
// bits, mnemonic, operands with ABI register names. Compressed instructions print as the
// 32-bit instruction they expand to, as qemu does. Operand shapes follow the major opcode of the
// (expanded) instruction, which each pattern's match value holds.
import { GuestMemory } from '../../memory/guest-memory.js';
import type { Args, Pattern, TransFn } from './decode.js';
import { DecodeTables, decodeAt } from './translate.js';
import { CSR_NAMES } from './zicsr.js';

const XNAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1',
  'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
  's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const FNAMES = ['ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1',
  'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5', 'fa6', 'fa7',
  'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11'];

const FP_OPCODES = new Set([0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53]);
// OP-FP funct5 values whose rd (compare, fcvt to integer, fmv.x/fclass) or rs1 (fcvt from
// integer, fmv from x) is an integer register (unprivileged ISA, chapter 34 opcode listing).
const FP_INT_RD = new Set([0x14, 0x18, 0x1c]);
const FP_INT_RS1 = new Set([0x1a, 0x1e]);

/** Operand text and, for pc-relative instructions, the target to print as a comment. */
function operands(p: Pattern, a: Args, pc: number): { text: string; target?: number } {
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
    case 0x17: return { text: `${rd},${a.imm >>> 12}`, target: pc + a.imm };
    case 0x37: return { text: `${rd},${a.imm}` };
    case 0x0f: return { text: '' };
  }
  switch (p.format) {
    case 'NONE': return { text: '' };
    case 'CSR': {
      const csr = CSR_NAMES[a.csr] ?? `0x${a.csr.toString(16)}`;
      return { text: `${rd},${csr},${a.rm & 4 ? a.rs1 : rs1}` };
    }
    case 'ATOM': return { text: p.name.startsWith('lr.') ? `${rd},(${rs1})` : `${rd},${rs2},(${rs1})` };
    case 'R4': return { text: `${rd},${rs1},${rs2},${FNAMES[a.rs3]}` };
    case 'R': return { text: (p.mask & 0x01f00000) === 0x01f00000 ? `${rd},${rs1}` : `${rd},${rs1},${rs2}` };
    default: return { text: `${rd},${rs1},${a.imm}` };
  }
}

export class Disassembler {
  /** The 32-bit pattern of each translate function: what an RVC instruction expands to. */
  private readonly byTrans = new Map<TransFn, Pattern>();

  constructor(private readonly tables: DecodeTables, private readonly mem: GuestMemory) {
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
        const ops = operands(p, d.args, cur);
        text = p.name.padEnd(24) + ops.text;
        if (ops.target !== undefined) text = `${text.padEnd(48)}# 0x${ops.target.toString(16)}`;
      }
      out.push(`0x${cur.toString(16).padStart(16, '0')}:  ${raw.padEnd(18)}${text}`);
      cur += d.len;
    }
    return out;
  }
}
