// Every syscall number the kernel names has its name in the arch's table, implemented or not,
// checked against the cross toolchains' kernel headers; and a call tsemu does not implement is
// named in qemu's -strace and -d unimp lines (`keyctl(...)`, not `219`).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARM_PRIVATE_CALLS } from '../../src/linux-user/arm/private-calls.js';
import { armSyscalls } from '../../src/linux-user/arm/syscall-table.js';
import { riscv64Syscalls } from '../../src/linux-user/riscv/syscall-table.js';
import { makeArmFixture } from './arm-linux-fixture.js';
import { makeFixture } from './syscalls-fixture.js';

const GENERIC_HEADER = '/usr/riscv64-linux-gnu/include/asm-generic/unistd.h';
const ARM_HEADERS = ['/usr/arm-linux-gnueabihf/include/asm/unistd-eabi.h', '/usr/arm-linux-gnueabihf/include/asm/unistd.h'];
const ENOSYS = 38;

const defines = (text: string, re: RegExp): [string, number][] => [...text.matchAll(re)].map((m) => [m[1], Number(m[2])]);

describe('syscall names', () => {
  it.skipIf(!existsSync(GENERIC_HEADER))('riscv64 has every asm-generic number a 64-bit RISC-V kernel has', () => {
    const text = readFileSync(GENERIC_HEADER, 'utf8');
    // What riscv64's configuration leaves out: the 32-bit time calls, renameat (no
    // __ARCH_WANT_RENAMEAT), sync_file_range2's alias of 84, and the header's bookkeeping.
    const absent = (name: string): boolean => /time64$/.test(name)
      || ['renameat', 'sync_file_range2', 'arch_specific_syscall', 'syscalls'].includes(name);
    const plain = defines(text, /^#define __NR_(\w+)\s+(\d+)$/gm).filter(([name]) => !absent(name));
    // The calls whose number a 64-bit kernel gives one name and a 32-bit one another.
    const n3264 = new Map(defines(text, /^#define __NR3264_(\w+)\s+(\d+)$/gm));
    const wide = [['fcntl', 'fcntl'], ['statfs', 'statfs'], ['fstatfs', 'fstatfs'], ['truncate', 'truncate'],
      ['ftruncate', 'ftruncate'], ['lseek', 'lseek'], ['sendfile', 'sendfile'], ['newfstatat', 'fstatat'],
      ['fstat', 'fstat'], ['mmap', 'mmap'], ['fadvise64', 'fadvise64']].map(([name, base]): [string, number] => [name, n3264.get(base)!]);
    const want = [...plain, ...wide];
    expect(want.length).toBeGreaterThan(300);
    for (const [name, nr] of want) expect([nr, riscv64Syscalls.table.get(nr)?.name]).toEqual([nr, name]);
    const named = new Set(want.map(([, nr]) => nr));
    // Beyond the header: riscv_flush_icache (arch_specific_syscall + 15), riscv_hwprobe and the
    // calls of kernels newer than the installed headers.
    const extra = [...riscv64Syscalls.table.keys()].filter((nr) => !named.has(nr));
    expect(extra.filter((nr) => nr !== 258 && nr !== 259 && nr <= 450)).toEqual([]);
  });

  it.skipIf(!ARM_HEADERS.every(existsSync))('ARM has every EABI and private number of the armhf headers', () => {
    const [eabi, base] = ARM_HEADERS.map((h) => readFileSync(h, 'utf8'));
    const want = [
      // 341's alias: the table goes by syscall.tbl's name, arm_sync_file_range.
      ...defines(eabi, /^#define __NR_(\w+) \(__NR_SYSCALL_BASE \+ (\d+)\)$/gm).filter(([name]) => name !== 'sync_file_range2'),
      ...defines(base, /^#define __ARM_NR_(\w+)\s+\(__ARM_NR_BASE\s*\+\s*(\d+)\)$/gm).map(([name, n]): [string, number] => [name, 0x0f0000 + n]),
    ];
    expect(want.length).toBeGreaterThan(400);
    // The private calls tsemu runs are the cpu loop's, before the table.
    for (const [name, nr] of want.filter(([, n]) => !ARM_PRIVATE_CALLS.has(n))) {
      expect([nr, armSyscalls.table.get(nr)?.name]).toEqual([nr, name]);
    }
  });

  it('riscv64: -strace shows an unimplemented call by name with its raw arguments, -d unimp names it once', () => {
    const logs: string[] = [];
    const f = makeFixture({ strace: true, log: (text) => logs.push(text) });
    const keyctl = 219, unknown = 1000;
    expect(Number(BigInt.asIntN(64, f.p.syscall(keyctl, [1n, 2n, 3n, 4n, 5n, 2n ** 64n - 1n])))).toBe(-ENOSYS);
    f.p.syscall(keyctl, [0n, 0n, 0n, 0n, 0n, 0n]);
    f.p.syscall(unknown, []);
    const tid = f.p.current.tid;
    // qemu writes its "Unsupported syscall" line between the call and its result.
    expect(logs.join('')).toBe(
      `${tid} keyctl(1,2,3,4,5,-1)Unsupported syscall: 219 (keyctl)\n = -1 errno=38 (Function not implemented)\n`
      + `${tid} keyctl(0,0,0,0,0,0) = -1 errno=38 (Function not implemented)\n`
      + `${tid} Unknown syscall 1000\nUnsupported syscall: 1000\n`,
    );
  });

  it('ARM: -d unimp alone names the call; 32-bit registers print signed', () => {
    const f = makeArmFixture();
    expect(f.call('keyctl', 1, 2)).toBe(-ENOSYS);
    expect(f.call('add_key', 0)).toBe(-ENOSYS);
    expect(f.logs).toEqual(['Unsupported syscall: 311 (keyctl)', 'Unsupported syscall: 309 (add_key)']);
    const s = makeArmFixture({ strace: true });
    s.call('usr26', 0xffffffff);
    expect(s.logs).toContain(`${s.p.current.tid} usr26(-1,0,0,0,0,0)Unsupported syscall: 983043 (usr26)`);
  });
});
