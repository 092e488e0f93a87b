// Guest disassembly for `-d in_asm`, in qemu-arm's syntax: each instruction is decoded by the
// translator's own tables (decodeAt), and its pattern's entry in the format tables beside this
// file (disas-a32.ts, disas-t16.ts, disas-t32.ts, disas-vfp.ts, disas-neon.ts) spells it, so
// the listing and the translation never disagree about what an encoding is.
// As in qemu's listing: an IT instruction gives the next instructions their condition suffix;
// a word that is no instruction prints as `.byte` of its bytes, and in Thumb state only its
// first halfword does (the listing goes on at the next halfword, as capstone's does). No
// instruction means what the translator says: no pattern, or one whose translate function
// refuses the fields (UNDEFINED, SIGILL), tried on a scratch context.
import { IRBuilder } from '../../tcg/ir-builder.js';
import { HelperRegistry } from '../../tcg/frontend.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { A32_PATTERNS, A32_UNCOND_PATTERNS } from './a32.js';
import { ArmPattern, Fields, extractFields } from './decode.js';
import { ArmDisasContext } from './disas-context.js';
import { A32_FORMATS } from './disas-a32.js';
import { NEON_FORMATS } from './disas-neon.js';
import { COND_NAMES, Formatted, Formatter, InsnInfo } from './disas-operands.js';
import { T16_FORMATS } from './disas-t16.js';
import { T32_FORMATS } from './disas-t32.js';
import { VFP_FORMATS } from './disas-vfp.js';
import { NEON_A32_PATTERNS, NEON_A32_UNCOND_PATTERNS, NEON_T32_PATTERNS } from './neon-extensions.js';
import { T16_PATTERNS } from './t16.js';
import { T32_PATTERNS } from './t32.js';
import { ArmTables, Decoded, decodeAt } from './translate.js';
import { VFP_A32_PATTERNS, VFP_A32_UNCOND_PATTERNS, VFP_T32_PATTERNS } from './vfp-extensions.js';

/** Each decode table with the format table that spells its patterns (by pattern name). */
const FAMILIES: [readonly ArmPattern[], Record<string, Formatter>][] = [
  [A32_PATTERNS, A32_FORMATS], [A32_UNCOND_PATTERNS, A32_FORMATS],
  [T16_PATTERNS, T16_FORMATS], [T32_PATTERNS, T32_FORMATS],
  [VFP_A32_PATTERNS, VFP_FORMATS], [VFP_A32_UNCOND_PATTERNS, VFP_FORMATS], [VFP_T32_PATTERNS, VFP_FORMATS],
  [NEON_A32_PATTERNS, NEON_FORMATS], [NEON_A32_UNCOND_PATTERNS, NEON_FORMATS], [NEON_T32_PATTERNS, NEON_FORMATS],
];

let formatters: Map<ArmPattern, Formatter | undefined> | undefined;
/** The formatter of every pattern of the decode tables (made at the first listing: a run
 *  without -d in_asm never needs it). */
export const formatterTable = (): Map<ArmPattern, Formatter | undefined> =>
  (formatters ??= new Map(FAMILIES.flatMap(([patterns, formats]) => patterns.map((p) => [p, formats[p.name]] as const))));

/** Instructions the listing names although tsemu (like qemu-arm in user mode) raises SIGILL
 *  for them: UDF itself, and the system register moves that user mode may not make. */
const LISTED_WHEN_UNDEFINED = new Set(['udf', 'vmrs', 'vmsr', 'mrc']);

const hex = (v: number, digits: number): string => v.toString(16).padStart(digits, '0');
const line = (addr: number, raw: string, [m, ops]: Formatted): string =>
  `0x${hex(addr, 8)}:  ${raw}  ${m.padEnd(8)} ${ops}`;
const byteList = (v: number, n: number): string =>
  Array.from({ length: n }, (_, i) => `0x${hex((v >>> (8 * i)) & 0xff, 2)}`).join(', ');

/** The conditions an IT instruction (firstcond, mask) gives the instructions it covers. */
function itConditions(firstcond: number, mask: number): number[] {
  const out: number[] = [];
  for (let state = ((firstcond << 4) | mask) & 0xff; (state & 0xf) !== 0; state = (state & 0xe0) | ((state << 1) & 0x1f)) {
    out.push(state >>> 4);
  }
  return out;
}

export class ArmDisassembler {
  constructor(private readonly tables: ArmTables, private readonly mem: GuestMemory, private readonly helpers: HelperRegistry) {}

  /** One line per instruction of the block at `key` (pc-slot value) covering `size` bytes. */
  lines(key: number, size: number): string[] {
    const out: string[] = [];
    const thumb = (key & 1) === 1;
    const start = thumb ? key - 1 : key;
    const end = start + size;
    let itConds: number[] = [];
    for (let addr = start; addr < end;) {
      const d = decodeAt(this.tables, this.mem, thumb ? (addr | 1) >>> 0 : addr);
      if (!d) break;
      const cond = thumb ? itConds.shift() : d.insn >>> 28;
      const x: InsnInfo = { addr, insn: d.insn, thumb, cond: cond === undefined ? '' : COND_NAMES[cond], inIt: thumb && cond !== undefined };
      const text = d.pattern ? this.format(d, x) : undefined;
      // A Thumb instruction runs past the block only when the block ends inside it.
      const whole = !thumb || addr + d.len <= end;
      // An empty mnemonic: the pattern's fields name no instruction (an UNDEFINED corner).
      if (text && text[0] && whole) {
        const raw = !thumb ? hex(d.insn, 8)
          : d.len === 2 ? hex(d.insn, 4).padEnd(9) : `${hex(d.insn >>> 16, 4)} ${hex(d.insn & 0xffff, 4)}`;
        out.push(line(addr, raw, text));
        if (thumb && d.pattern!.name === 'it') itConds = itConditions((d.insn >>> 4) & 15, d.insn & 15);
        addr += d.len;
      } else {
        const len = thumb ? 2 : 4;
        const word = thumb ? (d.len === 2 ? d.insn : d.insn >>> 16) : d.insn;
        out.push(line(addr, thumb ? hex(word, 4).padEnd(9) : hex(word, 8), ['.byte', byteList(word, len)]));
        addr += len;
      }
    }
    return out;
  }

  private format(d: Decoded, x: InsnInfo): Formatted | undefined {
    const p = d.pattern!;
    const f = extractFields(p, x.insn);
    return LISTED_WHEN_UNDEFINED.has(p.name) || this.translates(d, f) ? formatterTable().get(p)?.(f, x) : undefined;
  }

  private translates(d: Decoded, f: Fields): boolean {
    const s = new ArmDisasContext(new IRBuilder(this.helpers.list), this.helpers);
    s.thumb = d.thumb;
    s.pc = d.addr;
    s.len = d.len;
    s.insn = d.insn;
    return d.pattern!.trans(s, f);
  }
}
