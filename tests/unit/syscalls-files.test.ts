import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AT_FDCWD, Fixture, SCRATCH, makeFixture, nr } from './syscalls-fixture.js';

const O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_EXCL = 0o200, O_TRUNC = 0o1000, O_DIRECTORY = 0o200000, O_CLOEXEC = 0o2000000;
const ENOENT = 2, EBADF = 9, EFAULT = 14, EEXIST = 17, ENOTDIR = 20, EINVAL = 22, ESPIPE = 29, ERANGE = 34;
const BUF = SCRATCH + 0x1000;
const PATH = SCRATCH;
const PATH2 = SCRATCH + 0x800;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-sys-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let f: Fixture;
beforeEach(() => { f = makeFixture(); });

function open(file: string, flags: number, mode = 0o644): number {
  return f.call('openat', AT_FDCWD, f.str(PATH, file), flags, mode);
}

describe('files', () => {
  it('writes, seeks and reads back through the riscv numbers (openat 56, write 64, lseek 62, read 63)', () => {
    const file = path.join(tmp, 'a.txt');
    const fd = f.p.syscall(nr('openat'), [BigInt.asUintN(64, -100n), BigInt(f.str(PATH, file)), BigInt(O_RDWR | O_CREAT | O_TRUNC), 0o644n]);
    expect(nr('openat')).toBe(56);
    f.mem.write(BUF, Buffer.from('hello world'));
    expect(f.p.syscall(64, [fd, BigInt(BUF), 11n])).toBe(11n);
    expect(f.p.syscall(62, [fd, 6n, 0n])).toBe(6n);
    expect(f.p.syscall(63, [fd, BigInt(BUF + 100), 100n])).toBe(5n);
    expect(Buffer.from(f.mem.read(BUF + 100, 5)).toString()).toBe('world');
    expect(fs.readFileSync(file, 'utf8')).toBe('hello world');
    expect(f.call('close', Number(fd))).toBe(0);
    expect(f.call('close', Number(fd))).toBe(-EBADF);
  });

  it('maps host errors to Linux errno values', () => {
    expect(open(path.join(tmp, 'missing'), 0)).toBe(-ENOENT);
    const file = path.join(tmp, 'excl');
    fs.writeFileSync(file, '');
    expect(open(file, O_CREAT | O_EXCL | O_WRONLY)).toBe(-EEXIST);
    expect(open(path.join(file, 'x'), 0)).toBe(-ENOTDIR);
    expect(open(file, O_DIRECTORY)).toBe(-ENOTDIR);
  });

  it('returns EFAULT for a pointer into unmapped memory', () => {
    const fd = open(path.join(tmp, 'f1'), O_RDWR | O_CREAT);
    expect(f.call('write', fd, 0x10, 4)).toBe(-EFAULT);
    expect(f.call('openat', AT_FDCWD, 0x10, 0, 0)).toBe(-EFAULT);
    expect(f.call('fstat', fd, 0xffffffff00n)).toBe(-EFAULT);
  });

  it('pread64/pwrite64 leave the position alone; readv/writev scatter and gather', () => {
    const fd = open(path.join(tmp, 'v.txt'), O_RDWR | O_CREAT | O_TRUNC);
    const iov = SCRATCH + 0x2000;
    f.mem.write(BUF, Buffer.from('abcXYZ'));
    // two iovecs {base, len}: "abc" then "XYZ"
    f.mem.writeU64(iov, BigInt(BUF)); f.mem.writeU64(iov + 8, 3n);
    f.mem.writeU64(iov + 16, BigInt(BUF + 3)); f.mem.writeU64(iov + 24, 3n);
    expect(f.call('writev', fd, iov, 2)).toBe(6);
    expect(f.call('pwrite64', fd, BUF + 3, 3, 0)).toBe(3); // "XYZXYZ"
    expect(f.call('lseek', fd, 0, 1)).toBe(6);
    expect(f.call('lseek', fd, 0, 0)).toBe(0);
    f.mem.writeU64(iov, BigInt(BUF + 200)); f.mem.writeU64(iov + 8, 2n);
    f.mem.writeU64(iov + 16, BigInt(BUF + 300)); f.mem.writeU64(iov + 24, 10n);
    expect(f.call('readv', fd, iov, 2)).toBe(6);
    expect(Buffer.from(f.mem.read(BUF + 200, 2)).toString()).toBe('XY');
    expect(Buffer.from(f.mem.read(BUF + 300, 4)).toString()).toBe('ZXYZ');
    expect(f.call('pread64', fd, BUF + 400, 3, 2)).toBe(3);
    expect(Buffer.from(f.mem.read(BUF + 400, 3)).toString()).toBe('ZXY');
    expect(f.call('readv', fd, iov, 1025)).toBe(-EINVAL);
    expect(f.call('pread64', fd, BUF, 1, -1)).toBe(-EINVAL);
  });

  it('fills struct stat with the asm-generic layout', () => {
    const file = path.join(tmp, 'st.txt');
    fs.writeFileSync(file, 'x'.repeat(1234));
    fs.chmodSync(file, 0o640);
    const st = SCRATCH + 0x3000;
    expect(f.call('newfstatat', AT_FDCWD, f.str(PATH, file), st, 0)).toBe(0);
    const host = fs.statSync(file, { bigint: true });
    expect(f.mem.readU64(st + 8)).toBe(host.ino);
    expect(f.mem.readU32(st + 16)).toBe(0o100640);
    expect(f.mem.readU64(st + 48)).toBe(1234n);
    expect(f.mem.readU64(st + 88)).toBe(host.mtimeNs / 1000000000n);
    expect(f.mem.readU64(st + 96)).toBe(host.mtimeNs % 1000000000n);
    // AT_EMPTY_PATH on an fd, and statx's size and mode
    const fd = open(file, 0);
    expect(f.call('newfstatat', fd, f.str(PATH2, ''), st + 0x200, 0x1000)).toBe(0);
    expect(f.mem.readU64(st + 0x200 + 48)).toBe(1234n);
    expect(f.call('newfstatat', fd, f.str(PATH2, ''), st + 0x200, 0)).toBe(-ENOENT);
    expect(f.call('statx', AT_FDCWD, f.str(PATH, file), 0, 0x7ff, st + 0x400)).toBe(0);
    expect(f.mem.readU16(st + 0x400 + 28)).toBe(0o100640);
    expect(f.mem.readU64(st + 0x400 + 40)).toBe(1234n);
  });

  it('lists a directory with getdents64 records', () => {
    const dir = path.join(tmp, 'd');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'file1'), '');
    fs.mkdirSync(path.join(dir, 'sub'));
    const fd = open(dir, O_DIRECTORY | O_CLOEXEC);
    const seen = new Map<string, number>();
    for (;;) {
      const n = f.call('getdents64', fd, BUF, 4096);
      expect(n).toBeGreaterThanOrEqual(0);
      if (n === 0) break;
      for (let at = BUF; at < BUF + n;) {
        const reclen = f.mem.readU16(at + 16);
        expect(reclen % 8).toBe(0);
        const name = f.mem.readCString(at + 19);
        seen.set(name, f.mem.readU8(at + 18));
        at += reclen;
      }
    }
    expect(seen).toEqual(new Map([['.', 4], ['..', 4], ['file1', 8], ['sub', 4]]));
    expect(f.call('getdents64', fd, BUF, 10)).toBe(0);
    expect(f.call('lseek', fd, 0, 0)).toBe(0);
    expect(f.call('getdents64', fd, BUF, 10)).toBe(-EINVAL);
  });

  it('lists in the host readdir order (what `ls -f` prints), with d_off positions lseek returns to', () => {
    const dir = path.join(tmp, 'order');
    fs.mkdirSync(dir);
    for (let i = 0; i < 24; i++) fs.writeFileSync(path.join(dir, `f${(i * 7) % 24}`), '');
    const fd = open(dir, O_DIRECTORY);
    const names: string[] = [];
    const offs: number[] = [];
    for (let n; (n = f.call('getdents64', fd, BUF, 4096)) > 0;) {
      for (let at = BUF; at < BUF + n; at += f.mem.readU16(at + 16)) {
        names.push(f.mem.readCString(at + 19));
        offs.push(Number(f.mem.readU64(at + 8)));
      }
    }
    const host = execFileSync('ls', ['-f', dir], { encoding: 'utf8' }).split('\n').filter((x) => x && x !== '.' && x !== '..');
    expect(names.slice(0, 2)).toEqual(['.', '..']);
    expect(names.slice(2)).toEqual(host);
    // Seeking to an entry's d_off resumes right after that entry (telldir/seekdir).
    expect(f.call('lseek', fd, offs[9], 0)).toBe(offs[9]);
    expect(f.call('getdents64', fd, BUF, 32)).toBeGreaterThan(0);
    expect(f.mem.readCString(BUF + 19)).toBe(names[10]);
  });

  it('makes, renames, links and removes entries relative to a dirfd', () => {
    const dfd = open(tmp, O_DIRECTORY);
    expect(f.call('mkdirat', dfd, f.str(PATH, 'made'), 0o755)).toBe(0);
    expect(fs.statSync(path.join(tmp, 'made')).isDirectory()).toBe(true);
    expect(f.call('mkdirat', dfd, f.str(PATH, 'made'), 0o755)).toBe(-EEXIST);
    fs.writeFileSync(path.join(tmp, 'src'), 'data');
    expect(f.call('renameat2', dfd, f.str(PATH, 'src'), dfd, f.str(PATH2, 'dst'), 0)).toBe(0);
    fs.writeFileSync(path.join(tmp, 'other'), '');
    expect(f.call('renameat2', dfd, f.str(PATH, 'other'), dfd, f.str(PATH2, 'dst'), 1)).toBe(-EEXIST);
    expect(f.call('symlinkat', f.str(PATH, 'dst'), dfd, f.str(PATH2, 'ln'))).toBe(0);
    expect(f.call('readlinkat', dfd, f.str(PATH, 'ln'), BUF, 2)).toBe(2);
    expect(Buffer.from(f.mem.read(BUF, 2)).toString()).toBe('ds');
    expect(f.call('unlinkat', dfd, f.str(PATH, 'made'), 0x200)).toBe(0);
    expect(f.call('unlinkat', dfd, f.str(PATH, 'ln'), 0)).toBe(0);
    expect(fs.existsSync(path.join(tmp, 'ln'))).toBe(false);
    expect(f.call('faccessat', dfd, f.str(PATH, 'dst'), 4)).toBe(0);
    expect(f.call('faccessat', dfd, f.str(PATH, 'nope'), 0)).toBe(-ENOENT);
  });

  it('keeps its own cwd for chdir/getcwd and relative paths', () => {
    expect(f.call('chdir', f.str(PATH, tmp))).toBe(0);
    const n = f.call('getcwd', BUF, 4096);
    expect(n).toBe(Buffer.byteLength(tmp) + 1);
    expect(f.mem.readCString(BUF)).toBe(tmp);
    expect(f.call('getcwd', BUF, 2)).toBe(-ERANGE);
    const fd = open('rel.txt', O_WRONLY | O_CREAT);
    expect(fd).toBeGreaterThanOrEqual(3);
    expect(fs.existsSync(path.join(tmp, 'rel.txt'))).toBe(true);
    expect(f.call('chdir', f.str(PATH, path.join(tmp, 'rel.txt')))).toBe(-ENOTDIR);
  });

  it('shares positions between dup-ed fds and tracks FD_CLOEXEC', () => {
    const fd = open(path.join(tmp, 'dup.txt'), O_RDWR | O_CREAT | O_TRUNC);
    const fd2 = f.call('dup', fd);
    expect(fd2).toBe(fd + 1);
    f.mem.write(BUF, Buffer.from('12345'));
    f.call('write', fd, BUF, 5);
    expect(f.call('lseek', fd2, 0, 1)).toBe(5);
    expect(f.call('fcntl', fd, 1, 0)).toBe(0); // F_GETFD
    expect(f.call('dup3', fd, 50, O_CLOEXEC)).toBe(50);
    expect(f.call('fcntl', 50, 1, 0)).toBe(1);
    expect(f.call('fcntl', fd, 1030, 60)).toBe(60); // F_DUPFD_CLOEXEC
    expect(f.call('fcntl', fd, 3, 0) & 3).toBe(O_RDWR); // F_GETFL
    expect(f.call('dup3', fd, fd, 0)).toBe(-EINVAL);
    f.call('close', fd);
    expect(f.call('lseek', fd2, 0, 0)).toBe(0);
  });

  it('moves bytes through a pipe2 pair', () => {
    const fds = SCRATCH + 0x2000;
    expect(f.call('pipe2', fds, 0)).toBe(0);
    const [r, w] = [f.mem.readU32(fds), f.mem.readU32(fds + 4)];
    f.mem.write(BUF, Buffer.from('ping'));
    expect(f.call('write', w, BUF, 4)).toBe(4);
    expect(f.call('ioctl', r, 0x541b, BUF + 64)).toBe(0); // FIONREAD
    expect(f.mem.readU32(BUF + 64)).toBe(4);
    expect(f.call('read', r, BUF + 100, 10)).toBe(4);
    expect(Buffer.from(f.mem.read(BUF + 100, 4)).toString()).toBe('ping');
    expect(f.call('lseek', r, 0, 0)).toBe(-ESPIPE);
    expect(f.call('ioctl', r, 0x5401, BUF)).toBe(-25); // TCGETS on a pipe: ENOTTY
    f.call('close', w);
    expect(f.call('read', r, BUF, 10)).toBe(0);
  });

  it('serves /proc/self files from the guest view', () => {
    const read = (file: string): string => {
      const fd = open(file, 0);
      expect(fd).toBeGreaterThanOrEqual(0);
      const n = f.call('read', fd, BUF, 8192);
      f.call('close', fd);
      return Buffer.from(f.mem.read(BUF, n)).toString('latin1');
    };
    expect(read('/proc/self/cmdline')).toBe('prog\0a b\0');
    expect(read('/proc/self/maps')).toBe(f.as.formatMaps());
    expect(read('/proc/self/maps')).toMatch(/^00200000-00240000 rw-p 00000000 00:00 0\n$/);
    expect(read(`/proc/${process.pid}/auxv`)).toBe('\x06\0\0\0\0\0\0\0');
    expect(read('/proc/cpuinfo')).toMatch(/^processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc/);
    expect(f.call('readlinkat', AT_FDCWD, f.str(PATH, '/proc/self/exe'), BUF, 100)).toBe('/opt/guest/prog'.length);
    expect(open('/proc/self/maps', O_WRONLY)).toBe(-13);
  });
});
