// ARM ELF loading: an armhf static program loads with ARM_ELF_ARCH, its auxv promises what the
// frontend implements (no NEON), and tsemu-arm's start registers carry the Thumb bit of e_entry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../src/memory/address-space.js';
import { CPU_STATE_BASE, GuestMemory } from '../../src/memory/guest-memory.js';
import { AT_HWCAP, AT_HWCAP2, AT_PLATFORM, loadElf } from '../../src/loader/index.js';
import { ARM_ELF_ARCH, ARM_HWCAP } from '../../src/linux-user/arm/elf-arch.js';
import { armUserArch } from '../../src/linux-user/arm/user-arch.js';
import { armCpuinfo } from '../../src/linux-user/arm/cpuinfo.js';
import { PC, REG } from '../../src/target/arm/cpu-state.js';

const HELLO = resolve(__dirname, '../guest-bins/arm/hello');
const HWCAP_NEON = 1 << 12;
const has = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;

describe('ARM ELF loading', () => {
  const mem = new GuestMemory();
  const as = new AddressSpace(mem);
  const img = loadElf(as, { arch: ARM_ELF_ARCH, path: HELLO, argv: ['hello'], envp: [] });
  const aux = new Map<number, number>();
  const v = new DataView(img.auxv.buffer, img.auxv.byteOffset);
  for (let i = 0; i + 8 <= img.auxv.length; i += 8) aux.set(v.getUint32(i, true), v.getUint32(i + 4, true));

  it('gives the v7l platform and the implemented hwcaps, NEON among them', () => {
    expect(aux.get(AT_HWCAP)).toBe(ARM_HWCAP);
    expect(ARM_HWCAP & HWCAP_NEON).toBe(HWCAP_NEON);
    expect(aux.get(AT_HWCAP2)).toBe(0);
    expect(mem.readCString(aux.get(AT_PLATFORM)!)).toBe('v7l');
  });

  it('starts at e_entry with its Thumb bit, sp at the stack, r0 = 0', () => {
    const eEntry = readFileSync(HELLO).readUInt32LE(24);
    expect(eEntry & 1).toBe(1); // gcc 12 armhf: _start is Thumb code
    expect(img.entry).toBe(eEntry);
    const env = CPU_STATE_BASE;
    mem.view.setUint32(env + REG(0), 0xdead, true);
    armUserArch.initRegisters(mem, env, img.entry, img.sp);
    expect(mem.view.getUint32(env + PC, true)).toBe(eEntry);
    expect(mem.view.getUint32(env + REG(13), true)).toBe(img.sp);
    expect(mem.view.getUint32(env + REG(0), true)).toBe(0);
  });

  it('/proc/cpuinfo lists the same features', () => {
    expect(armCpuinfo(2)).toMatch(/^processor\t: 1\n(.*\n){2}Features\t: swp half thumb fastmult vfp edsp neon vfpv3 tls idiva idivt vfpd32 lpae\n/m);
  });

  it.skipIf(!has('arm-linux-gnueabihf-gcc') || !has('qemu-arm'))('claims no bit an ARMv7 Cortex-A15 lacks (qemu-arm -cpu cortex-a15)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsemu-arm-hwcap-'));
    try {
      writeFileSync(join(dir, 'a.c'), '#include <stdio.h>\n#include <sys/auxv.h>\nint main(void) { printf("%lu\\n", getauxval(AT_HWCAP)); return 0; }\n');
      expect(spawnSync('arm-linux-gnueabihf-gcc', ['-static', '-O2', '-o', join(dir, 'a'), join(dir, 'a.c')]).status).toBe(0);
      const a15 = Number(spawnSync('qemu-arm', ['-cpu', 'cortex-a15', join(dir, 'a')], { encoding: 'utf8' }).stdout);
      expect(a15 & HWCAP_NEON).not.toBe(0);
      expect((ARM_HWCAP & ~a15) >>> 0).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);
});
