// Random Thumb-2 programs (16- and 32-bit data processing with every shift and modified
// immediate form, multiplies, divides, bit field and extend ops, saturating and parallel
// arithmetic, loads/stores of every size and addressing mode, exclusives, IT blocks, B, BL,
// BX, BLX to Thumb and ARM code, CBZ/CBNZ, TBB/TBH) run under qemu-arm (the oracle) and under
// the frontend with each backend: r0-r12 (r12 as a checksum of all results), the APSR and a
// scratch area of the stack must agree. Needs the cross toolchain and qemu-user; skipped where
// they are missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { ArmRig, BACKENDS, DATA, hasTool } from './arm-rig.js';

const TOOLS = hasTool('arm-linux-gnueabihf-gcc') && hasTool('qemu-arm');

/** xorshift32: a fixed, seeded sequence, so every run tests the same programs. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];
const INVERSE = (c: string): string => CONDS[CONDS.indexOf(c) ^ 1];
const DP3 = ['and', 'orr', 'eor', 'bic', 'orn', 'add', 'adc', 'sub', 'sbc', 'rsb'];
const TESTS = ['tst', 'teq', 'cmp', 'cmn'];
const SHIFTS = ['lsl', 'lsr', 'asr', 'ror'];
const PAR_PREFIX = ['s', 'q', 'sh', 'u', 'uq', 'uh'];
const PAR_OP = ['add16', 'asx', 'sax', 'sub16', 'add8', 'sub8'];
const SPECIAL = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x8000, 0xffff, 0x7fff, 0x80, 0xff];
const DUMP = 56 + 256; // r0-r12, APSR, then the scratch area

function program(seed: number, length: number): string {
  const rnd = prng(seed);
  const int = (lo: number, hi: number): number => lo + (rnd() % (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length];
  // r12 accumulates a checksum of every result (see below), so the others are r0-r11.
  const r = (): string => `r${int(0, 11)}`;
  const lo = (): string => `r${int(0, 7)}`;
  /** n distinct registers, in ascending order (as register lists want them). */
  const distinct = (n: number): string[] => {
    const set = new Set<number>();
    while (set.size < n) set.add(int(0, 11));
    return [...set].sort((a, b) => a - b).map((x) => `r${x}`);
  };
  const shift = (): string => {
    const k = int(0, 5);
    if (k === 0) return '';
    if (k === 1) return ', rrx';
    const t = pick(SHIFTS);
    return `, ${t} #${t === 'lsl' || t === 'ror' ? int(1, 31) : int(1, 32)}`;
  };
  /** A ThumbExpandImm constant of each form (A6.3.2). */
  const modImm = (): number => {
    const b = int(1, 255);
    switch (int(0, 4)) {
      case 0: return b;
      case 1: return (b << 16 | b) >>> 0;
      case 2: return ((b << 24) | (b << 8)) >>> 0;
      case 3: return (b * 0x01010101) >>> 0;
      default: return (((0x80 | (b & 0x7f)) << int(0, 24)) >>> 0);
    }
  };
  const s = (): string => (int(0, 1) ? 's' : '');

  // Instructions that may carry a condition (cc: '' outside IT blocks).
  const conditional: ((cc: string) => string[])[] = [
    (cc) => [`${pick(DP3)}${s()}${cc} ${r()}, ${r()}, ${r()}${shift()}`],
    (cc) => [`${pick(DP3)}${s()}${cc} ${r()}, ${r()}, #${modImm()}`],
    (cc) => [`${pick(DP3)}${s()}${cc} ${lo()}, ${lo()}`],
    (cc) => [`${pick(TESTS)}${cc} ${r()}, ${r()}${shift()}`],
    (cc) => [`${pick(TESTS)}${cc} ${r()}, #${modImm()}`],
    (cc) => [`${pick(['mov', 'mvn'])}${s()}${cc} ${r()}, ${r()}${shift()}`],
    (cc) => [`${pick(['mov', 'mvn'])}${s()}${cc} ${r()}, #${modImm()}`],
    (cc) => [`${pick(['adds', 'subs', 'movs', 'cmp', 'add', 'sub', 'mov'])}${cc} ${lo()}, #${int(0, 255)}`],
    (cc) => [`${pick(SHIFTS)}${s()}${cc} ${r()}, ${r()}, ${r()}`],
    (cc) => [`${pick(['lsls', 'lsrs', 'asrs'])}${cc} ${lo()}, ${lo()}, #${int(1, 31)}`],
    (cc) => [`${pick(['addw', 'subw'])}${cc} ${r()}, ${r()}, #${int(0, 4095)}`],
    (cc) => [`${pick(['movw', 'movt'])}${cc} ${r()}, #${int(0, 0xffff)}`],
    (cc) => [`${pick(['mul', 'sdiv', 'udiv', 'sel', 'qadd', 'qsub', 'qdadd', 'qdsub', 'usad8', 'smmul', 'smmulr', 'smuad', 'smuadx', 'smusd', 'smusdx'])}${cc} ${r()}, ${r()}, ${r()}`],
    (cc) => [`${pick(['mla', 'mls', 'usada8', 'smmla', 'smmlar', 'smmls', 'smmlsr', 'smlad', 'smladx', 'smlsd', 'smlsdx'])}${cc} ${r()}, ${r()}, ${r()}, ${r()}`],
    (cc) => [`smul${pick(['bb', 'bt', 'tb', 'tt', 'wb', 'wt'])}${cc} ${r()}, ${r()}, ${r()}`],
    (cc) => [`smla${pick(['bb', 'bt', 'tb', 'tt', 'wb', 'wt'])}${cc} ${r()}, ${r()}, ${r()}, ${r()}`],
    (cc) => {
      const [l, h] = distinct(2);
      const op = pick(['smull', 'umull', 'smlal', 'umlal', 'umaal', 'smlalbb', 'smlaltb', 'smlald', 'smlaldx', 'smlsld', 'smlsldx']);
      return [`${op}${cc} ${l}, ${h}, ${r()}, ${r()}`];
    },
    (cc) => [`${pick(['clz', 'rbit', 'rev', 'rev16', 'revsh'])}${cc} ${r()}, ${r()}`],
    (cc) => {
      const lsb = int(0, 31), width = int(1, 32 - lsb);
      const op = pick(['ubfx', 'sbfx', 'bfi', 'bfc']);
      return [op === 'bfc' ? `bfc${cc} ${r()}, #${lsb}, #${width}` : `${op}${cc} ${r()}, ${r()}, #${lsb}, #${width}`];
    },
    (cc) => {
      const rot = pick(['', ', ror #8', ', ror #16', ', ror #24']);
      return int(0, 1)
        ? [`${pick(['sxtb', 'uxtb', 'sxth', 'uxth', 'sxtb16', 'uxtb16'])}${cc} ${r()}, ${r()}${rot}`]
        : [`${pick(['sxtab', 'uxtab', 'sxtah', 'uxtah', 'sxtab16', 'uxtab16'])}${cc} ${r()}, ${r()}, ${r()}${rot}`];
    },
    (cc) => {
      const sh = pick(['', `, lsl #${int(1, 31)}`, `, asr #${int(1, 31)}`]);
      return [int(0, 1) ? `ssat${cc} ${r()}, #${int(1, 32)}, ${r()}${sh}` : `usat${cc} ${r()}, #${int(0, 31)}, ${r()}${sh}`];
    },
    (cc) => [int(0, 1) ? `ssat16${cc} ${r()}, #${int(1, 16)}, ${r()}` : `usat16${cc} ${r()}, #${int(0, 15)}, ${r()}`],
    (cc) => [`${pick(PAR_PREFIX)}${pick(PAR_OP)}${cc} ${r()}, ${r()}, ${r()}`],
    (cc) => [int(0, 1) ? `pkhbt${cc} ${r()}, ${r()}, ${r()}, lsl #${int(0, 31)}` : `pkhtb${cc} ${r()}, ${r()}, ${r()}, asr #${int(1, 32)}`],
    // Loads and stores in the scratch area at sp.
    (cc) => [`${pick(['str', 'ldr'])}${cc} ${r()}, [sp, #${int(0, 63) * 4}]`],
    (cc) => [`${pick(['strh', 'ldrh', 'ldrsh'])}${cc} ${r()}, [sp, #${int(0, 127) * 2}]`],
    (cc) => [`${pick(['strb', 'ldrb', 'ldrsb'])}${cc} ${r()}, [sp, #${int(0, 255)}]`],
    (cc) => [`${pick(['str', 'ldr', 'strb', 'ldrb', 'ldrsh', 'strh', 'ldrh', 'ldrsb'])}${cc} ${lo()}, [sp, #-${int(1, 255)}]`],
    (cc) => [`${pick(['lsl', 'lsr', 'asr', 'ror', 'adc', 'sbc', 'mul', 'cmn', 'tst', 'bic', 'mvn', 'orr'])}${cc === '' ? 's' : ''}${cc} ${lo()}, ${lo()}`],
    (cc) => [`${pick(['sxtb', 'sxth', 'uxtb', 'uxth', 'rev', 'rev16', 'revsh'])}${cc} ${lo()}, ${lo()}`],
    (cc) => [`${cc === '' ? 'negs' : `rsb${cc}`} ${lo()}, ${lo()}${cc === '' ? '' : ', #0'}`],
    (cc) => [`mrc${cc} p15, 0, ${r()}, c13, c0, 3`],
    (cc) => {
      const [t, t2] = distinct(2);
      return [`${pick(['strd', 'ldrd'])}${cc} ${t}, ${t2}, [sp, #${int(0, 62) * 4}]`];
    },
  ];

  // Instructions and sequences that stand alone (branches, IT blocks, writeback on sp).
  const standalone: (() => string[])[] = [
    () => {
      // IT with 1-4 instructions, each under the condition or its inverse.
      const cond = pick(CONDS);
      const n = int(1, 4);
      let pattern = '';
      const conds = [cond];
      for (let i = 1; i < n; i++) {
        const t = int(0, 1) === 0;
        pattern += t ? 't' : 'e';
        conds.push(t ? cond : INVERSE(cond));
      }
      return [`it${pattern} ${cond}`, ...conds.flatMap((c) => pick(conditional)(c))];
    },
    () => [`b${pick(CONDS)} %1`, ...pick(conditional)(''), '%1:'],
    () => [`b${pick(CONDS)}.w %1`, ...pick(conditional)(''), '%1:'],
    () => [`${pick(['cbz', 'cbnz'])} ${lo()}, %1`, ...pick(conditional)(''), '%1:'],
    () => {
      const c = pick(CONDS);
      return [`it ${c}`, `b${c} %1`, ...pick(conditional)(''), '%1:'];
    },
    () => {
      // TBB/TBH on an index in 0..3.
      const idx = lo();
      const half = int(0, 1) === 1;
      return [
        `and ${idx}, ${r()}, #3`,
        half ? `tbh [pc, ${idx}, lsl #1]` : `tbb [pc, ${idx}]`,
        '%0:',
        half ? '.hword (%2-%0)/2, (%3-%0)/2, (%4-%0)/2, (%5-%0)/2' : '.byte (%2-%0)/2, (%3-%0)/2, (%4-%0)/2, (%5-%0)/2',
        '%2:', ...pick(conditional)(''), 'b %6',
        '%3:', ...pick(conditional)(''), 'b %6',
        '%4:', ...pick(conditional)(''), 'b %6',
        '%5:', ...pick(conditional)(''),
        '%6:',
      ];
    },
    () => {
      // Pre- and post-indexed writeback on sp that returns it where it was.
      const off = int(1, 63) * 4;
      return [`str ${r()}, [sp, #-${off}]!`, `ldr ${r()}, [sp], #${off}`];
    },
    () => {
      return [`stmdb sp!, {${distinct(3).join(', ')}}`, `ldmia sp!, {${distinct(3).join(', ')}}`];
    },
    () => [`stmia sp, {${distinct(4).join(', ')}}`],
    () => [`push {${distinct(2).join(', ')}}`, `pop {${distinct(2).join(', ')}}`],
    () => [`${pick(['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh'])} ${r()}, %7`, 'b %8', '.align 2', `%7: .word ${rnd()}`, '%8:'],
    () => {
      // Literals behind the load (U = 0), and LDRD (literal).
      const [t, t2] = distinct(2);
      const load = int(0, 1) ? `ldrd ${t}, ${t2}, %7` : `${pick(['ldr.w', 'ldrb.w', 'ldrh.w', 'ldrsb.w', 'ldrsh.w'])} ${t}, %7`;
      return ['b %8', '.align 2', `%7: .word ${rnd()}`, `.word ${rnd()}`, `%8: ${load}`];
    },
    () => [`msr ${pick(['APSR_nzcvq', 'APSR_g', 'APSR_nzcvqg'])}, ${r()}`],
    () => [`mrs ${r()}, apsr`],
    () => {
      // Register offsets from a copy of sp (cleared afterwards: its value is an address).
      const [base, idx, t, src] = distinct(4);
      const sz = pick([['ldr', 2], ['str', 2], ['ldrh', 1], ['strh', 1], ['ldrsh', 1], ['ldrb', 0], ['strb', 0], ['ldrsb', 0]] as const);
      const sh = int(0, sz[1]);
      return [`mov ${base}, sp`, `and ${idx}, ${src}, #${(0xfc >> sh) & ~((1 << (sz[1] - sh)) - 1)}`,
        sh ? `${sz[0]} ${t}, [${base}, ${idx}, lsl #${sh}]` : `${sz[0]} ${t}, [${base}, ${idx}]`, `mov ${base}, #0`];
    },
    () => {
      const [d, t, t2] = distinct(3);
      const sfx = pick(['', 'b', 'h', 'd']);
      return sfx === 'd'
        ? [`ldrexd ${t}, ${t2}, [sp]`, `strexd ${d}, ${t2}, ${t}, [sp]`]
        : [`ldrex${sfx} ${t}, [sp${sfx ? '' : `, #${int(0, 63) * 4}`}]`, `strex${sfx} ${d}, ${t2}, [sp${sfx ? '' : `, #${int(0, 63) * 4}`}]`];
    },
    () => [pick(['clrex', 'dmb ish', 'dsb sy', 'isb', 'nop.w', 'nop', 'yield', `pld [sp, #${int(0, 255)}]`])],
    () => [`ldmdb sp, {${distinct(3).join(', ')}}`],
    () => { const k = int(1, 127) * 4; return [`add sp, #${k}`, `sub sp, #${k}`]; },
    () => [`bl %1`, ...pick(conditional)(''), '%1:'],
    () => [`b.w %1`, ...pick(conditional)(''), '%1:'],
    () => {
      // BX and BLX (register) to a Thumb address, which then holds no trace of the address.
      const t = r();
      return [`adr ${t}, %1`, `adds ${t}, #1`, `${pick(['bx', 'blx'])} ${t}`, ...pick(conditional)(''), '.align 2', `%1: mov ${t}, #0`];
    },
    () => [`blx %1`, 'b %2', '.align 2', '.arm', `%1: add ${r()}, ${r()}, ${r()}`, 'bx lr', '.thumb', '%2:'],
    () => {
      // ADR's absolute address differs between the runs: only what it loads is kept.
      const [a, b] = distinct(2);
      return [`adr ${a}, %7`, `ldr ${b}, [${a}]`, `mov ${a}, #0`, 'b %8', '.align 2', `%7: .word ${rnd()}`, '%8:'];
    },
  ];

  const lines = ['.syntax unified', '.thumb', '.globl _start', '.thumb_func', '_start:', 'sub sp, sp, #256'];
  for (let i = 0; i < 13; i++) {
    const v = int(0, 3) === 0 ? pick(SPECIAL) : rnd();
    lines.push(`movw r${i}, #${v & 0xffff}`, `movt r${i}, #${v >>> 16}`);
  }
  lines.push(`msr APSR_nzcvq, r${int(0, 12)}`);
  for (let i = 0; i < length; i++) {
    const seq = int(0, 99) < 75 ? pick(conditional)('') : pick(standalone)();
    // %N names a label local to this sequence.
    lines.push(...seq.map((l) => l.replace(/%(\d)/g, `.L${i}_$1`)));
    // A result overwritten before the final dump would hide a wrong value: fold the first
    // operand register of each instruction into r12 (without touching the flags).
    const folded = new Set(seq.map((l) => /^[a-z][\w.]*\s+(r\d+)\b/.exec(l)?.[1]).filter((x) => x && x !== 'r12'));
    for (const x of folded) lines.push(`add r12, ${x}, r12, ror #31`);
  }
  // Dump r0-r12 and the APSR below the scratch area, write both, exit.
  lines.push('sub sp, sp, #56', 'stm sp, {r0-r12}', 'mrs r0, apsr', 'str r0, [sp, #52]',
    'mov r0, #1', 'mov r1, sp', `mov r2, #${DUMP}`, 'mov r7, #4', 'svc 0', 'mov r0, #0', 'mov r7, #1', 'svc 0');
  return lines.join('\n') + '\n';
}

describe.skipIf(!TOOLS)('Thumb-2 frontend against qemu-arm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-arm-thumb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // SEEDS=1,2,... runs other programs (240 seeds passed when this was written).
  for (const seed of (process.env.SEEDS ?? '1,2,3,4,5,6,7,8').split(',').map(Number)) {
    it(`random program ${seed}`, () => {
      const src = join(dir, `p${seed}.S`), elf = join(dir, `p${seed}`), bin = join(dir, `p${seed}.bin`);
      writeFileSync(src, program(seed * 0x9e3779b9, 400));
      const cc = spawnSync('arm-linux-gnueabihf-gcc', ['-march=armv7ve+fp', '-static', '-nostdlib', src, '-o', elf]);
      expect(cc.status, cc.stderr.toString()).toBe(0);
      expect(spawnSync('arm-linux-gnueabihf-objcopy', ['-O', 'binary', '-j', '.text', elf, bin]).status).toBe(0);
      const oracle = spawnSync('qemu-arm', [elf]).stdout;
      expect(oracle.length).toBe(DUMP);
      const code = readFileSync(bin); // position-independent: it runs at the rig's CODE

      for (const kind of BACKENDS) {
        const rig = new ArmRig(kind).load(code, true).setR(13, DATA + 0x800);
        expect(rig.run(100000)).toBe(ExitReason.Syscall); // the write of the dump
        const sp = rig.r(13);
        const dump = Buffer.from(rig.mem.u8.slice(sp, sp + DUMP));
        for (let i = 0; i < 13; i++) expect(dump.readUInt32LE(i * 4), `${kind} r${i}`).toBe(oracle.readUInt32LE(i * 4));
        // The APSR as user code reads it: NZCVQ and GE (qemu also shows the mode bits).
        expect((dump.readUInt32LE(52) & 0xf80f0000) >>> 0, `${kind} APSR`).toBe((oracle.readUInt32LE(52) & 0xf80f0000) >>> 0);
        for (let i = 56; i < DUMP; i += 4) expect(dump.readUInt32LE(i), `${kind} scratch word ${(i - 56) / 4}`).toBe(oracle.readUInt32LE(i));
      }
    });
  }
});
