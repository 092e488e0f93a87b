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
  loadElf, type ElfArch, type LoadRequest, type LoadedProgram,
} from '../../src/loader/index.js';
import { RISCV64_ELF_ARCH } from '../../src/linux-user/riscv/elf-arch.js';
import { PT_INTERP, PT_LOAD } from '../../src/loader/elf-file.js';
import { ARM_ELF_ARCH } from '../../src/linux-user/arm/elf-arch.js';

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
  const expectErr = (path: string, message: string, status: number, errno: string, prefix?: string): void => {
    const e = err(path, prefix);
    expect([e.message, e.status, e.errno]).toEqual([message, status, errno]);
  };
  const P = 'tsemu-riscv64';

  it('a missing file', () => {
    expectErr('/nonexistent', `${P}: Error while loading /nonexistent: No such file or directory`, 1, 'ENOENT');
  });
  it('a file that is not executable, and a directory', () => {
    const p = join(tmp, 'noexec');
    copyFileSync(join(FIX, 'exec'), p);
    chmodSync(p, 0o644);
    expectErr(p, `${P}: Error while loading ${p}: Permission denied`, 1, 'EACCES');
    expectErr(tmp, `${P}: Error while loading ${tmp}: Permission denied`, 1, 'EACCES');
  });
  it('a non-ELF file, an empty one and a header cut short', () => {
    for (const [name, bytes] of [['text', Buffer.from('root:x:0:0\n')], ['empty', new Uint8Array()], ['t63', exec.subarray(0, 63)]] as const) {
      const p = put(name, bytes);
      expectErr(p, `${P}: Error while loading ${p}: Exec format error`, 1, 'ENOEXEC');
    }
  });
  it('a foreign architecture or class', () => {
    const x86 = Buffer.from(exec);
    x86.writeUInt16LE(62, 18); // EM_X86_64
    const p = put('x86', x86);
    expectErr(p, `${P}: ${p}: Invalid ELF image for this architecture`, 255, 'ENOEXEC');
    expectErr('./arm', `${P}: ./arm: Invalid ELF image for this architecture`, 255, 'ENOEXEC');
  });
  it('truncated program headers or segment data', () => {
    expectErr(put('t100', exec.subarray(0, 100)), `${P}: ${join(tmp, 't100')}: Incomplete read of file header`, 255, 'ENOEXEC');
    const data = loads64(exec)[1];
    const p = put('tdata', exec.subarray(0, data.offset + 4));
    expectErr(p, `${P}: ${p}: Error mapping file: Invalid argument`, 255, 'EINVAL');
  });
  it('a dynamically linked program whose interpreter the prefix does not have', () => {
    expectErr('./dyn', `${P}: Could not open '/lib/ld-linux-riscv64-lp64d.so.1': No such file or directory `
      + "(tried /nonexistent/lib/ld-linux-riscv64-lp64d.so.1; give the guest's sysroot with -L or QEMU_LD_PREFIX)", 255, 'ENOENT', '/nonexistent');
  });
});

// Headers patched the way Linux's execve (fs/binfmt_elf.c) refuses, in the committed hello of
// each arch; the kernel's errno goes with qemu's words for the refusal. Checked against Linux
// 6.18 running the same patches of an x86-64 static program natively.
describe.each([
  { arch: RISCV64_ELF_ARCH, bin: 'riscv64/hello' },
  { arch: ARM_ELF_ARCH, bin: 'arm/hello' },
])('what Linux refuses and accepts: $arch.progName', ({ arch, bin }) => {
  const tmp = mkdtempSync(join(tmpdir(), 'tsemu-loader-'));
  const hello = readFileSync(resolve(__dirname, '../guest-bins', bin));
  const elf = headerFields(arch.elfClass);
  const loads = (b: Buffer): number[] => elf.phdrs(b).filter((i) => elf.ph(b, i, 'type') === PT_LOAD);
  const run = (name: string, patch: (b: Buffer) => void): LoadedProgram | LoaderError => {
    const b = Buffer.from(hello);
    patch(b);
    const path = join(tmp, name);
    writeFileSync(path, b);
    chmodSync(path, 0o755);
    try {
      return loadElf(fresh(), { arch, path, argv: [path], envp: [], random: seq16 });
    } catch (e) {
      if (!(e instanceof LoaderError)) throw e;
      return e;
    }
  };
  /** The first program header that is not a PT_LOAD, made PT_INTERP naming `bytes` (appended). */
  const interp = (bytes: Buffer, size = bytes.length) => (b: Buffer): Buffer => {
    const i = elf.phdrs(b).find((j) => elf.ph(b, j, 'type') !== PT_LOAD)!;
    elf.setPh(b, i, 'type', PT_INTERP);
    elf.setPh(b, i, 'offset', b.length);
    elf.setPh(b, i, 'filesz', size);
    return Buffer.concat([b, bytes]);
  };
  const interpCase = (name: string, bytes: Buffer, size?: number) => {
    const path = join(tmp, name);
    writeFileSync(path, interp(bytes, size)(Buffer.from(hello)));
    chmodSync(path, 0o755);
    try {
      loadElf(fresh(), { arch, path, argv: [path], envp: [], random: seq16, prefix: '/' });
    } catch (e) {
      return e as LoaderError;
    }
    throw new Error(`${name} loaded`);
  };

  it.each([
    ['e_phnum 0', (b: Buffer) => elf.setPhnum(b, 0), 'Invalid ELF image for this architecture', 'ENOEXEC'],
    ['program headers over 64 KiB', (b: Buffer) => elf.setPhnum(b, Math.floor(65536 / elf.phentsize) + 1), 'Invalid ELF image for this architecture', 'ENOEXEC'],
    ['e_phentsize not the class\'s', (b: Buffer) => b.writeUInt16LE(elf.phentsize - 4, elf.phentsizeAt), 'Invalid ELF image for this architecture', 'ENOEXEC'],
    ['program headers past the end of the file', (b: Buffer) => elf.setPhoff(b, b.length - 8), 'Incomplete read of file header', 'ENOEXEC'],
    ['p_offset not congruent with p_vaddr', (b: Buffer) => { const i = loads(b)[1]; elf.setPh(b, i, 'offset', elf.ph(b, i, 'offset') + 8); }, 'Error mapping file: Invalid argument', 'EINVAL'],
    ['p_filesz above p_memsz', (b: Buffer) => { const i = loads(b)[1]; elf.setPh(b, i, 'filesz', elf.ph(b, i, 'memsz') + 16); }, 'Error mapping file: Invalid argument', 'EINVAL'],
    ['a segment past the address space', (b: Buffer) => { const i = loads(b)[1]; elf.setPh(b, i, 'vaddr', 0xfffff000 + (elf.ph(b, i, 'vaddr') & 0xfff)); }, 'Error mapping file: Cannot allocate memory', 'ENOMEM'],
  ])('refuses %s', (name, patch, what, errno) => {
    const e = run(name.replace(/\W+/g, '-'), patch) as LoaderError;
    expect(e).toBeInstanceOf(LoaderError);
    expect([e.message, e.status, e.errno]).toEqual([`${arch.progName}: ${join(tmp, name.replace(/\W+/g, '-'))}: ${what}`, 255, errno]);
  });

  it('refuses a PT_INTERP path without its NUL, of one byte, or longer than PATH_MAX', () => {
    for (const [name, bytes, size] of [['nonul', Buffer.from('/lib/ld.so')], ['short', Buffer.from('/\0'), 1],
      ['long', Buffer.alloc(4097, 0x61).fill(0, 4096)]] as const) {
      const e = interpCase(name, bytes, size);
      expect([e.message, e.status, e.errno]).toEqual([`${arch.progName}: ${join(tmp, name)}: Invalid PT_INTERP entry`, 255, 'ENOEXEC']);
    }
  });

  it('refuses an interpreter that is not an ELF image of the arch (ELIBBAD), or cannot be run (EACCES)', () => {
    const text = join(tmp, 'text-interp');
    writeFileSync(text, '#!/bin/sh\n');
    chmodSync(text, 0o755);
    const e = interpCase('text', Buffer.from(`${text}\0`));
    expect([e.message, e.status, e.errno]).toEqual([`${arch.progName}: ${text}: Invalid ELF image for this architecture`, 255, 'ELIBBAD']);
    const d = interpCase('dir', Buffer.from(`${tmp}\0`));
    expect([d.message, d.status, d.errno]).toEqual([`${arch.progName}: Could not open '${tmp}': Permission denied`, 255, 'EACCES']);
  });

  it('accepts PT_LOADs out of order, one mapped over another, and any EI_VERSION, as Linux does', () => {
    const plain = run('plain', () => {}) as LoadedProgram;
    const unordered = run('unordered', (b) => {
      const [a, c] = loads(b).map((i) => Buffer.from(elf.phdr(b, i)));
      elf.phdr(b, loads(b)[0]).set(c);
      elf.phdr(b, loads(b)[1]).set(a);
    });
    expect(unordered).toMatchObject({ entry: plain.entry, brk: plain.brk });
    // The text segment again, last: mapped over itself, the image is the same.
    const overlapping = run('overlapping', (b) => {
      const i = elf.phdrs(b).filter((j) => elf.ph(b, j, 'type') !== PT_LOAD).pop()!;
      elf.phdr(b, i).set(elf.phdr(b, loads(b)[0]));
    });
    expect(overlapping).toMatchObject({ entry: plain.entry, brk: plain.brk });
    expect(run('version', (b) => { b[6] = 0; b.writeUInt32LE(0, 20); })).toMatchObject({ entry: plain.entry });
  });
});

/** Reading and patching ELF header and program header fields of either class. */
function headerFields(elfClass: 32 | 64) {
  const is64 = elfClass === 64;
  const phentsize = is64 ? 56 : 32;
  const OFF = is64
    ? { type: [0, 4], flags: [4, 4], offset: [8, 8], vaddr: [16, 8], filesz: [32, 8], memsz: [40, 8] }
    : { type: [0, 4], offset: [4, 4], vaddr: [8, 4], filesz: [16, 4], memsz: [20, 4], flags: [24, 4] };
  type Field = keyof typeof OFF;
  const phoff = (b: Buffer): number => (is64 ? Number(b.readBigUInt64LE(32)) : b.readUInt32LE(28));
  const at = (b: Buffer, i: number, f: Field): [number, number] => [phoff(b) + i * phentsize + OFF[f][0], OFF[f][1]];
  return {
    phentsize,
    phentsizeAt: is64 ? 54 : 42,
    phdrs: (b: Buffer): number[] => Array.from({ length: b.readUInt16LE(is64 ? 56 : 44) }, (_, i) => i),
    phdr: (b: Buffer, i: number): Buffer => b.subarray(phoff(b) + i * phentsize, phoff(b) + (i + 1) * phentsize),
    ph: (b: Buffer, i: number, f: Field): number => {
      const [o, n] = at(b, i, f);
      return n === 8 ? Number(b.readBigUInt64LE(o)) : b.readUInt32LE(o);
    },
    setPh: (b: Buffer, i: number, f: Field, v: number): void => {
      const [o, n] = at(b, i, f);
      if (n === 8) b.writeBigUInt64LE(BigInt(v), o);
      else b.writeUInt32LE(v >>> 0, o);
    },
    setPhnum: (b: Buffer, n: number): void => { b.writeUInt16LE(n, is64 ? 56 : 44); },
    setPhoff: (b: Buffer, v: number): void => {
      if (is64) b.writeBigUInt64LE(BigInt(v), 32);
      else b.writeUInt32LE(v, 28);
    },
  };
}
