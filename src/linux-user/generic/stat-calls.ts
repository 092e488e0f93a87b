// stat, statx, statfs and getdents64: host metadata into the arch's struct layouts.
import type { GuestFs } from './guest-fs.js';
import * as path from 'node:path';
import { E, SyscallError } from './errno.js';
import { HostFile, S_IFDIR, S_IFMT, StatInfo } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { AT_FDCWD } from './process.js';
import { procRedirect } from './proc-fs.js';
import { AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW } from './fs-calls.js';
import { encodeStruct, writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';

const NS = 1000000000n;
// statx mask bits (include/uapi/linux/stat.h): STATX_BASIC_STATS | STATX_BTIME.
const STATX_ALL = 0x7ff | 0x800;

function statValues(st: StatInfo): Record<string, bigint> {
  return {
    dev: st.dev, ino: st.ino, mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid,
    rdev: st.rdev, size: st.size, blksize: st.blksize, blocks: st.blocks,
    atime: st.atimeNs / NS, atime_nsec: st.atimeNs % NS,
    mtime: st.mtimeNs / NS, mtime_nsec: st.mtimeNs % NS,
    ctime: st.ctimeNs / NS, ctime_nsec: st.ctimeNs % NS,
  };
}

// glibc's dev_t encoding (sys/sysmacros.h): the split statx wants.
const major = (d: bigint): bigint => ((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn);
const minor = (d: bigint): bigint => (d & 0xffn) | ((d >> 12n) & ~0xffn);

/** stat of (dirfd, path) with the *at flags: AT_EMPTY_PATH on '' means dirfd itself. */
function statAt(p: LinuxProcess, dirfd: number, pathname: number, flags: number): StatInfo {
  const name = p.readPath(pathname);
  if (name === '' && flags & AT_EMPTY_PATH) {
    return dirfd === AT_FDCWD ? p.fs.statSync(p.cwd, { bigint: true }) : p.fds.get(dirfd).stat();
  }
  const file = procRedirect(p, p.resolveAt(dirfd, name));
  return flags & AT_SYMLINK_NOFOLLOW ? p.fs.lstatSync(file, { bigint: true }) : p.fs.statSync(file, { bigint: true });
}

function writeStatx(p: LinuxProcess, buf: number, st: StatInfo): number {
  const l = p.layouts.statx;
  const v = statValues(st);
  const ts = (ns: bigint, prefix: string): Record<string, bigint> => ({ [prefix + '_sec']: ns / NS, [prefix + '_nsec']: ns % NS });
  writeStruct(p.mem, buf, l, {
    mask: STATX_ALL, blksize: v.blksize, nlink: v.nlink, uid: v.uid, gid: v.gid, mode: v.mode,
    ino: v.ino, size: v.size, blocks: v.blocks,
    ...ts(st.atimeNs, 'atime'), ...ts(st.birthtimeNs, 'btime'), ...ts(st.ctimeNs, 'ctime'), ...ts(st.mtimeNs, 'mtime'),
    rdev_major: major(st.rdev), rdev_minor: minor(st.rdev), dev_major: major(st.dev), dev_minor: minor(st.dev),
  });
  return 0;
}

// d_type values (dirent.h DT_*).
const DT_BY_MODE: Record<number, number> = {
  0o010000: 1, 0o020000: 2, 0o040000: 4, 0o060000: 6, 0o100000: 8, 0o120000: 10, 0o140000: 12,
};

/** The directory's entries in the host's readdir order, as qemu passes it through (programs
 *  like find and grep -r print in that order). fs.readdirSync would sort them; opendir reads in
 *  order but hides '.' and '..', whose host position is therefore lost: they come first, where
 *  most filesystems (tmpfs, btrfs, xfs) put them and ext4's hash order may not. */
function listDir(fs: GuestFs, dir: string): { name: string; ino: bigint; type: number }[] {
  const names = ['.', '..'];
  const d = fs.opendirSync(dir);
  try {
    for (let e = d.readSync(); e; e = d.readSync()) names.push(e.name);
  } finally {
    d.closeSync();
  }
  return names.map((name) => {
    try {
      const st = fs.lstatSync(path.join(dir, name), { bigint: true });
      return { name, ino: st.ino, type: DT_BY_MODE[Number(st.mode) & S_IFMT] ?? 0 };
    } catch {
      return { name, ino: 0n, type: 0 }; // vanished meanwhile: DT_UNKNOWN
    }
  });
}

function getdents64(p: LinuxProcess, fd: number, buf: number, count: number): number {
  const file = p.fds.get(fd);
  if (!(file instanceof HostFile)) throw new SyscallError(E.NOTDIR);
  if ((Number(file.stat().mode) & S_IFMT) !== S_IFDIR) throw new SyscallError(E.NOTDIR);
  file.dirEntries ??= listDir(file.fs, file.path);
  const l = p.layouts.dirent64;
  const nameOff = l.fields.name.offset;
  const out: Uint8Array[] = [];
  let used = 0;
  while (file.pos < file.dirEntries.length) {
    const e = file.dirEntries[file.pos];
    const name = Buffer.from(e.name);
    const reclen = (nameOff + name.length + 1 + 7) & ~7;
    if (used + reclen > Math.min(count, 1 << 20)) break;
    const rec = new Uint8Array(reclen);
    rec.set(encodeStruct(l, { ino: e.ino, off: file.pos + 1, reclen, type: e.type }).subarray(0, nameOff));
    rec.set(name, nameOff);
    out.push(rec);
    used += reclen;
    file.pos++;
  }
  if (used === 0 && file.pos < file.dirEntries.length) throw new SyscallError(E.INVAL);
  p.mem.write(buf, Buffer.concat(out));
  return used;
}

function writeStatfs(p: LinuxProcess, buf: number, file: string): number {
  const s = p.fs.statfsSync(file, { bigint: true });
  writeStruct(p.mem, buf, p.layouts.statfs, {
    type: s.type, bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail,
    files: s.files, ffree: s.ffree, namelen: 255, frsize: s.bsize,
  });
  return 0;
}

export const STAT_CALLS: Record<string, SyscallImpl> = {
  fstat: {
    args: ['fd', 'ptr'],
    fn: (p, fd, buf) => { writeStruct(p.mem, buf, p.layouts.stat, statValues(p.fds.get(fd).stat())); return 0; },
  },
  newfstatat: {
    args: ['dirfd', 'path', 'ptr', 'atflags'],
    fn: (p, d, n, buf, flags) => { writeStruct(p.mem, buf, p.layouts.stat, statValues(statAt(p, d, n, flags))); return 0; },
  },
  statx: {
    args: ['dirfd', 'path', 'atflags', 'hex', 'ptr'],
    fn: (p, d, n, flags, _mask, buf) => writeStatx(p, buf, statAt(p, d, n, flags)),
  },
  getdents64: { args: ['fd', 'buf', 'uint'], fn: getdents64 },
  statfs: { args: ['path', 'ptr'], fn: (p, n, buf) => writeStatfs(p, buf, procRedirect(p, p.resolveAt(AT_FDCWD, p.readPath(n)))) },
  fstatfs: { args: ['fd', 'ptr'], fn: (p, fd, buf) => writeStatfs(p, buf, p.fds.get(fd).path) },
};
