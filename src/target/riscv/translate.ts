// The block loop of the RISC-V frontend: fetch, decode through the extension tables, translate.
import { IRBlock } from '../../tcg/ir.js';
import { IRBuilder } from '../../tcg/ir-builder.js';
import { HelperRegistry } from '../../tcg/frontend.js';
import { GuestFault, GuestMemory, PAGE_SHIFT, PROT_EXEC } from '../../memory/guest-memory.js';
import { Args, CPattern, Pattern, decode16, decode32, extract } from './decode.js';
import { DisasContext } from './disas-context.js';

/** Reads the 16 bits of code at a guest pc, or undefined when they cannot be fetched. */
export type Fetch16 = (pc: number) => number | undefined;

export interface DecodeTables {
  insn32: Pattern[][];
  insn16: CPattern[];
  /** System mode's instruction fetch (through the MMU); user mode reads guest memory. */
  fetch16?: Fetch16;
}

/** Fetches 16 bits at pc, or undefined if the page is not executable. */
function fetch16(tables: DecodeTables, mem: GuestMemory, pc: number): number | undefined {
  if (tables.fetch16) return tables.fetch16(pc);
  if (pc + 2 > 0x100000000 || (mem.prot[pc >>> PAGE_SHIFT] & PROT_EXEC) === 0) return undefined;
  return mem.view.getUint16(pc, true);
}

/** Decodes the instruction at pc: its length, bits and the pattern and operands that match. */
export function decodeAt(tables: DecodeTables, mem: GuestMemory, pc: number):
  { len: number; insn: number; name: string; args: Args | null; trans: Pattern['trans'] | null } | undefined {
  const lo = fetch16(tables, mem, pc);
  if (lo === undefined) return undefined;
  if ((lo & 3) !== 3) {
    const p = decode16(tables.insn16, lo);
    const args = p ? p.expand(lo) : null;
    return { len: 2, insn: lo, name: p && args ? p.name : 'illegal', args, trans: p && args ? p.trans : null };
  }
  const hi = fetch16(tables, mem, pc + 2);
  if (hi === undefined) return undefined;
  const insn = (lo | (hi << 16)) >>> 0;
  const p = decode32(tables.insn32, insn);
  return p
    ? { len: 4, insn, name: p.name, args: extract(insn, p.format), trans: p.trans }
    : { len: 4, insn, name: 'illegal', args: null, trans: null };
}

export function translateBlock(
  tables: DecodeTables, helpers: HelperRegistry, mem: GuestMemory, pc: number, maxInsns: number,
): IRBlock {
  const b = new IRBuilder(helpers.list);
  const s = new DisasContext(b, helpers);
  const page = pc >>> PAGE_SHIFT;
  let cur = pc;
  let n = 0;
  while (!s.ended) {
    const d = decodeAt(tables, mem, cur);
    if (d === undefined) {
      if (n === 0) throw new GuestFault(cur, false);
      b.gotoTb(cur); // the next block will fault precisely at its own pc
      break;
    }
    s.pc = cur;
    s.len = d.len;
    s.insn = d.insn;
    b.insnStart(cur);
    if (!d.trans || !d.args || !d.trans(s, d.args)) s.illegal();
    n++;
    cur += d.len;
    // A block stays within one page (so invalidation by page is exact) and has a bounded size
    // in instructions and in ops.
    if (!s.ended && (n >= maxInsns || b.full || cur >>> PAGE_SHIFT !== page)) {
      b.gotoTb(cur);
      s.ended = true;
    }
  }
  return b.finish(pc, cur - pc, n);
}
