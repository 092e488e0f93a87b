// The ELF loader against tiny committed fixtures (tests/unit/fixtures/loader, rebuilt by its
// build.sh). Expected stack offsets are the ones qemu-riscv64 / qemu-arm 7.2 produce for the
// same argv, envp and path lengths.
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressSpace, STACK_TOP } from '../../src/memory/address-space.js';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import {
  AT_EXECFN, AT_HWCAP, AT_HWCAP2, AT_PHDR, AT_PHNUM, AT_PLATFORM, AT_RANDOM, LoaderError,
  RISCV64_ELF_ARCH, loadElf, type ElfArch, type LoadRequest,
} from '../../src/loader/index.js';

const FIX = resolve(__dirname, 'fixtures/loader');
const RX = PROT_READ | PROT_EXEC;
const RW = PROT_READ | PROT_WRITE;
// One shared 4 GiB memory (lazily backed); each test gets a fresh address space over it after
// clearing the previous one's mappings.
const mem = new GuestMemory();
const fresh = (): AddressSpace => {
  mem.prot.fill(0, 0, STACK_TOP >>> 12);
  return new AddressSpace(mem);
};
const seq16 = (): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const load = (req: Partial<LoadRequest> & { path: string }, as = fresh()) => ({
  as,
  r: loadElf(as, { arch: RISCV64_ELF_ARCH, argv: [req.path], envp: [], random: seq16, ...req }),
});

/** Reads the initial stack back: argc, argv, envp and the auxv as a map. */
function readStack(as: AddressSpace, sp: number, word: 4 | 8) {
  const rd = (a: number): number => (word === 8 ? Number(as.mem.readU64(a)) : as.mem.readU32(a));
  let a = sp;
  const next = (): number => { const v = rd(a); a += word; return v; };
  const argc = next();
  const argv = Array.from({ length: argc }, () => as.mem.readCString(next()));
  expect(next()).toBe(0);
  const envp: string[] = [];
  for (let p = next(); p !== 0; p = next()) envp.push(as.mem.readCString(p));
  const auxStart = a;
  const aux: [number, number][] = [];
  for (;;) { const t = next(); const v = next(); if (t === 0) break; aux.push([t, v]); }
  return { argc, argv, envp, aux: new Map(aux), order: aux.map(([t]) => t), auxStart, auxEnd: a };
}

/** The PT_LOAD program headers of a 64-bit fixture, read raw. */
function loads64(file: Buffer) {
  const phoff = Number(file.readBigUInt64LE(32));
  const phnum = file.readUInt16LE(56);
  const out: { vaddr: number; offset: number; filesz: number; memsz: number }[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = (off: number): number => Number(file.readBigUInt64LE(phoff + 56 * i + off));
    if (file.readUInt32LE(phoff + 56 * i) === 1) out.push({ offset: ph(8), vaddr: ph(16), filesz: ph(32), memsz: ph(40) });
  }
  return out;
}
const pageUp = (a: number): number => Math.ceil(a / 4096) * 4096;

let cwd: string;
beforeAll(() => { cwd = process.cwd(); process.chdir(FIX); });
afterAll(() => process.chdir(cwd));

describe('static ET_EXEC', () => {
  const file = readFileSync(join(FIX, 'exec'));
  const data = loads64(file)[1]; // data + bss

  it('maps segments page-aligned with their protections and file names', () => {
    const { as, r } = load({ path: './exec' });
    expect(r.entry).toBe(Number(file.readBigUInt64LE(24)));
    expect(r.base).toBe(0);
    expect(mem.pageProt(0x10000)).toBe(RX);
    expect(mem.pageProt(data.vaddr)).toBe(RW);
    const end = pageUp(data.vaddr + data.memsz);
    expect(mem.pageProt(end - 1)).toBe(RW);
    expect(mem.pageProt(end)).toBe(0);
    expect(mem.pageProt(0xf000)).toBe(0);
    expect(as.find(0x10000)?.name).toBe(join(FIX, 'exec'));
    expect(r.path).toBe(join(FIX, 'exec'));
    expect(as.find(data.vaddr)?.offset).toBe(data.offset - (data.vaddr % 4096));
    expect(as.find(end - 1)?.name).toBe(''); // bss beyond the file page is anonymous
  });

  it('copies file bytes and zeroes the bss, including the tail of the last file page', () => {
    const { as } = load({ path: './exec' });
    const want = file.subarray(data.offset, data.offset + data.filesz);
    expect(Buffer.from(as.mem.read(data.vaddr, data.filesz))).toEqual(want);
    expect(want.toString()).toContain('tsemu-loader-data');
    // The file has bytes (section headers) after the data; the guest must see zeroes there.
    expect(file.length).toBeGreaterThan(data.offset + data.filesz);
    const bss = as.mem.read(data.vaddr + data.filesz, data.memsz - data.filesz);
    expect(bss.every((b) => b === 0)).toBe(true);
    // The first page holds the ELF header, as a file mapping of offset 0 does.
    expect(Buffer.from(as.mem.read(0x10000, 4)).toString('latin1')).toBe('\x7fELF');
  });

  it('sets brk to the page-aligned end of the highest segment', () => {
    const { as, r } = load({ path: './exec' });
    const end = pageUp(data.vaddr + data.memsz);
    expect(r.brk).toBe(end);
    expect(as.brkStart).toBe(end);
    expect(as.brk).toBe(end);
  });
});

describe('initial stack', () => {
  it('lays out argc, argv, envp and auxv as qemu-riscv64 does', () => {
    const { as, r } = load({ path: './exec', argv: ['./exec', 'a', 'bb'], envp: ['A=1'] });
    // qemu-riscv64 with "./stk a bb" and env A=1 (same string lengths, one byte shorter path):
    // execfn at top-0xe, AT_RANDOM at top-0x2d, sp at top-0x180. Here the path is one longer.
    const s = readStack(as, r.sp, 8);
    expect(r.sp % 16).toBe(0);
    expect(STACK_TOP - r.sp).toBe(0x180);
    expect(s.argc).toBe(3);
    expect(s.argv).toEqual(['./exec', 'a', 'bb']);
    expect(s.envp).toEqual(['A=1']);
    expect(s.aux.get(AT_EXECFN)).toBe(STACK_TOP - 8 - 7);
    expect(as.mem.readCString(s.aux.get(AT_EXECFN)!)).toBe('./exec');
    expect(s.aux.get(AT_RANDOM)).toBe(STACK_TOP - 8 - 7 - 4 - 12 - 16);
    expect(as.mem.read(s.aux.get(AT_RANDOM)!, 16)).toEqual(seq16());
    expect(s.aux.get(AT_HWCAP)).toBe(0x112d);
    // qemu-riscv64 7.2's order and set.
    expect(s.order).toEqual([3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 25, 23, 31]);
    expect(s.aux.get(AT_PHNUM)).toBe(readFileSync(join(FIX, 'exec')).readUInt16LE(56));
    expect(Buffer.from(r.auxv)).toEqual(Buffer.from(as.mem.read(s.auxStart, s.auxEnd - s.auxStart)));
  });

  it('AT_PHDR points at the program headers in memory', () => {
    const { as, r } = load({ path: './exec' });
    const s = readStack(as, r.sp, 8);
    const file = readFileSync(join(FIX, 'exec'));
    expect(r.phdr).toBe(0x10040);
    expect(s.aux.get(AT_PHDR)).toBe(r.phdr);
    expect(Buffer.from(as.mem.read(r.phdr, 56 * 2))).toEqual(file.subarray(64, 64 + 56 * 2));
  });

  it('uses crypto random bytes by default', () => {
    const as = fresh();
    const r = loadElf(as, { arch: RISCV64_ELF_ARCH, path: './exec', argv: ['x'], envp: [] });
    const a = as.mem.read(readStack(as, r.sp, 8).aux.get(AT_RANDOM)!, 16);
    const r2 = loadElf(fresh(), { arch: RISCV64_ELF_ARCH, path: './exec', argv: ['x'], envp: [] });
    expect(r2.sp).toBe(r.sp);
    expect(mem.read(readStack(as, r.sp, 8).aux.get(AT_RANDOM)!, 16)).not.toEqual(a);
  });

  it('maps an 8 MiB stack by default, -s sizes with a 128 KiB floor, and a guard page', () => {
    const { as } = load({ path: './exec' });
    const stack = as.find(STACK_TOP - 1)!;
    expect(stack).toMatchObject({ start: STACK_TOP - 8 * 1024 * 1024, end: STACK_TOP, prot: RW, name: '[stack]' });
    expect(as.find(stack.start - 1)?.prot).toBe(0);
    expect(load({ path: './exec', stackSize: 1 << 20 }).as.find(STACK_TOP - 1)?.start).toBe(STACK_TOP - (1 << 20));
    expect(load({ path: './exec', stackSize: 4096 }).as.find(STACK_TOP - 1)?.start).toBe(STACK_TOP - 0x20000);
  });
});

describe('static-pie', () => {
  it('places an ET_DYN image at the fixed base', () => {
    const file = readFileSync(join(FIX, 'pie'));
    const { as, r } = load({ path: './pie' });
    expect(r.base).toBe(RISCV64_ELF_ARCH.dynBase);
    expect(r.entry).toBe(r.base + Number(file.readBigUInt64LE(24)));
    expect(mem.pageProt(r.base)).toBe(RX);
    expect(mem.pageProt(r.base + 0x1000)).toBe(RW);
    const last = loads64(file)[1];
    expect(r.brk).toBe(pageUp(r.base + last.vaddr + last.memsz));
    expect(as.brk).toBe(r.brk);
    expect(readStack(as, r.sp, 8).aux.get(AT_PHDR)).toBe(r.base + 64);
  });
});

describe('32-bit ARM', () => {
  // qemu-arm 7.2's values for an armhf Cortex-A15 guest.
  const ARM: ElfArch = {
    progName: 'tsemu-arm', machine: 40, elfClass: 32, hwcap: 0x1fb0d7, hwcap2: 0x1f, platform: 'v7l',
    dynBase: 0x40000000, sysroots: [],
  };
  it('lays out a 4-byte-word stack with the platform string as qemu-arm does', () => {
    const as = fresh();
    const r = loadElf(as, { arch: ARM, path: './arm', argv: ['./a'], envp: [], random: seq16 });
    expect(r.entry).toBe(readFileSync(join(FIX, 'arm')).readUInt32LE(24));
    expect(mem.pageProt(0x10000)).toBe(RX);
    const s = readStack(as, r.sp, 4);
    expect(s.argv).toEqual(['./a']);
    // qemu-arm "./a" (argv[0] "./a"): execfn top-0xc, platform top-0x14, random top-0x30.
    // Our path "./arm" is two bytes longer, argv[0] the same.
    expect(s.aux.get(AT_EXECFN)).toBe(STACK_TOP - 8 - 6);
    expect(s.aux.get(AT_PLATFORM)).toBe(STACK_TOP - 8 - 6 - 4 - 4);
    expect(as.mem.readCString(s.aux.get(AT_PLATFORM)!)).toBe('v7l');
    expect(s.aux.get(AT_RANDOM)).toBe(STACK_TOP - 0x30);
    expect(s.aux.get(AT_HWCAP2)).toBe(0x1f);
    expect(s.order).toEqual([3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 25, 23, 31, 26, 15]);
    expect(r.auxv.length).toBe((s.order.length + 1) * 8);
  });
});

describe('errors', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tsemu-loader-'));
  const exec = readFileSync(join(FIX, 'exec'));
  const put = (name: string, bytes: Uint8Array, mode = 0o755): string => {
    const p = join(tmp, name);
    writeFileSync(p, bytes);
    chmodSync(p, mode);
    return p;
  };
  const err = (path: string, prefix?: string): LoaderError => {
    try {
      load({ path, prefix });
    } catch (e) {
      expect(e).toBeInstanceOf(LoaderError);
      return e as LoaderError;
    }
    throw new Error(`${path} loaded`);
  };
  const expectErr = (path: string, message: string, status: number, prefix?: string): void => {
    const e = err(path, prefix);
    expect(e.message).toBe(message);
    expect(e.status).toBe(status);
  };

  it('a missing file', () => {
    expectErr('/nonexistent', 'Error while loading /nonexistent: No such file or directory', 1);
  });
  it('a file that is not executable, and a directory', () => {
    const p = join(tmp, 'noexec');
    copyFileSync(join(FIX, 'exec'), p);
    chmodSync(p, 0o644);
    expectErr(p, `Error while loading ${p}: Permission denied`, 1);
    expectErr(tmp, `Error while loading ${tmp}: Permission denied`, 1);
  });
  it('a non-ELF file, an empty one and a header cut short', () => {
    for (const [name, bytes] of [['text', Buffer.from('root:x:0:0\n')], ['empty', new Uint8Array()], ['t63', exec.subarray(0, 63)]] as const) {
      const p = put(name, bytes);
      expectErr(p, `Error while loading ${p}: Exec format error`, 1);
    }
  });
  it('a foreign architecture or class', () => {
    const x86 = Buffer.from(exec);
    x86.writeUInt16LE(62, 18); // EM_X86_64
    const p = put('x86', x86);
    expectErr(p, `tsemu-riscv64: ${p}: Invalid ELF image for this architecture`, 1);
    expectErr('./arm', 'tsemu-riscv64: ./arm: Invalid ELF image for this architecture', 1);
  });
  it('truncated program headers or segment data', () => {
    const data = loads64(exec)[1];
    for (const [name, len] of [['t100', 100], ['tdata', data.offset + 4]] as const) {
      const p = put(name, exec.subarray(0, len));
      expectErr(p, `tsemu-riscv64: ${p}: Error mapping file: Invalid argument`, 1);
    }
  });
  it('a dynamically linked program whose interpreter the prefix does not have', () => {
    expectErr('./dyn', "tsemu-riscv64: Could not open '/lib/ld-linux-riscv64-lp64d.so.1': No such file or directory "
      + "(tried /nonexistent/lib/ld-linux-riscv64-lp64d.so.1; give the guest's sysroot with -L or QEMU_LD_PREFIX)", 1, '/nonexistent');
  });
});
