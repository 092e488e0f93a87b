// The ARM EABI syscall table: numbers against the armhf kernel headers, and the ARM shapes run
// through the generic layer: 64-bit arguments in aligned register pairs, mmap2's page offset,
// the 32- and 64-bit time layouts side by side, stat64, _llseek, statfs64 and the old path calls.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { armSyscalls } from '../../src/linux-user/arm/syscall-table.js';
import { riscv64Syscalls } from '../../src/linux-user/riscv/syscall-table.js';
import { GENERIC_SYSCALLS } from '../../src/linux-user/generic/syscall-impls.js';
import { AT_FDCWD, SCRATCH, armNr, makeArmFixture } from './arm-linux-fixture.js';

const f = makeArmFixture();
const dir = mkdtempSync(join(tmpdir(), 'tsemu-arm-sys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ARM EABI syscall table', () => {
  // The implemented calls: the other entries only name what the kernel has (syscall-names.test.ts).
  const implemented = (arch: typeof armSyscalls) => {
    const impls = { ...GENERIC_SYSCALLS, ...arch.archImpls };
    return [...arch.table.values()].filter((e) => impls[e.impl ?? e.name]);
  };

  it('has every call of the riscv64 table (by name or by the generic call it runs)', () => {
    const arm = new Set(implemented(armSyscalls).flatMap((e) => [e.name, e.impl]));
    const absent = implemented(riscv64Syscalls).map((e) => e.name).filter((n) => !arm.has(n));
    expect(absent).toEqual(['riscv_hwprobe', 'riscv_flush_icache']);
  });

  it('implements every call of its list: the name-only entries are the kernel names it lacks', () => {
    const ours = new Set(implemented(armSyscalls));
    const nameOnly = [...armSyscalls.table.values()].filter((e) => !ours.has(e));
    expect(nameOnly.map((e) => e.impl)).toEqual(nameOnly.map(() => 'sys_ni_syscall'));
    expect(ours.size).toBeGreaterThan(150);
  });

  it('layout overrides name layouts the arch has', () => {
    for (const e of armSyscalls.table.values()) {
      for (const own of Object.values(e.layouts ?? {})) expect(armSyscalls.layouts[own], `${e.name}: ${own}`).toBeDefined();
    }
  });
});

describe('ARM argument shapes', () => {
  it('clock_gettime writes a 32-bit timespec, clock_gettime64 a 64-bit one', () => {
    const before = Math.floor(Date.now() / 1000);
    f.mem.write(SCRATCH, new Uint8Array(32).fill(0xee));
    expect(f.call('clock_gettime', 0, SCRATCH)).toBe(0);
    const sec32 = f.mem.readI32(SCRATCH);
    expect(sec32).toBeGreaterThanOrEqual(before);
    expect(f.mem.readU32(SCRATCH + 4)).toBeLessThan(1e9);
    expect(f.mem.readU32(SCRATCH + 8)).toBe(0xeeeeeeee); // 8 bytes only

    f.mem.write(SCRATCH, new Uint8Array(32).fill(0xee));
    expect(f.call('clock_gettime64', 0, SCRATCH)).toBe(0);
    expect(Number(f.mem.readU64(SCRATCH))).toBeGreaterThanOrEqual(before);
    expect(f.mem.readU64(SCRATCH + 8)).toBeLessThan(1000000000n); // tv_nsec's high half zeroed
    expect(f.mem.readU32(SCRATCH + 16)).toBe(0xeeeeeeee);
  });

  it('clock_nanosleep_time64 reads a 64-bit timespec (bad nsec is EINVAL)', () => {
    f.mem.writeU64(SCRATCH, 0n);
    f.mem.writeU64(SCRATCH + 8, 1000n);
    expect(f.call('clock_nanosleep_time64', 1, 0, SCRATCH, 0)).toBe(0);
    f.mem.writeU64(SCRATCH + 8, 2000000000n);
    expect(f.call('clock_nanosleep_time64', 1, 0, SCRATCH, 0)).toBe(-22);
    // The same bytes read as a 32-bit timespec are sec 0, nsec 0: valid.
    expect(f.call('clock_nanosleep', 1, 0, SCRATCH, 0)).toBe(0);
  });

  it('poll (168) takes milliseconds; ppoll/pselect6 read 32-bit timespecs, their _time64 forms 64-bit ones', () => {
    expect(['_newselect', 'poll', 'pselect6', 'ppoll', 'pselect6_time64', 'ppoll_time64'].map(armNr))
      .toEqual([142, 168, 335, 336, 413, 414]);
    const PFD = SCRATCH + 0x100, TS = SCRATCH + 0x200;
    expect(f.call('pipe2', SCRATCH + 0x300, 0)).toBe(0);
    f.mem.writeU32(PFD, f.mem.readU32(SCRATCH + 0x300)); // the empty read end: never ready
    f.mem.writeU32(PFD + 4, 1); // POLLIN
    let t0 = performance.now();
    expect(f.call('poll', PFD, 1, 20)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    // 64-bit tv_sec 0, tv_nsec 20 ms: as a 32-bit timespec that is tv_sec 0, tv_nsec 0.
    f.mem.writeU64(TS, 0n);
    f.mem.writeU64(TS + 8, 20000000n);
    t0 = performance.now();
    expect(f.call('ppoll', PFD, 1, TS, 0, 8)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(15);
    t0 = performance.now();
    expect(f.call('ppoll_time64', PFD, 1, TS, 0, 8)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    // _newselect takes a struct timeval; fd_set words are 32-bit.
    f.mem.writeU32(SCRATCH + 0x400, 1 << 1); // stdout
    f.mem.writeU32(TS, 0);
    f.mem.writeU32(TS + 4, 0);
    expect(f.call('_newselect', 2, 0, SCRATCH + 0x400, 0, TS)).toBe(1);
    expect(f.mem.readU32(SCRATCH + 0x400)).toBe(2);
  });

  it('pread64 takes its offset from the r4/r5 pair (r3 is padding)', () => {
    const file = join(dir, 'data');
    writeFileSync(file, '0123456789abcdef');
    const fd = f.call('openat', AT_FDCWD, f.str(SCRATCH + 0x1000, file), 0, 0);
    expect(fd).toBeGreaterThanOrEqual(3);
    expect(f.call('pread64', fd, SCRATCH, 4, 0xdead, 10, 0)).toBe(4);
    expect(Buffer.from(f.mem.read(SCRATCH, 4)).toString()).toBe('abcd');
    // _llseek(fd, high, low, &result, whence): SEEK_SET to 5, result as a 64-bit value
    expect(f.call('_llseek', fd, 0, 5, SCRATCH + 64, 0)).toBe(0);
    expect(f.mem.readU64(SCRATCH + 64)).toBe(5n);
    expect(f.call('_llseek', fd, 0xffffffff, 0xfffffffe, SCRATCH + 64, 1)).toBe(0); // SEEK_CUR -2
    expect(f.mem.readU64(SCRATCH + 64)).toBe(3n);
    expect(f.call('read', fd, SCRATCH, 2)).toBe(2);
    expect(Buffer.from(f.mem.read(SCRATCH, 2)).toString()).toBe('34');
    // preadv's offset is (low, high) in r3/r4, not pair-aligned
    f.mem.writeU32(SCRATCH + 128, SCRATCH);
    f.mem.writeU32(SCRATCH + 132, 3);
    expect(f.call('preadv', fd, SCRATCH + 128, 1, 12, 0)).toBe(3);
    expect(Buffer.from(f.mem.read(SCRATCH, 3)).toString()).toBe('cde');
    // ftruncate64(fd, pad, low, high)
    expect(f.call('ftruncate64', fd, 0, 7, 0)).toBe(-22); // opened read-only: EINVAL from the host
    expect(f.call('close', fd)).toBe(0);
  });

  it('truncate64 takes the r2/r3 pair', () => {
    const file = join(dir, 'trunc');
    writeFileSync(file, 'x'.repeat(100));
    expect(f.call('truncate64', f.str(SCRATCH + 0x1000, file), 0, 7, 0)).toBe(0);
    expect(readFileSync(file).length).toBe(7);
    expect(f.call('truncate', f.str(SCRATCH + 0x1000, file), 3)).toBe(0); // 32-bit length
    expect(readFileSync(file).length).toBe(3);
  });

  it('mmap2 counts its offset in 4 KiB pages', () => {
    const file = join(dir, 'pages');
    writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 0x41), Buffer.alloc(4096, 0x42)]));
    const fd = f.call('open', f.str(SCRATCH + 0x1000, file), 0, 0);
    const addr = f.call('mmap2', 0, 4096, 1, 2, fd, 1) >>> 0;
    expect(f.mem.readU8(addr)).toBe(0x42);
    expect(f.call('munmap', addr, 4096)).toBe(0);
    f.call('close', fd);
  });

  it('stat64 and fstat64 fill struct stat64; the old fstat the short struct stat', () => {
    const file = join(dir, 'st');
    writeFileSync(file, 'hello');
    f.mem.write(SCRATCH, new Uint8Array(128));
    expect(f.call('stat64', f.str(SCRATCH + 0x1000, file), SCRATCH)).toBe(0);
    expect(f.mem.readU64(SCRATCH + 48)).toBe(5n); // st_size
    expect(f.mem.readU32(SCRATCH + 16) & 0o170000).toBe(0o100000); // st_mode: S_IFREG
    expect(f.mem.readU64(SCRATCH + 96)).not.toBe(0n); // st_ino
    const fd = f.call('open', SCRATCH + 0x1000, 0, 0);
    f.mem.write(SCRATCH, new Uint8Array(128));
    expect(f.call('fstat', fd, SCRATCH)).toBe(0);
    expect(f.mem.readU32(SCRATCH + 20)).toBe(5); // st_size
    expect(f.mem.readU16(SCRATCH + 8) & 0o170000).toBe(0o100000);
    expect(f.mem.readU32(SCRATCH + 64)).toBe(0); // 64 bytes only
    f.call('close', fd);
  });

  it('statfs64 insists on sizeof(struct statfs64): 84 in the kernel, 88 in glibc', () => {
    const p = f.str(SCRATCH + 0x1000, dir);
    expect(f.call('statfs64', p, 84, SCRATCH)).toBe(0);
    expect(f.mem.readU32(SCRATCH + 56)).toBe(255); // f_namelen
    f.mem.writeU32(SCRATCH + 56, 0);
    expect(f.call('statfs64', p, 88, SCRATCH)).toBe(0);
    expect(f.mem.readU32(SCRATCH + 56)).toBe(255);
    expect(f.call('statfs64', p, 80, SCRATCH)).toBe(-22);
    expect(f.call('fstatfs64', 1, 96, SCRATCH)).toBe(-22);
  });

  it('prlimit64 uses 64-bit rlimits, ugetrlimit 32-bit ones', () => {
    expect(f.call('prlimit64', 0, 3, 0, SCRATCH)).toBe(0); // RLIMIT_STACK
    expect(f.mem.readU64(SCRATCH)).toBe(8n << 20n);
    expect(f.mem.readU64(SCRATCH + 8)).toBe((1n << 64n) - 1n);
    f.mem.write(SCRATCH, new Uint8Array(16));
    expect(f.call('ugetrlimit', 3, SCRATCH)).toBe(0);
    expect(f.mem.readU32(SCRATCH)).toBe(8 << 20);
    expect(f.mem.readU32(SCRATCH + 4)).toBe(0xffffffff);
    expect(f.mem.readU32(SCRATCH + 8)).toBe(0);
  });

  it('the old path calls act at the cwd', () => {
    const a = f.str(SCRATCH + 0x1000, join(dir, 'd1'));
    const b = f.str(SCRATCH + 0x1100, join(dir, 'd2'));
    expect(f.call('mkdir', a, 0o755)).toBe(0);
    expect(f.call('access', a, 0)).toBe(0);
    expect(f.call('rename', a, b)).toBe(0);
    expect(f.call('access', a, 0)).toBe(-2);
    expect(f.call('unlink', b)).toBe(-21); // EISDIR
    expect(f.call('rmdir', b)).toBe(0);
    const link = f.str(SCRATCH + 0x1200, join(dir, 'ln'));
    expect(f.call('symlink', f.str(SCRATCH + 0x1300, 'target'), link)).toBe(0);
    expect(f.call('readlink', link, SCRATCH, 64)).toBe(6);
    expect(f.call('lstat64', link, SCRATCH + 256)).toBe(0);
    expect(f.mem.readU32(SCRATCH + 256 + 16) & 0o170000).toBe(0o120000); // S_IFLNK
    expect(f.call('unlink', link)).toBe(0);
    expect(f.call('dup2', 1, 1)).toBe(1);
    expect(f.call('dup2', 99, 99)).toBe(-9);
  });

  it('getuid32 and friends are the generic id calls', () => {
    expect(f.call('getuid32')).toBe(process.getuid!());
    expect(f.call('getegid32')).toBe(process.getegid!());
  });

  it('uname says armv7l; sysinfo and rusage use 32-bit longs', () => {
    expect(f.call('uname', SCRATCH)).toBe(0);
    expect(f.mem.readCString(SCRATCH + 260)).toBe('armv7l');
    expect(f.call('sysinfo', SCRATCH)).toBe(0);
    expect(f.mem.readU32(SCRATCH + 52)).toBe(1); // mem_unit
  });

  it('fcntl64 with F_GETLK64 reports the range unlocked', () => {
    const fd = f.call('open', f.str(SCRATCH + 0x1000, join(dir, 'st')), 0, 0);
    f.mem.writeU16(SCRATCH, 0);
    expect(f.call('fcntl64', fd, 12, SCRATCH)).toBe(0);
    expect(f.mem.readU16(SCRATCH)).toBe(2); // F_UNLCK
    f.call('close', fd);
  });
});

describe('ARM -strace', () => {
  it('prints mmap2 with its page offset and pointers at 32-bit width', () => {
    const s = makeArmFixture({ strace: true });
    s.call('mmap2', 0, 4096, 3, 0x22, -1, 0);
    expect(s.logs.at(-1)).toMatch(/^\d+ mmap2\(NULL,4096,PROT_READ\|PROT_WRITE,MAP_PRIVATE\|MAP_ANONYMOUS,-1,0\) = 0x[0-9a-f]{8}$/);
    expect(armNr('mmap2')).toBe(192);
  });
});
