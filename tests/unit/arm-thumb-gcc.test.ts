// gcc -O2 Thumb-2 code (data/arm-thumb-gcc.c: switches as TBB/TBH, IT blocks, CBZ, 64-bit
// arithmetic, bit fields, libgcc division) under qemu-arm and under the frontend with each
// backend: the text it writes must agree. Freestanding and without VFP, so it needs no more of
// the emulator than the integer frontend. Needs the cross toolchain and qemu-user.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { PC } from '../../src/target/arm/cpu-state.js';
import { ArmRig, BACKENDS, CODE, CODE_SIZE, DATA, hasTool } from './arm-rig.js';

const TOOLS = hasTool('arm-linux-gnueabihf-gcc') && hasTool('qemu-arm');

describe.skipIf(!TOOLS)('gcc -O2 Thumb-2 code against qemu-arm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-arm-thumb-gcc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(BACKENDS)('%s', (kind) => {
    const elf = join(dir, `prog-${kind}`), bin = `${elf}.bin`;
    const cc = spawnSync('arm-linux-gnueabihf-gcc', [
      '-O2', '-mthumb', '-march=armv7-a+fp', '-mgeneral-regs-only', '-ffreestanding', '-nostdlib',
      '-fno-stack-protector', '-fno-pie', '-no-pie', '-static', `-Wl,-Ttext=0x${CODE.toString(16)}`,
      '-Wl,--build-id=none', join(import.meta.dirname, 'data', 'arm-thumb-gcc.c'), '-lgcc', '-o', elf,
    ]);
    expect(cc.status, cc.stderr.toString()).toBe(0);
    expect(spawnSync('arm-linux-gnueabihf-objcopy', ['-O', 'binary', elf, bin]).status).toBe(0);
    const oracle = spawnSync('qemu-arm', [elf]);
    expect(oracle.status).toBe(0);
    expect(oracle.stdout.length).toBeGreaterThan(50);

    // The image (text, then read-only data) runs where it is linked; the entry has the Thumb bit.
    const image = readFileSync(bin);
    expect(image.length).toBeLessThan(CODE_SIZE);
    const entry = readFileSync(elf).readUInt32LE(24);
    const rig = new ArmRig(kind).load(image, true).setR(13, DATA + 0xf00);
    rig.mem.view.setUint32(rig.env + PC, entry, true);
    expect(rig.run(1_000_000)).toBe(ExitReason.Syscall);
    expect(rig.r(7)).toBe(4); // write(1, out, len)
    const out = Buffer.from(rig.mem.u8.slice(rig.r(1), rig.r(1) + rig.r(2)));
    expect(out.toString()).toBe(oracle.stdout.toString());
  });
});
