// Random A32 integer programs (data processing with every operand form and condition, the
// multiply, saturating, parallel, bit-field, extend, divide and APSR families, loads and stores
// of each size and addressing mode into a data page, block transfers, exclusives, forward
// branches) run under qemu-arm (the oracle) and under tsemu's frontend with each backend: the
// final r0-r12, APSR (NZCVQ, GE) and data page must agree. Needs the cross toolchain and qemu-arm;
// skipped where they are missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { ArmRig, BACKENDS, DATA, assembleElf, hasTool, textBytes } from './arm-rig.js';

const TOOLS = hasTool('arm-linux-gnueabihf-as') && hasTool('arm-linux-gnueabihf-ld') && hasTool('qemu-arm');

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
const DP3 = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'orr', 'bic'];
const DP2 = ['mov', 'mvn'];
const TESTS = ['tst', 'teq', 'cmp', 'cmn'];
const PAR = ['s', 'q', 'sh', 'u', 'uq', 'uh'].flatMap((p) => ['add16', 'asx', 'sax', 'sub16', 'add8', 'sub8'].map((o) => p + o));
const XY = ['bb', 'bt', 'tb', 'tt'];
const SPECIAL = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x8000, 0x7fff, 0xffff, 0x80, 0x7f007f00];

function program(seed: number, length: number): string {
  const rnd = prng(seed);
  const int = (lo: number, hi: number): number => lo + (rnd() % (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length];
  // r11 is the index register and r12 the base of memory accesses (DATA + 2048), so these
  // two are only written by the loads and stores' own setup.
  const r = (): string => `r${int(0, 10)}`;
  const base = [`  movw r12, #${(DATA + 2048) & 0xffff}`, `  movt r12, #${(DATA + 2048) >>> 16}`];
  const index = (max: number): string => `  mov r11, #${int(0, max)}`;
  const cond = (): string => (int(0, 2) === 0 ? pick(CONDS) : '');
  const two = (): [string, string] => {
    const a = int(0, 10);
    let b = int(0, 9);
    if (b >= a) b++;
    return [`r${a}`, `r${b}`];
  };
  const imm = (): string => {
    const rot = int(0, 15) * 2;
    const v = int(0, 255);
    return `#${(((v >>> rot) | (v << (32 - rot))) >>> 0)}`;
  };
  const op2 = (): string => {
    switch (int(0, 4)) {
      case 0: return imm();
      case 1: return r();
      case 2: return `${r()}, ${pick(['lsl #', 'lsr #', 'asr #', 'ror #'])}${int(1, 31)}`;
      case 3: return `${r()}, ${pick(['lsr #32', 'asr #32', 'rrx', 'lsl #0'])}`;
      default: return `${r()}, ${pick(['lsl', 'lsr', 'asr', 'ror'])} ${r()}`;
    }
  };
  const lines = ['_start:'];
  lines.push(...base);
  for (let i = 0; i <= 11; i++) {
    const v = int(0, 3) === 0 ? pick(SPECIAL) : rnd();
    lines.push(`  movw r${i}, #${v & 0xffff}`, `  movt r${i}, #${v >>> 16}`);
  }
  lines.push(`  movw r0, #${rnd() & 0xffff}`, `  movt r0, #${rnd() >>> 16}`, '  msr APSR_nzcvqg, r0', `  movw r0, #${rnd() & 0xffff}`);
  for (let n = 0; n < length; n++) {
    const k = int(0, 99);
    const c = cond();
    if (k < 30) lines.push(`  ${pick(DP3)}${int(0, 1) ? 's' : ''}${c} ${r()}, ${r()}, ${op2()}`);
    else if (k < 36) lines.push(`  ${pick(DP2)}${int(0, 1) ? 's' : ''}${c} ${r()}, ${op2()}`);
    else if (k < 44) lines.push(`  ${pick(TESTS)}${c} ${r()}, ${op2()}`);
    else if (k < 56) lines.push(...memoryOp(c));
    else if (k < 62) {
      const [lo, hi] = two();
      const f = int(0, 6);
      if (f === 0) lines.push(`  mul${int(0, 1) ? 's' : ''}${c} ${r()}, ${r()}, ${r()}`);
      else if (f === 1) lines.push(`  mla${int(0, 1) ? 's' : ''}${c} ${r()}, ${r()}, ${r()}, ${r()}`);
      else if (f === 2) lines.push(`  mls${c} ${r()}, ${r()}, ${r()}, ${r()}`);
      else if (f === 3) lines.push(`  umaal${c} ${lo}, ${hi}, ${r()}, ${r()}`);
      else lines.push(`  ${pick(['umull', 'smull', 'umlal', 'smlal'])}${int(0, 1) ? 's' : ''}${c} ${lo}, ${hi}, ${r()}, ${r()}`);
    } else if (k < 68) {
      const [lo, hi] = two();
      const f = int(0, 9);
      if (f === 0) lines.push(`  smul${pick(XY)}${c} ${r()}, ${r()}, ${r()}`);
      else if (f === 1) lines.push(`  smla${pick(XY)}${c} ${r()}, ${r()}, ${r()}, ${r()}`);
      else if (f === 2) lines.push(`  smulw${pick(['b', 't'])}${c} ${r()}, ${r()}, ${r()}`);
      else if (f === 3) lines.push(`  smlaw${pick(['b', 't'])}${c} ${r()}, ${r()}, ${r()}, ${r()}`);
      else if (f === 4) lines.push(`  smlal${pick(XY)}${c} ${lo}, ${hi}, ${r()}, ${r()}`);
      else if (f === 5) lines.push(`  ${pick(['smmul', 'smmulr'])}${c} ${r()}, ${r()}, ${r()}`);
      else if (f === 6) lines.push(`  ${pick(['smmla', 'smmlar', 'smmls', 'smmlsr'])}${c} ${r()}, ${r()}, ${r()}, ${r()}`);
      else if (f === 7) lines.push(`  ${pick(['smuad', 'smuadx', 'smusd', 'smusdx'])}${c} ${r()}, ${r()}, ${r()}`);
      else if (f === 8) lines.push(`  ${pick(['smlad', 'smladx', 'smlsd', 'smlsdx'])}${c} ${r()}, ${r()}, ${r()}, ${r()}`);
      else lines.push(`  ${pick(['smlald', 'smlaldx', 'smlsld', 'smlsldx'])}${c} ${lo}, ${hi}, ${r()}, ${r()}`);
    } else if (k < 73) {
      const f = int(0, 5);
      if (f === 0) lines.push(`  ${pick(['qadd', 'qsub', 'qdadd', 'qdsub'])}${c} ${r()}, ${r()}, ${r()}`);
      else if (f === 1) lines.push(`  ssat${c} ${r()}, #${int(1, 32)}, ${r()}${pick(['', `, lsl #${int(0, 31)}`, `, asr #${int(1, 32)}`])}`);
      else if (f === 2) lines.push(`  usat${c} ${r()}, #${int(0, 31)}, ${r()}${pick(['', `, lsl #${int(0, 31)}`, `, asr #${int(1, 32)}`])}`);
      else if (f === 3) lines.push(`  ssat16${c} ${r()}, #${int(1, 16)}, ${r()}`);
      else if (f === 4) lines.push(`  usat16${c} ${r()}, #${int(0, 15)}, ${r()}`);
      else lines.push(`  ${pick(['sdiv', 'udiv'])}${c} ${r()}, ${r()}, ${r()}`);
    } else if (k < 79) {
      const f = int(0, 3);
      if (f === 0) lines.push(`  sel${c} ${r()}, ${r()}, ${r()}`);
      else if (f === 1) lines.push(`  usad8${c} ${r()}, ${r()}, ${r()}`);
      else if (f === 2) lines.push(`  usada8${c} ${r()}, ${r()}, ${r()}, ${r()}`);
      else lines.push(`  ${pick(PAR)}${c} ${r()}, ${r()}, ${r()}`);
    } else if (k < 92) {
      const f = int(0, 9);
      const lsb = int(0, 31);
      const rot = pick(['', ', ror #8', ', ror #16', ', ror #24']);
      if (f === 0) lines.push(`  ${pick(['clz', 'rbit', 'rev', 'rev16', 'revsh'])}${c} ${r()}, ${r()}`);
      else if (f === 1) lines.push(`  ${pick(['ubfx', 'sbfx'])}${c} ${r()}, ${r()}, #${lsb}, #${int(1, 32 - lsb)}`);
      else if (f === 2) lines.push(`  bfi${c} ${r()}, ${r()}, #${lsb}, #${int(1, 32 - lsb)}`);
      else if (f === 3) lines.push(`  bfc${c} ${r()}, #${lsb}, #${int(1, 32 - lsb)}`);
      else if (f === 4) lines.push(`  ${pick(['sxtb', 'sxth', 'uxtb', 'uxth', 'sxtb16', 'uxtb16'])}${c} ${r()}, ${r()}${rot}`);
      else if (f === 5) lines.push(`  ${pick(['sxtab', 'sxtah', 'uxtab', 'uxtah', 'sxtab16', 'uxtab16'])}${c} ${r()}, ${r()}, ${r()}${rot}`);
      else if (f === 6) lines.push(`  pkhbt${c} ${r()}, ${r()}, ${r()}, lsl #${int(0, 31)}`);
      else if (f === 7) lines.push(`  pkhtb${c} ${r()}, ${r()}, ${r()}, asr #${int(1, 32)}`);
      else if (f === 8) lines.push(`  ${pick(['movw', 'movt'])}${c} ${r()}, #${int(0, 0xffff)}`);
      else lines.push(`  msr${c} ${pick(['APSR_nzcvq', 'APSR_g', 'APSR_nzcvqg'])}, ${r()}`, `  mrs${c} ${r()}, APSR`);
    } else {
      lines.push(`  b${pick(CONDS)} 1f`, `  ${pick(DP3)}s ${r()}, ${r()}, ${op2()}`, '1:');
    }
  }
  // Dump APSR, r0-r12 and the data page to stdout, then exit.
  lines.push('dump:', '  push {r0-r12}', '  mrs r0, APSR', '  push {r0}', '  mov r0, #1', '  mov r1, sp',
    '  mov r2, #56', '  mov r7, #4', '  svc #0', '  mov r0, #1', '  ldr r1, =data', '  mov r2, #4096',
    '  svc #0', '  mov r0, #0', '  mov r7, #1', '  svc #0', '.ltorg');
  return `.syntax unified\n.arch_extension idiv\n.arm\n.globl _start\n${lines.join('\n')}\n` +
    '.data\ndata: .space 4096\n';

  /** A load or store off r12 (restored after a writeback), under condition c. */
  function memoryOp(c: string): string[] {
    const sign = (): string => (int(0, 1) ? '-' : '');
    const f = int(0, 9);
    if (f < 4) {
      const op = pick(['ldr', 'ldrb', 'str', 'strb']);
      switch (int(0, 3)) {
        case 0: return [`  ${op}${c} ${r()}, [r12, #${sign()}${int(0, 2000)}]`];
        case 1: return [`  ${op}${c} ${r()}, [r12, #${sign()}${int(0, 1000)}]!`, ...base];
        case 2: return [`  ${op}${c} ${r()}, [r12], #${sign()}${int(0, 1000)}`, ...base];
        default: return [index(255), `  ${op}${c} ${r()}, [r12, ${sign()}r11, ${pick(['lsl #2', 'lsr #1', 'asr #3', 'ror #0'])}]`];
      }
    }
    if (f < 7) {
      const op = pick(['ldrh', 'ldrsh', 'ldrsb', 'strh']);
      switch (int(0, 2)) {
        case 0: return [`  ${op}${c} ${r()}, [r12, #${sign()}${int(0, 255)}]`];
        case 1: return [`  ${op}${c} ${r()}, [r12, #${sign()}${int(0, 255)}]!`, ...base];
        default: return [index(255), `  ${op}${c} ${r()}, [r12, ${sign()}r11]`];
      }
    }
    if (f === 7) {
      const t = int(0, 4) * 2;
      return [`  ${pick(['ldrd', 'strd'])}${c} r${t}, r${t + 1}, [r12, #${sign()}${int(0, 63) * 4}]`];
    }
    if (f === 8) {
      const list = [...Array(11).keys()].filter(() => int(0, 2) === 0);
      if (list.length === 0) list.push(int(0, 10));
      const wb = int(0, 1) ? '!' : '';
      return [`  ${pick(['ldm', 'stm'])}${pick(['ia', 'ib', 'da', 'db'])}${c} r12${wb}, {${list.map((x) => `r${x}`).join(', ')}}`, ...base];
    }
    // An exclusive pair: the store succeeds unless a CLREX comes between.
    const [st, v] = two();
    const size = pick(['', 'b', 'h']);
    const between = pick(['  clrex', `  add ${r()}, ${r()}, #1`, `  str ${r()}, [r12, #8]`]);
    return [`  ldrex${size} ${r()}, [r12]`, between, `  strex${size} ${st}, ${v}, [r12]`];
  }
}

const PROGRAMS = 24;
const LENGTH = 80;

describe.skipIf(!TOOLS)('A32 random programs against qemu-arm', () => {
  const dir = TOOLS ? mkdtempSync(join(tmpdir(), 'tsemu-arm-diff-')) : '';
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  const rigs = BACKENDS.map((b) => [b, new ArmRig(b)] as const);

  for (let p = 0; p < PROGRAMS; p++) {
    it(`program ${p}`, () => {
      const src = program(0x9e3779b9 ^ (p * 7919), LENGTH);
      const elf = assembleElf(dir, src);
      const q = spawnSync('qemu-arm', [elf]);
      expect(q.status, q.stderr?.toString()).toBe(0);
      const out = Buffer.from(q.stdout);
      expect(out.length).toBe(56 + 4096);
      const want = [...Array(14).keys()].map((i) => (out.readUInt32LE(i * 4) & (i === 0 ? 0xf80f0000 : -1)) >>> 0).map((v) => v.toString(16));
      const nm = spawnSync('arm-linux-gnueabihf-nm', [elf], { encoding: 'utf8' }).stdout;
      const dump = parseInt(/^([0-9a-f]+) t dump$/m.exec(nm)![1], 16);
      const text = textBytes(dir, elf);
      for (const [backend, rig] of rigs) {
        rig.load(text);
        rig.end = dump;
        expect(rig.run(), backend).toBe(ExitReason.Next);
        const got = [(rig.cpsr & 0xf80f0000) >>> 0, ...[...Array(13).keys()].map((i) => rig.r(i))].map((v) => v.toString(16));
        const page = Buffer.from(rig.mem.read(DATA, 4096));
        const pageDiff = page.findIndex((v, i) => v !== out[56 + i]);
        if (got.join() !== want.join() || pageDiff >= 0) {
          const names = ['apsr', ...[...Array(13).keys()].map((i) => `r${i}`)];
          const diff = names.filter((_, i) => got[i] !== want[i]).map((n) => `${n}: ${got[names.indexOf(n)]} != qemu ${want[names.indexOf(n)]}`);
          if (pageDiff >= 0) diff.push(`data+${pageDiff}: ${page[pageDiff]} != qemu ${out[56 + pageDiff]}`);
          expect.fail(`${backend}, program ${p}:\n${diff.join('\n')}\n${src}`);
        }
      }
    });
  }
});
