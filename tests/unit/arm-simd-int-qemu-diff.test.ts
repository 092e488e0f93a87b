// The SIMD integer and saturating instructions (parallel add/subtract in every prefix with GE,
// SEL, QADD..QDSUB, SSAT USAT and the 16-bit forms, USAD8/USADA8, the dual 16-bit multiplies,
// RBIT REV REV16 REVSH CLZ) on every pair of a set of edge values (lanes at 0x00 0x01 0x7f 0x80
// 0xff, halfwords at 0x7fff 0x8000, carries across lane boundaries, the saturation limits), in
// A32 and in Thumb, under qemu-arm (the oracle) and under each backend. Per pair the result
// register, a second result (SEL by the GE flags the instruction just set, or RdHi) and the APSR
// read by MRS (GE, Q) must agree. Needs the cross toolchain and qemu-arm; skipped where missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { PC } from '../../src/target/arm/cpu-state.js';
import { PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { ArmRig, BACKENDS, DATA, assembleElf, hasTool, textBytes } from './arm-rig.js';

const TOOLS = hasTool('arm-linux-gnueabihf-as') && hasTool('arm-linux-gnueabihf-ld') && hasTool('qemu-arm');

const VALUES = [
  0x00000000, 0xffffffff, 0x7fffffff, 0x80000000, 0x7f7f7f7f, 0x80808080, 0x01010101, 0xfefefefe,
  0x7fff8000, 0x80007fff, 0x7f80ff01, 0x017f80ff, 0xff00ff00, 0x00010000, 0x8001fffe, 0x40004000,
  0x12345678, 0xc0bf7e41,
];
const PREFIXES = ['s', 'q', 'sh', 'u', 'uq', 'uh'];
const OPS = ['add16', 'asx', 'sax', 'sub16', 'add8', 'sub8'];

/** Each case: a name and the lines that compute r0 (and r4) from a = r1, b = r2 and c = r3
 *  (a mix of both). GE and Q are cleared and r4 zeroed before each pair. */
const CASES: [string, string[]][] = [
  // The GE flags through SEL (r4) as well as MRS.
  ...PREFIXES.flatMap((p) => OPS.map((o): [string, string[]] => [p + o, [`${p}${o} r0, r1, r2`, 'sel r4, r1, r2']])),
  ['sel', ['msr APSR_g, r2', 'sel r0, r1, r2']],
  ...['qadd', 'qsub', 'qdadd', 'qdsub'].map((q): [string, string[]] => [q, [`${q} r0, r1, r2`]]),
  // Q is sticky: a QADD that cannot saturate (r4 is 0) leaves the first one's Q set.
  ['qadd sticky', ['qadd r0, r1, r2', 'qadd r4, r1, r4']],
  ...['#1, r1', '#8, r1', '#16, r1, asr #4', '#31, r1, lsl #1', '#32, r1, asr #16', '#1, r1, asr #31'].map((o): [string, string[]] => [`ssat ${o}`, [`ssat r0, ${o}`]]),
  ...['#0, r1', '#7, r1', '#16, r1, lsl #3', '#31, r1', '#31, r1, asr #1'].map((o): [string, string[]] => [`usat ${o}`, [`usat r0, ${o}`]]),
  ...[1, 8, 15, 16].map((k): [string, string[]] => [`ssat16 #${k}`, [`ssat16 r0, #${k}, r1`]]),
  ...[0, 1, 8, 15].map((k): [string, string[]] => [`usat16 #${k}`, [`usat16 r0, #${k}, r1`]]),
  ['usad8', ['usad8 r0, r1, r2']],
  ['usada8', ['usada8 r0, r1, r2, r3']],
  ...['rbit', 'rev', 'rev16', 'revsh', 'clz'].map((o): [string, string[]] => [o, [`${o} r0, r1`]]),
  ...['smuad', 'smuadx', 'smusd', 'smusdx'].map((o): [string, string[]] => [o, [`${o} r0, r1, r2`]]),
  ...['smlad', 'smladx', 'smlsd', 'smlsdx'].map((o): [string, string[]] => [o, [`${o} r0, r1, r2, r3`]]),
  // a's halves squared (2^31 for 0x80008000) plus b as the accumulator, which may bring it back.
  ['smlad square', ['smlad r0, r1, r1, r2']],
  ...['smlald', 'smlaldx', 'smlsld', 'smlsldx'].map((o): [string, string[]] => [o, ['mov r0, r3', 'mov r4, r2', `${o} r0, r4, r1, r2`]]),
];

/** Bytes of output per case: r0, a second result (r4) and the APSR per pair. */
const RECORD = 12;
const CASE_SIZE = VALUES.length ** 2 * RECORD;
const OUT_SIZE = CASES.length * CASE_SIZE;

/** One program for all cases: case_N loops over every (a, b) pair writing its records to its
 *  own part of `out` (the linker puts it at DATA); after the last, the output is written to
 *  stdout. Under qemu it runs straight through; the rig runs each case on its own (a long chain
 *  of blocks would make each wasm compile take in many of the earlier ones). */
function program(thumb: boolean): string {
  const n = VALUES.length * 4;
  const caseLoop = (lines: string[], c: number): string => `
case_${c}:
  movw r12, #${(DATA + c * CASE_SIZE) & 0xffff}
  movt r12, #${(DATA + c * CASE_SIZE) >>> 16}
  movw r10, #:lower16:values
  movt r10, #:upper16:values
  mov r8, #0
1:
  mov r9, #0
2:
  ldr r1, [r10, r8]
  ldr r2, [r10, r9]
  eor r3, r1, r2, ror #13
  mov r4, #0
  mov r5, #0
  msr APSR_nzcvqg, r5
${lines.map((l) => `  ${l}`).join('\n')}
  mrs r5, APSR
  stm r12!, {r0, r4, r5}
  add r9, r9, #4
  cmp r9, #${n}
  bne 2b
  add r8, r8, #4
  cmp r8, #${n}
  bne 1b`;
  return `.syntax unified
.${thumb ? 'thumb' : 'arm'}
.globl _start
${thumb ? '.thumb_func\n' : ''}_start:
${CASES.map(([, lines], c) => caseLoop(lines, c)).join('\n')}
case_${CASES.length}:
  mov r0, #1
  movw r1, #:lower16:out
  movt r1, #:upper16:out
  movw r2, #${OUT_SIZE & 0xffff}
  movt r2, #${OUT_SIZE >>> 16}
  mov r7, #4
  svc #0
  mov r0, #0
  mov r7, #1
  svc #0
.align 2
values: .word ${VALUES.map((v) => `0x${v.toString(16)}`).join(', ')}
.data
out: .space ${OUT_SIZE}
`;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

describe.skipIf(!TOOLS)('SIMD integer and saturating instructions on edge values against qemu-arm', () => {
  const dir = TOOLS ? mkdtempSync(join(tmpdir(), 'tsemu-arm-simd-')) : '';
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  const rigs = BACKENDS.map((b) => [b, new ArmRig(b)] as const);
  for (const [, rig] of rigs) rig.mem.setProt(DATA, OUT_SIZE, PROT_READ | PROT_WRITE);

  for (const thumb of [false, true]) {
    it(thumb ? 'Thumb' : 'A32', () => {
      const elf = assembleElf(dir, program(thumb));
      const q = spawnSync('qemu-arm', [elf], { maxBuffer: 2 * OUT_SIZE });
      expect(q.status, q.stderr?.toString()).toBe(0);
      const want = Buffer.from(q.stdout);
      expect(want.length).toBe(OUT_SIZE);
      const text = textBytes(dir, elf);
      const nm = spawnSync('arm-linux-gnueabihf-nm', [elf], { encoding: 'utf8' }).stdout;
      const starts = [...Array(CASES.length + 1).keys()].map((c) => parseInt(new RegExp(`^([0-9a-f]+) t case_${c}$`, 'm').exec(nm)![1], 16));
      const failures: string[] = [];
      for (const [backend, rig] of rigs) {
        rig.mem.zero(DATA, OUT_SIZE);
        CASES.forEach(([name], c) => {
          rig.load(text, thumb);
          rig.mem.view.setUint32(rig.env + PC, starts[c] | (thumb ? 1 : 0), true);
          rig.end = starts[c + 1];
          expect(rig.run(), `${backend} ${name}`).toBe(ExitReason.Next);
          const base = c * CASE_SIZE;
          const got = Buffer.from(rig.mem.read(DATA + base, CASE_SIZE));
          const at = got.findIndex((v, i) => v !== want[base + i]);
          if (at < 0) return;
          const rec = Math.floor(at / RECORD), k = rec * RECORD;
          const a = VALUES[Math.floor(rec / VALUES.length)], b = VALUES[rec % VALUES.length];
          const fields = (buf: Buffer, o: number): string => [0, 4, 8].map((f) => hex(buf.readUInt32LE(o + k + f))).join(' ');
          failures.push(`${backend} ${name} a=${hex(a)} b=${hex(b)}: r0 r4 apsr ${fields(got, 0)} != qemu ${fields(want, base)}`);
        });
      }
      expect(failures).toEqual([]);
    });
  }
});
