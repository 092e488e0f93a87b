// The riscv64 guest program of a batch: for each sequence, load every register, fcsr and the
// scratch buffer from the sequence's record, run the sequence, store the registers and fcsr next
// to the buffer and write them with the buffer to stdout; the whole batch runs `passes` times
// (a block runs 100 times in the interpreter tier before tsemu compiles it), writing on the
// first and the last pass only.
import { FuzzArch, regSlices } from './arch.js';
import { writeElf } from './elf-writer.js';
import { Prng } from './prng.js';
import * as E from './riscv-encode.js';
import { RISCV_EXTS, RISCV_GENERATORS, SCRATCH, SP } from './riscv-insns.js';
import { Item, layOut } from './sequence.js';
import { f32Bits, f64Bits, intValue, scratchBytes } from './values.js';

const CODE = 0x10000;
const DATA = 0x200000;
/** The pass counter and the pass count, then the records. */
const GLOBALS = DATA;
const RECORDS = DATA + 16;

// A record, from its start: the initial scratch buffer, x0-x31 (x0 and x2 unused), f0-f31,
// fcsr; then what is written out: x0-x31 (x2 is sp), f0-f31, fcsr and the working buffer,
// which sp points to while the sequence runs.
const INIT_X = SCRATCH, INIT_F = INIT_X + 256, INIT_FCSR = INIT_F + 256, INIT_SIZE = INIT_FCSR + 16;
const DUMP = INIT_SIZE, DUMP_F = DUMP + 256, DUMP_FCSR = DUMP_F + 256, WORK = DUMP_FCSR + 8;
const RECORD = WORK + SCRATCH;
const OUT = RECORD - DUMP;

/** lui + addi of a value below 2^31 - 2^11. */
function li(reg: number, v: number): number[] {
  const hi = (v + 0x800) >> 12;
  return [E.u(E.LUI, reg, hi), E.i(E.OPIMM, 0, reg, reg, v - (hi << 12))];
}
const ld = (reg: number, off: number): number => E.i(E.LOAD, 3, reg, SP, off);
const sd = (reg: number, off: number): number => E.s(E.STORE, 3, reg, SP, off);
const fld = (reg: number, off: number): number => E.i(E.LOADFP, 3, reg, SP, off);
const fsd = (reg: number, off: number): number => E.s(E.STOREFP, 3, reg, SP, off);
const ECALL = 0x73;
/** tsemu's compile batch (src/tcg/cpu-exec.ts). */
export const FILLER_BLOCKS = 24;
const FCSR = 3;

/** sp-relative address of a record offset. */
const w = (at: number): number => at - WORK;
/** Where the shared routines keep their return address (the unused x0 slot). */
const RET = w(INIT_X);

/** The routine every sequence calls first (sp = its record's buffer, x1 = return address):
 *  loads the buffer, the FP registers, fcsr and every integer register but x1 and sp. Shared,
 *  so that tsemu compiles it once and the sequences are most of what it compiles. */
function setUp(): number[] {
  const out = [sd(1, RET)];
  for (let k = 0; k < SCRATCH; k += 8) out.push(ld(1, w(k)), sd(1, k));
  for (let r = 0; r < 32; r++) out.push(fld(r, w(INIT_F + 8 * r)));
  out.push(ld(1, w(INIT_FCSR)), E.i(E.SYSTEM, 1, 0, 1, FCSR));
  for (let r = 3; r < 32; r++) out.push(ld(r, w(INIT_X + 8 * r)));
  out.push(ld(1, RET), E.i(E.JALR, 0, 0, 1, 0));
  return out;
}

/** The routine every sequence calls last (x1 stored already, x1 = return address): stores the
 *  state and writes it out on the first and the last pass. */
function dump(): number[] {
  const out = [sd(1, RET), sd(0, w(DUMP))];
  for (let r = 2; r < 32; r++) out.push(sd(r, w(DUMP + 8 * r)));
  out.push(E.i(E.SYSTEM, 2, 1, 0, FCSR), sd(1, w(DUMP_FCSR)));
  for (let r = 0; r < 32; r++) out.push(fsd(r, w(DUMP_F + 8 * r)));
  // write(1, record + DUMP, OUT) when the counter (passes left) is the pass count or 1.
  out.push(...li(5, GLOBALS), E.i(E.LOAD, 3, 6, 5, 0), E.i(E.LOAD, 3, 7, 5, 8),
    E.b(0, 6, 7, 12), E.i(E.OPIMM, 0, 7, 0, 1), E.b(1, 6, 7, 24),
    E.i(E.OPIMM, 0, 10, 0, 1), E.i(E.OPIMM, 0, 11, SP, w(DUMP)), E.i(E.OPIMM, 0, 12, 0, OUT), E.i(E.OPIMM, 0, 17, 0, 64), ECALL);
  out.push(ld(1, RET), E.i(E.JALR, 0, 0, 1, 0));
  return out;
}

function build(seqs: { items: Item[]; init: Uint8Array }[], passes: number): Uint8Array {
  const code: number[] = [];
  const word = (w: number): void => { code.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24); };
  const data = new Uint8Array(RECORDS - DATA + seqs.length * RECORD);
  const dv = new DataView(data.buffer);
  dv.setBigUint64(0, BigInt(passes), true);
  dv.setBigUint64(8, BigInt(passes), true);
  // The routines first, jumped over.
  const setUpCode = setUp(), dumpCode = dump();
  word(E.j(0, 4 * (1 + setUpCode.length + dumpCode.length)));
  const setUpAt = code.length;
  setUpCode.forEach(word);
  const dumpAt = code.length;
  dumpCode.forEach(word);
  const start = code.length;
  seqs.forEach((s, n) => {
    li(SP, RECORDS + n * RECORD + WORK).forEach(word);
    word(E.j(1, setUpAt - code.length));
    word(ld(1, w(INIT_X + 8)));
    for (const insn of layOut(s.items)) code.push(...insn.bytes);
    word(sd(1, w(DUMP + 8)));
    word(E.j(1, dumpAt - code.length));
    data.set(s.init, RECORDS + n * RECORD - DATA);
  });
  // Blocks that only fill tsemu's compile queue: the last blocks of a pass to get hot would
  // otherwise wait in it for a full batch (see TIERED_PASSES).
  for (let k = 0; k < FILLER_BLOCKS; k++) word(E.j(0, 4));
  // Count the pass; go round again unless it was the last, else exit_group(0).
  li(5, GLOBALS).forEach(word);
  [E.i(E.LOAD, 3, 6, 5, 0), E.i(E.OPIMM, 0, 6, 6, -1), E.s(E.STORE, 3, 6, 5, 0), E.b(0, 6, 0, 12)].forEach(word);
  const back = start - code.length;
  const hi = (back + 0x800) >> 12;
  [E.u(E.AUIPC, 7, hi), E.i(E.JALR, 0, 0, 7, back - (hi << 12)), E.i(E.OPIMM, 0, 10, 0, 0), E.i(E.OPIMM, 0, 17, 0, 94), ECALL].forEach(word);
  return writeElf({ class: 64, machine: 243, flags: 0x5 }, CODE, [
    { vaddr: CODE, bytes: Uint8Array.from(code), flags: 5 },
    { vaddr: DATA, bytes: data, flags: 6 },
  ]);
}

function initState(p: Prng): Uint8Array {
  const out = new Uint8Array(INIT_SIZE);
  const v = new DataView(out.buffer);
  out.set(scratchBytes(p, SCRATCH));
  for (let r = 1; r < 32; r++) v.setBigUint64(INIT_X + 8 * r, intValue(p), true);
  for (let r = 0; r < 32; r++) {
    // Single precision NaN-boxed, double, or anything (an unboxed single reads as the canonical NaN).
    const k = p.below(10);
    const bits = k < 5 ? (0xffffffffn << 32n) | f32Bits(p) : k < 9 ? f64Bits(p) : intValue(p);
    v.setBigUint64(INIT_F + 8 * r, bits, true);
  }
  v.setBigUint64(INIT_FCSR, BigInt((p.range(0, 4) << 5) | p.bits(5)), true);
  return out;
}

function initWith(values: Record<string, bigint>): Uint8Array {
  const out = new Uint8Array(INIT_SIZE);
  const v = new DataView(out.buffer);
  for (const [name, x] of Object.entries(values)) {
    v.setBigUint64(name === 'fcsr' ? INIT_FCSR : (name[0] === 'x' ? INIT_X : INIT_F) + 8 * Number(name.slice(1)), x, true);
  }
  return out;
}

export const RISCV64: FuzzArch = {
  name: 'riscv64',
  qemu: 'qemu-riscv64',
  qemuArgs: [],
  sameMode: () => true,
  exts: RISCV_EXTS,
  item: (p, ext) => p.pick(RISCV_GENERATORS[ext as keyof typeof RISCV_GENERATORS])(p),
  initState: (p) => initState(p),
  initWith,
  build,
  recordSize: OUT,
  inputs: (init, text) => [...new Set(text.match(/\b[xf]\d+\b/g) ?? [])].map((r) => {
    const at = (r[0] === 'x' ? INIT_X : INIT_F) + 8 * Number(r.slice(1));
    return `${r}=0x${new DataView(init.buffer, init.byteOffset).getBigUint64(at, true).toString(16)}`;
  }).concat(`fcsr=0x${new DataView(init.buffer, init.byteOffset).getBigUint64(INIT_FCSR, true).toString(16)}`),
  slices: [
    ...regSlices('x', 32, 0, 8, [0, SP]),
    ...regSlices('f', 32, DUMP_F - DUMP),
    { name: 'fcsr', at: DUMP_FCSR - DUMP, size: 8 },
    ...regSlices('scratch+8*', SCRATCH / 8, WORK - DUMP),
  ],
};
