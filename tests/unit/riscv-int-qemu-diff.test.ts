// Random integer instruction sequences (RV64IM, Zba/Zbb/Zbs, RVC, forward branches) run under
// qemu-riscv64 (the oracle) and under tsemu's frontend with each backend: the final register
// files must agree. Needs the cross toolchain and qemu-user; skipped where they are missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { BACKENDS, DATA, Rig } from './riscv-int-rig.js';

const has = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
const TOOLS = has('riscv64-linux-gnu-gcc') && has('riscv64-linux-gnu-objcopy') && has('qemu-riscv64');

/** xorshift64: a fixed, seeded sequence, so every run tests the same programs. */
function prng(seed: bigint): () => bigint {
  let x = BigInt.asUintN(64, seed) || 1n;
  return () => {
    x ^= (x << 13n) & 0xffffffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffffffn;
    return x;
  };
}

const R3 = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw', 'sllw',
  'srlw', 'sraw', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw',
  'remw', 'remuw', 'sh1add', 'sh2add', 'sh3add', 'add.uw', 'sh1add.uw', 'sh2add.uw', 'sh3add.uw', 'andn',
  'orn', 'xnor', 'max', 'maxu', 'min', 'minu', 'rol', 'rolw', 'ror', 'rorw', 'bclr', 'bext', 'binv', 'bset'];
const R2 = ['clz', 'clzw', 'ctz', 'ctzw', 'cpop', 'cpopw', 'sext.b', 'sext.h', 'zext.h', 'orc.b', 'rev8'];
const IMM12 = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw'];
const SH6 = ['slli', 'srli', 'srai', 'rori', 'bclri', 'bexti', 'binvi', 'bseti', 'slli.uw'];
const SH5 = ['slliw', 'srliw', 'sraiw', 'roriw'];
const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
const CA = ['c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw'];
const REGS = [...Array(32).keys()].filter((r) => r !== 0 && r !== 2); // sp holds the dump buffer
const SPECIAL = [0n, 1n, (1n << 63n), (1n << 64n) - 1n, (1n << 31n), (1n << 32n) - 1n, 0x7fffffffn, 0x80n];

function program(seed: bigint, length: number): string {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Number(rnd() % BigInt(xs.length))];
  const int = (lo: number, hi: number): number => lo + Number(rnd() % BigInt(hi - lo + 1));
  const x = (): string => `x${pick([0, ...REGS])}`;
  const xp = (): string => `x${int(8, 15)}`; // the RVC 3-bit register set
  const lines = ['.globl _start', '_start:'];
  for (const r of REGS) lines.push(`  li x${r}, ${rnd() % 4n === 0n ? pick(SPECIAL) : rnd() >> BigInt(int(0, 56))}`);
  for (let i = 0; i < length; i++) {
    const k = int(0, 99);
    if (k < 45) lines.push(`  ${pick(R3)} ${x()},${x()},${x()}`);
    else if (k < 55) lines.push(`  ${pick(R2)} ${x()},${x()}`);
    else if (k < 67) lines.push(`  ${pick(IMM12)} ${x()},${x()},${int(-2048, 2047)}`);
    else if (k < 77) lines.push(`  ${pick(SH6)} ${x()},${x()},${int(0, 63)}`);
    else if (k < 82) lines.push(`  ${pick(SH5)} ${x()},${x()},${int(0, 31)}`);
    else if (k < 88) lines.push(`  ${pick(BRANCHES)} ${x()},${x()},1f`, `  ${pick(R3)} ${x()},${x()},${x()}`, '1:');
    else if (k < 92) lines.push(`  ${pick(CA)} ${xp()},${xp()}`);
    else if (k < 95) lines.push(`  c.addiw x${pick(REGS)},${int(-32, 31)}`, `  c.srai ${xp()},${int(1, 63)}`);
    else lines.push(`  c.add x${pick(REGS)},x${pick(REGS)}`, `  c.slli x${pick(REGS)},${int(1, 63)}`);
  }
  // Dump x0..x31 (sp's slot holds x0) and write them to stdout, then exit.
  lines.push('  addi sp,sp,-256');
  for (let r = 0; r < 32; r++) lines.push(`  sd x${r === 2 ? 0 : r},${r * 8}(sp)`);
  lines.push('  li a0,1', '  mv a1,sp', '  li a2,256', '  li a7,64', '  ecall', '  li a0,0', '  li a7,93', '  ecall');
  return lines.join('\n') + '\n';
}

describe.skipIf(!TOOLS)('riscv integer frontend against qemu-riscv64', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-riscv-int-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const seed of [1n, 2n, 3n, 4n]) {
    it(`random program ${seed}`, () => {
      const src = join(dir, `p${seed}.S`);
      const elf = join(dir, `p${seed}`);
      const bin = join(dir, `p${seed}.bin`);
      writeFileSync(src, program(seed * 0x9e3779b97f4a7c15n, 300));
      const cc = spawnSync('riscv64-linux-gnu-gcc',
        ['-march=rv64gc_zba_zbb_zbs', '-static', '-nostdlib', src, '-o', elf]);
      expect(cc.status, cc.stderr.toString()).toBe(0);
      expect(spawnSync('riscv64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', elf, bin]).status).toBe(0);
      const oracle = spawnSync('qemu-riscv64', [elf]).stdout;
      expect(oracle.length).toBe(256);
      const code = readFileSync(bin); // position-independent: it runs at the rig's CODE
      expect(code.length).toBeLessThanOrEqual(0x1000); // the rig's code page

      for (const kind of BACKENDS) {
        const rig = new Rig(kind);
        const halves = [...Array(code.length >> 1).keys()].map((i) => ({ c: code.readUInt16LE(2 * i) }));
        rig.load(halves).setX(2, DATA + 0x800);
        expect(rig.run(100000)).toBe(ExitReason.Syscall); // the write of the dump
        const dump = Buffer.from(rig.mem.u8.slice(DATA + 0x800 - 256, DATA + 0x800));
        for (let r = 0; r < 32; r++) {
          expect(dump.readBigUInt64LE(r * 8), `${kind} x${r}`).toBe(oracle.readBigUInt64LE(r * 8));
        }
      }
    });
  }
});
