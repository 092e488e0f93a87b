// The kuser helper page: mapped read+execute at 0xffff0000 with the version word, and its code
// (the helpers and the sigreturn trampolines) what GNU as assembles for the sequences
// kuser-page.ts lists (skipped without binutils).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../src/memory/address-space.js';
import { GuestMemory, PROT_EXEC, PROT_READ } from '../../src/memory/guest-memory.js';
import { KUSER_PAGE, kuserPageBytes, mapKuserPage } from '../../src/linux-user/arm/kuser-page.js';

const has = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
const BINUTILS = has('arm-linux-gnueabihf-as') && has('arm-linux-gnueabihf-objcopy');

/** Each helper's source, placed at its ABI address (offsets from 0xffff0f60). */
const SOURCE = `
  .syntax unified
  .arch armv7-a
  .arm
cmpxchg64:                 @ 0xffff0f60
  push {r4, r5, r6, r7}
  ldrd r4, r5, [r0]
  ldrd r6, r7, [r1]
1: ldrexd r0, r1, [r2]
  eors r3, r0, r4
  eorseq r3, r1, r5
  strexdeq r3, r6, r7, [r2]
  cmpeq r3, #1
  beq 1b
  rsbs r0, r3, #0
  dmb ish
  pop {r4, r5, r6, r7}
  bx lr
  .org 0x40
barrier:                   @ 0xffff0fa0
  dmb ish
  bx lr
  .org 0x60
cmpxchg:                   @ 0xffff0fc0
2: ldrex r3, [r2]
  eors r3, r3, r0
  strexeq r3, r1, [r2]
  cmpeq r3, #1
  beq 2b
  rsbs r0, r3, #0
  dmb ish
  bx lr
get_tls:                   @ 0xffff0fe0
  mrc p15, 0, r0, c13, c0, 3
  bx lr
  .org 0x9c
version:                   @ 0xffff0ffc
  .word 5
`;

/** The sigreturn trampolines at 0xffff0500: A32, then Thumb, for sigreturn and rt_sigreturn. */
const SIGRETURN_SOURCE = `
  .syntax unified
  .arch armv7-a
  .arm
  mov r7, #119
  svc 0
  mov r7, #173
  svc 0
  .thumb
  movs r7, #119
  svc 0
  movs r7, #173
  svc 0
`;

function assemble(dir: string, src: string): Uint8Array {
  writeFileSync(join(dir, 'k.s'), src);
  expect(spawnSync('arm-linux-gnueabihf-as', ['-o', join(dir, 'k.o'), join(dir, 'k.s')]).status).toBe(0);
  expect(spawnSync('arm-linux-gnueabihf-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'k.o'), join(dir, 'k.bin')]).status).toBe(0);
  return new Uint8Array(readFileSync(join(dir, 'k.bin')));
}

describe('kuser helper page', () => {
  it('is mapped read+execute at 0xffff0000 with version 5 at 0xffff0ffc', () => {
    const mem = new GuestMemory();
    const as = new AddressSpace(mem);
    mapKuserPage(as);
    expect(mem.pageProt(KUSER_PAGE)).toBe(PROT_READ | PROT_EXEC);
    expect(mem.readU32(0xffff0ffc)).toBe(5);
    expect(as.formatMaps()).toBe('ffff0000-ffff1000 r-xp 00000000 00:00 0\n');
  });

  it.skipIf(!BINUTILS)('holds what GNU as makes of the helper sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsemu-kuser-'));
    try {
      const want = assemble(dir, SOURCE);
      // Bytes between helpers are padding either way: compare the whole tail from 0xf60.
      const page = kuserPageBytes();
      const tail = page.subarray(0xf60);
      const wantWords = Array.from({ length: want.length / 4 }, (_, i) => new DataView(want.buffer).getUint32(4 * i, true));
      const gotWords = Array.from({ length: tail.length / 4 }, (_, i) => new DataView(tail.buffer, tail.byteOffset).getUint32(4 * i, true));
      // GNU as pads .org gaps with zeroes, as the page does.
      expect(gotWords.map((w) => w.toString(16))).toEqual(wantWords.map((w) => w.toString(16)));
      const trampolines = assemble(dir, SIGRETURN_SOURCE);
      expect([...page.subarray(0x500, 0x500 + trampolines.length)]).toEqual([...trampolines]);
      expect(page.subarray(0, 0x500).every((b) => b === 0)).toBe(true);
      expect(page.subarray(0x500 + trampolines.length, 0xf60).every((b) => b === 0)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
