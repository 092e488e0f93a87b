// The block loop of the ARM frontend: fetch, decode through the A32 or Thumb tables, apply the
// condition (A32's cond field, Thumb's IT state), translate.
//
// Block identity: a block is keyed by the pc-slot value, the address with bit 0 set for Thumb
// state (cpu-state.ts). translate(key) reads the instruction set from bit 0, so an ARM block
// and a Thumb block at one address are different keys; every jump out of a block (goto_tb,
// goto_ptr, interworking branches) produces a key too, never a bare address.
import { IRBlock } from '../../tcg/ir.js';
import { IRBuilder } from '../../tcg/ir-builder.js';
import { HelperRegistry } from '../../tcg/frontend.js';
import { GuestFault, GuestMemory, PAGE_SHIFT, PROT_EXEC } from '../../memory/guest-memory.js';
import { ArmPattern, extractFields, findPattern } from './decode.js';
import { ArmDisasContext } from './disas-context.js';
import { isThumb32 } from './thumb-decode.js';
import { itBegin, itEnd } from './thumb-it.js';

export interface ArmTables {
  /** A32 with cond != 1111, and with cond = 1111 (A5.7). */
  a32: ArmPattern[][];
  a32Uncond: ArmPattern[][];
  t16: ArmPattern[][];
  /** T32, as hw1 << 16 | hw2. */
  t32: ArmPattern[][];
}

export interface Decoded {
  /** Address (without the Thumb bit), length and raw bits. */
  addr: number;
  len: 2 | 4;
  insn: number;
  thumb: boolean;
  pattern: ArmPattern | undefined;
}

/** Reads `len` bytes at addr if its pages are executable. */
function fetch(mem: GuestMemory, addr: number, len: 2 | 4): number | undefined {
  if (addr + len > 0x100000000) return undefined;
  // Both ends, without an array of them: this runs for every instruction translated.
  const prot = mem.prot;
  if ((prot[addr >>> PAGE_SHIFT] & prot[(addr + len - 1) >>> PAGE_SHIFT] & PROT_EXEC) === 0) return undefined;
  return len === 4 ? mem.view.getUint32(addr, true) : mem.view.getUint16(addr, true);
}

/** Decodes the instruction at a pc-slot key; undefined if it cannot be fetched. */
export function decodeAt(tables: ArmTables, mem: GuestMemory, key: number): Decoded | undefined {
  const thumb = (key & 1) === 1;
  const addr = thumb ? key - 1 : key;
  if (!thumb) {
    const insn = fetch(mem, addr, 4);
    if (insn === undefined) return undefined;
    const t = insn >>> 28 === 0xf ? tables.a32Uncond : tables.a32;
    return { addr, len: 4, insn, thumb, pattern: findPattern(t, insn) };
  }
  const hw1 = fetch(mem, addr, 2);
  if (hw1 === undefined) return undefined;
  if (!isThumb32(hw1)) return { addr, len: 2, insn: hw1, thumb, pattern: findPattern(tables.t16, hw1) };
  const hw2 = fetch(mem, addr + 2, 2);
  if (hw2 === undefined) return undefined;
  const insn = ((hw1 << 16) | hw2) >>> 0;
  return { addr, len: 4, insn, thumb, pattern: findPattern(tables.t32, insn) };
}

function translateInsn(s: ArmDisasContext, d: Decoded): void {
  s.unpredictablePc = undefined;
  if (!d.pattern || !d.pattern.trans(s, extractFields(d.pattern, d.insn))) s.undefinedInsn();
  else if (s.unpredictablePc !== undefined && !s.ended) s.branchWritePC(s.unpredictablePc);
}

/** Translates one block at `key`. `itState` is the ITSTATE to start with: 0 except when
 *  linux-user resumes inside an IT block (thumb-it.ts); such a block must not be cached under
 *  its key, which assumes ITSTATE = 0. */
export function translateBlock(
  tables: ArmTables, helpers: HelperRegistry, mem: GuestMemory, key: number, maxInsns: number, itState = 0,
): IRBlock {
  const b = new IRBuilder(helpers.list);
  const s = new ArmDisasContext(b, helpers);
  s.thumb = (key & 1) === 1;
  s.itState = itState;
  const start = s.thumb ? key - 1 : key;
  const page = start >>> PAGE_SHIFT;
  let cur = start;
  let n = 0;
  while (!s.ended) {
    const d = decodeAt(tables, mem, s.key(cur));
    if (d === undefined) {
      if (n === 0) throw new GuestFault(cur, false);
      s.gotoAddr(cur); // the next block faults precisely at its own pc
      break;
    }
    s.pc = cur;
    s.len = d.len;
    s.insn = d.insn;
    b.insnStart(s.key(cur));
    if (s.thumb) {
      const inIt = s.inIt;
      const skip = itBegin(s);
      translateInsn(s, d);
      itEnd(s, skip);
      if (inIt) s.itAdvance();
    } else {
      const cond = d.insn >>> 28;
      if (cond >= 14) {
        translateInsn(s, d);
      } else {
        // A failed condition skips the instruction; if it ended the block, the skip path ends
        // it too, at the next instruction (so both outcomes can be chained).
        const skip = b.label();
        s.skipUnless(cond, skip);
        translateInsn(s, d);
        b.setLabel(skip);
        if (s.ended) s.gotoAddr(s.nextPc);
      }
    }
    n++;
    cur += d.len;
    // A block stays within one page (so invalidation by page is exact; an instruction or an IT
    // block may run into the next one) and has a bounded size in instructions and in ops; it never
    // ends inside an IT block.
    if (!s.ended && !s.inIt && (n >= maxInsns || b.full || cur >>> PAGE_SHIFT !== page)) s.gotoAddr(cur);
  }
  return b.finish(key, cur - start, n);
}
