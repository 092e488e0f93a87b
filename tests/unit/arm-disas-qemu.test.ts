// The ARM disassembler (src/target/arm/disas.ts) against qemu-arm's own `-d in_asm` listing.
// tests/unit/data/arm-disas-qemu.txt holds lines qemu-arm 7.2 printed for the committed guest
// binaries, the fuzzer's A32/Thumb/VFP/NEON generators and tests/tools/arm-disas-*.S
// (recorded by tests/tools/record-arm-disas.mjs); each line (an IT instruction with the lines it covers) is
// put back at its address and listed by tsemu's frontend. Every line must come out identical,
// except those KNOWN_DIFFERENCES describes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ } from '../../src/memory/guest-memory.js';
import { createArmFrontend } from '../../src/target/arm/frontend.js';
import { formatterTable } from '../../src/target/arm/disas.js';
import { Prng } from '../fuzz/prng.js';

const FIXTURE = new URL('data/arm-disas-qemu.txt', import.meta.url);
const LINE = /^0x([0-9a-f]{8}): {2}([0-9a-f]{8}|[0-9a-f]{4} [0-9a-f]{4}|[0-9a-f]{4} {5}) {2}(.*)$/;

/** Lines where tsemu's listing differs from qemu's on purpose, each with its reason: a pattern
 *  on qemu's line. */
const KNOWN_DIFFERENCES: { qemu: RegExp; reason: string }[] = [
  {
    qemu: /\bvshll\.i(8|16|32) /,
    reason: 'VSHLL with a shift equal to the element size (A8.8.384 encoding A2/T2) is missing from the NEON decode '
      + 'tables (tsemu raises SIGILL for it), so the listing, which decodes with those tables, prints its word as .byte',
  },
  {
    qemu: /^0x[0-9a-f]{8}: {2}f5[0-9a-f]{6} {2}pldw /,
    reason: 'A32 PLDW (A8.8.128, the multiprocessing extension) is missing from the A32 decode table (tsemu raises SIGILL '
      + 'for it; T32 PLDW decodes), so its word is listed as .byte',
  },
];

interface Group { thumb: boolean; addr: number; words: { at: number; raw: string }[]; qemu: string[] }

function groups(): Group[] {
  const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l !== '');
  const out: Group[] = [];
  for (let i = 0; i < lines.length;) {
    const m = LINE.exec(lines[i]);
    if (!m) throw new Error(`fixture line ${i + 1}: ${lines[i]}`);
    // An IT instruction and the 1-4 it covers, as far as the listing goes on without a gap.
    const it = /^(it[te]{0,3}) /.exec(m[3]);
    const part = [m];
    for (let k = 1; it && k < it[1].length && i + k < lines.length; k++) {
      const prev = part[k - 1], next = LINE.exec(lines[i + k]);
      if (!next || parseInt(next[1], 16) !== parseInt(prev[1], 16) + (prev[2].trim().length === 4 ? 2 : 4)) break;
      part.push(next);
    }
    const n = part.length;
    out.push({
      thumb: m[2].length !== 8, addr: parseInt(m[1], 16),
      words: part.map((p) => ({ at: parseInt(p[1], 16), raw: p[2].trim() })), qemu: part.map((p) => p[0]),
    });
    i += n;
  }
  return out;
}

/** The listing of a group, its bytes put back where qemu saw them. */
function list(mem: GuestMemory, disassemble: (key: number, size: number) => string[], g: Group): string[] {
  let end = g.addr;
  for (const { at, raw } of g.words) {
    const parts = raw.split(' ').map((h) => parseInt(h, 16));
    mem.setProt(at & ~0xfff, 0x2000, PROT_READ | PROT_EXEC);
    if (!g.thumb) mem.view.setUint32(at, parts[0], true);
    else parts.forEach((hw, k) => mem.view.setUint16(at + 2 * k, hw, true));
    end = at + (g.thumb ? 2 * parts.length : 4);
  }
  return disassemble(g.thumb ? g.addr + 1 : g.addr, end - g.addr);
}

describe('ARM disassembly against qemu-arm -d in_asm', () => {
  const mem = new GuestMemory();
  const fe = createArmFrontend(mem);

  it('lists the recorded lines as qemu-arm does', () => {
    const all = groups();
    let same = 0, known = 0;
    const wrong: string[] = [];
    for (const g of all) {
      const got = list(mem, fe.disassemble, g);
      if (got.join('\n') === g.qemu.join('\n')) { same += g.qemu.length; continue; }
      const why = g.qemu.map((q) => KNOWN_DIFFERENCES.find((k) => k.qemu.test(q)));
      if (why.some((w) => w)) { known += g.qemu.length; continue; }
      wrong.push(`qemu:  ${g.qemu.join('\n       ')}\ntsemu: ${got.join('\n       ')}`);
    }
    const total = all.reduce((n, g) => n + g.qemu.length, 0);
    console.log(`arm disassembly: ${same} of ${total} lines identical, ${known} known differences, ${wrong.length} groups wrong`);
    if (process.env.DISAS_SHOW) console.log(wrong.slice(0, Number(process.env.DISAS_SHOW)).join('\n'));
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('has a spelling for every pattern of the decode tables', () => {
    const missing = [...formatterTable()].filter(([, f]) => !f).map(([p]) => p.name);
    expect(missing).toEqual([]);
  });

  it('lists any word without throwing, one line per instruction or .byte', () => {
    const p = new Prng(12);
    const base = 0x10000;
    mem.setProt(base, 0x2000, PROT_READ | PROT_EXEC);
    const shape = /^0x[0-9a-f]{8}: {2}([0-9a-f]{8}|[0-9a-f]{4} [0-9a-f]{4}|[0-9a-f]{4} {5}) {2}\S+ +.*$/;
    for (let n = 0; n < 20000; n++) {
      const word = p.u32();
      mem.view.setUint32(base, word, true);
      for (const key of [base, base + 1]) {
        const lines = fe.disassemble(key, 4);
        expect(lines.length).toBeGreaterThan(0);
        for (const l of lines) expect(l).toMatch(shape);
      }
    }
  });
});
