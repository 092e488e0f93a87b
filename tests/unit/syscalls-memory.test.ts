import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MMAP_TOP } from '../../src/memory/address-space.js';
import { AT_FDCWD, Fixture, SCRATCH, makeFixture } from './syscalls-fixture.js';

const PROT_R = 1, PROT_RW = 3, PROT_RX = 5;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANON = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
const ENOMEM = 12, EEXIST = 17, EINVAL = 22;
const PAGE = 4096;

let f: Fixture;
beforeEach(() => { f = makeFixture(); });
const prot = (addr: number): number => f.mem.pageProt(addr);

describe('mmap family', () => {
  it('maps anonymous memory top-down and sets the protection table', () => {
    const a = f.call('mmap', 0, 3 * PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0);
    expect(a).toBe(MMAP_TOP - 3 * PAGE);
    expect([prot(a), prot(a + 2 * PAGE), prot(a + 3 * PAGE)]).toEqual([PROT_RW, PROT_RW, 0]);
    const b = f.call('mmap', 0, 100, PROT_R, MAP_PRIVATE | MAP_ANON, -1, 0);
    expect(b).toBe(a - PAGE);
    expect(f.call('munmap', a + PAGE, PAGE)).toBe(0);
    expect([prot(a), prot(a + PAGE), prot(a + 2 * PAGE)]).toEqual([PROT_RW, 0, PROT_RW]);
    expect(f.call('mprotect', a, PAGE, PROT_R)).toBe(0);
    expect(prot(a)).toBe(PROT_R);
    expect(f.call('mprotect', a, 2 * PAGE, PROT_R)).toBe(-ENOMEM); // second page is a hole
    expect(f.call('mprotect', a + 1, PAGE, PROT_R)).toBe(-EINVAL);
  });

  it('rejects bad arguments and honours MAP_FIXED / MAP_FIXED_NOREPLACE', () => {
    expect(f.call('mmap', 0, 0, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0)).toBe(-EINVAL);
    expect(f.call('mmap', 0, PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 12)).toBe(-EINVAL);
    expect(f.call('mmap', 0, PAGE, PROT_RW, MAP_ANON, -1, 0)).toBe(-EINVAL);
    expect(f.call('mmap', 0x10000001, PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0)).toBe(-EINVAL);
    expect(f.call('mmap', 0, 2 ** 33, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0)).toBe(-ENOMEM);
    expect(f.call('mmap', SCRATCH, PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED_NOREPLACE, -1, 0)).toBe(-EEXIST);
    f.mem.writeU32(SCRATCH, 0xdeadbeef);
    expect(f.call('mmap', SCRATCH, PAGE, PROT_R, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0)).toBe(SCRATCH);
    expect(f.mem.readU32(SCRATCH)).toBe(0); // fresh zero page
    expect(prot(SCRATCH)).toBe(PROT_R);
    expect(f.call('mmap', 0x30000000, PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0)).toBe(0x30000000); // free hint
    expect(f.call('mmap', 0xe0000123, PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0)).toBe(0xe0001000); // above 2^31, rounded up
  });

  it('reads C strings across a page boundary and faults at the first unmapped byte', () => {
    const at = 0x30000000;
    expect(f.call('mmap', at, 2 * PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0)).toBe(at);
    f.mem.write(at + PAGE - 3, new TextEncoder().encode('héllo\0'));
    expect(f.mem.readCString(at + PAGE - 3)).toBe('héllo');
    expect(f.mem.readCStringBytes(at + PAGE - 3, 7).length).toBe(6);
    expect(() => f.mem.readCStringBytes(at + PAGE - 3, 6)).toThrow(/0x30001003/); // no NUL within max
    f.mem.write(at + PAGE, new Uint8Array(PAGE).fill(0x41));
    expect(() => f.mem.readCString(at + PAGE + 5)).toThrow(/0x30002000/);
  });

  it('gives zero pages again where memory was written and unmapped (above 2^31 too)', () => {
    for (const at of [0x30000000, 0xe0000000]) {
      expect(f.call('mmap', at, 3 * PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0)).toBe(at);
      f.mem.writeU32(at + PAGE + 8, 0xdeadbeef);
      expect(f.call('munmap', at, 3 * PAGE)).toBe(0);
      expect(f.call('mmap', at, 3 * PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0)).toBe(at);
      expect(f.mem.readU32(at + PAGE + 8)).toBe(0);
    }
  });

  it('tells the TB cache when code pages change', () => {
    const seen: [number, number][] = [];
    f.p.onCodeChange = (s, l) => seen.push([s, l]);
    const a = f.call('mmap', 0, 2 * PAGE, PROT_RX, MAP_PRIVATE | MAP_ANON, -1, 0);
    expect(seen).toEqual([]);
    f.call('mprotect', a, PAGE, PROT_RW);
    f.call('munmap', a + PAGE, PAGE);
    expect(seen).toEqual([[a, PAGE], [a + PAGE, PAGE]]);
    expect(f.call('riscv_flush_icache', 0, 0, 0)).toBe(0);
    expect(seen.length).toBe(3);
  });

  it('maps a file privately, and shared mappings as copies', () => {
    const file = path.join(os.tmpdir(), `tsemu-mmap-${process.pid}`);
    fs.writeFileSync(file, Buffer.alloc(PAGE + 10, 0x41));
    try {
      const fd = f.call('openat', AT_FDCWD, f.str(SCRATCH, file), 0, 0);
      const a = f.call('mmap', 0, 2 * PAGE, PROT_R, MAP_PRIVATE, fd, PAGE);
      expect(f.mem.readU8(a)).toBe(0x41);
      expect(f.mem.readU8(a + 9)).toBe(0x41);
      expect(f.mem.readU8(a + 10)).toBe(0); // past end of file
      expect(f.as.formatMaps()).toContain(`r--p 00001000 00:00 0`);
      expect(f.as.find(a)?.name).toBe(file);
      const s = f.call('mmap', 0, PAGE, PROT_RW, MAP_SHARED, fd, 0);
      expect(f.mem.readU8(s + 100)).toBe(0x41);
      expect(f.call('mmap', 0, PAGE, PROT_R, MAP_PRIVATE, 77, 0)).toBe(-9);
    } finally {
      fs.rmSync(file);
    }
  });

  it('grows and moves with mremap, and zeroes on MADV_DONTNEED', () => {
    const a = f.call('mmap', 0, PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0);
    f.mem.writeU32(a, 1234);
    expect(f.call('mremap', a, PAGE, 2 * PAGE, 0, 0)).toBe(a); // room above: grows in place
    expect(prot(a + PAGE)).toBe(PROT_RW);
    expect(f.call('mremap', a, 2 * PAGE, PAGE, 0, 0)).toBe(a);
    f.call('mmap', a + PAGE, PAGE, PROT_R, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0);
    expect(f.call('mremap', a, PAGE, 2 * PAGE, 0, 0)).toBe(-ENOMEM); // now blocked
    const b = f.call('mremap', a, PAGE, 2 * PAGE, 1, 0);
    expect(b).not.toBe(a);
    expect(f.mem.readU32(b)).toBe(1234);
    expect(prot(a)).toBe(0);
    expect(prot(b + PAGE)).toBe(PROT_RW);
    expect(f.call('mremap', b, 2 * PAGE, PAGE, 0, 0)).toBe(b);
    expect(prot(b + PAGE)).toBe(0);
    expect(f.call('madvise', b, PAGE, 4)).toBe(0);
    expect(f.mem.readU32(b)).toBe(0);
    // MAP_SHARED anonymous memory keeps its contents (other processes see the same pages).
    const s = f.call('mmap', 0, PAGE, PROT_RW, MAP_SHARED | MAP_ANON, -1, 0);
    f.mem.writeU32(s, 5678);
    expect(f.call('madvise', s, PAGE, 4)).toBe(0);
    expect(f.mem.readU32(s)).toBe(5678);
  });

  it('moves the break inside a [heap] mapping and refuses to overlap', () => {
    f.as.brkStart = f.as.brk = 0x400800;
    expect(f.call('brk', 0)).toBe(0x400800);
    expect(f.call('brk', 0x402000)).toBe(0x402000);
    expect(prot(0x401000)).toBe(PROT_RW);
    expect(f.as.formatMaps()).toContain('00401000-00402000 rw-p 00000000 00:00 0');
    expect(f.as.formatMaps()).toContain('[heap]');
    f.call('mmap', 0x410000, PAGE, PROT_R, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0);
    expect(f.call('brk', 0x420000)).toBe(0x402000); // would cover the mapping
    expect(f.call('brk', 0x401000)).toBe(0x401000);
    expect(prot(0x401000)).toBe(0);
  });
});
