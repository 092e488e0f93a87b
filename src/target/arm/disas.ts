// Guest disassembly for `-d in_asm`, in a simple form: address, raw bits (Thumb as halfwords,
// as qemu prints them), the pattern's name with the A32 condition, and the decoded fields
// (registers as rN, immediates in hex).
import { GuestMemory } from '../../memory/guest-memory.js';
import { CONDS } from './a32.js';
import { ArmTables, decodeAt } from './translate.js';
import { extractFields } from './decode.js';

/** Fields that name registers in the encoding diagrams. */
const REG_FIELDS = new Set(['d', 'n', 'm', 'a', 'h', 'l', 'T', 't', 'r', 's']);

export class ArmDisassembler {
  constructor(private readonly tables: ArmTables, private readonly mem: GuestMemory) {}

  /** One line per instruction of the block at `key` (pc-slot value) covering `size` bytes. */
  lines(key: number, size: number): string[] {
    const out: string[] = [];
    const thumb = (key & 1) === 1;
    const start = thumb ? key - 1 : key;
    for (let addr = start; addr < start + size;) {
      const d = decodeAt(this.tables, this.mem, thumb ? (addr | 1) >>> 0 : addr);
      if (!d) break;
      const raw = !thumb ? d.insn.toString(16).padStart(8, '0')
        : d.len === 2 ? d.insn.toString(16).padStart(4, '0').padEnd(9)
          : `${(d.insn >>> 16).toString(16).padStart(4, '0')} ${(d.insn & 0xffff).toString(16).padStart(4, '0')}`;
      let text = 'undefined';
      if (d.pattern) {
        const cond = thumb ? '' : CONDS[d.insn >>> 28];
        const f = extractFields(d.pattern, d.insn);
        const ops = Object.entries(f).map(([k, v]) =>
          `${k}=${REG_FIELDS.has(k) && d.pattern!.fields.find((x) => x.name === k)!.positions.length === 4 ? `r${v}` : `0x${v.toString(16)}`}`);
        text = `${(d.pattern.name + cond).padEnd(8)} ${ops.join(' ')}`.trimEnd();
      }
      out.push(`0x${addr.toString(16).padStart(8, '0')}:  ${raw}  ${text}`);
      addr += d.len;
    }
    return out;
  }
}
