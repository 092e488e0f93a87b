// Files and directories by path: open, the *at family, links, permissions, times, cwd.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E, SyscallError } from './errno.js';
import { HostFile } from './open-file.js';
import type { GuestFs } from './guest-fs.js';
import type { LinuxProcess } from './process.js';
import { AT_FDCWD } from './process.js';
import { openProc, procRedirect, readlinkProc } from './proc-fs.js';
import { readStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';

// *at flags (include/uapi/linux/fcntl.h), the same on every arch.
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;
// renameat2 flags (include/uapi/linux/fs.h).
const RENAME_NOREPLACE = 1;
// utimensat special nanosecond values (include/uapi/linux/stat.h).
const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;
// mknod file types (S_IFMT bits).
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/** Guest open flags to host ones, by name (the host is Linux, its values come from Node). */
function hostOpenFlags(p: LinuxProcess, flags: number): number {
  let host = flags & 3; // the access mode is the same everywhere
  const c = fs.constants as Record<string, number>;
  for (const [name, v] of Object.entries(p.arch.openFlags)) {
    if (v && (flags & v) === v && c[name] !== undefined && name !== 'O_CLOEXEC') host |= c[name];
  }
  return host;
}

/** Path of the guest's file at (dirfd, pathname), honouring /proc redirections. */
function at(p: LinuxProcess, dirfd: number, pathname: number): string {
  return procRedirect(p, p.resolveAt(dirfd, p.readPath(pathname)));
}

function openat(p: LinuxProcess, dirfd: number, pathname: number, flags: number, mode: number): number {
  const file = at(p, dirfd, pathname);
  const cloexec = p.hasOpenFlag(flags, 'O_CLOEXEC');
  const status = flags & ~(p.arch.openFlags.O_CLOEXEC | p.arch.openFlags.O_CREAT | p.arch.openFlags.O_EXCL
    | p.arch.openFlags.O_TRUNC | p.arch.openFlags.O_NOCTTY);
  const emulated = openProc(p, file, status);
  if (emulated) {
    if ((flags & 3) !== 0) throw new SyscallError(E.ACCES);
    return p.fds.add(emulated, cloexec);
  }
  const fd = p.fs.openSync(file, hostOpenFlags(p, flags), mode & ~p.umask & 0o7777);
  const of = new HostFile(fd, file, status, true, p.hasOpenFlag(flags, 'O_APPEND'), p.fs);
  of.nonblock = p.hasOpenFlag(flags, 'O_NONBLOCK');
  return p.fds.add(of, cloexec);
}

function getcwd(p: LinuxProcess, buf: number, size: number): number {
  const bytes = Buffer.from(p.cwd + '\0');
  if (size < bytes.length) throw new SyscallError(E.RANGE);
  p.mem.write(buf, bytes);
  return bytes.length;
}

function chdirTo(p: LinuxProcess, dir: string): number {
  if (!p.fs.statSync(dir).isDirectory()) throw new SyscallError(E.NOTDIR);
  p.fs.accessSync(dir, fs.constants.X_OK);
  p.cwd = path.resolve(dir);
  return 0;
}

function readlinkat(p: LinuxProcess, dirfd: number, pathname: number, buf: number, size: number): number {
  if (size <= 0) throw new SyscallError(E.INVAL);
  const file = p.resolveAt(dirfd, p.readPath(pathname));
  const target = Buffer.from(readlinkProc(p, file) ?? p.fs.readlinkSync(file));
  const n = Math.min(size, target.length);
  p.mem.write(buf, target.subarray(0, n));
  return n;
}

/** chown's -1 means "leave as is": Node needs both ids, so fill them in. */
function ids(st: fs.Stats, uid: number, gid: number): [number, number] {
  return [uid === -1 ? st.uid : uid, gid === -1 ? st.gid : gid];
}

/** (seconds, nanoseconds) of a timespec to Node's fractional seconds, with UTIME_NOW/OMIT. */
function timeArg(p: LinuxProcess, ts: Record<string, number> | undefined, old: number): number {
  if (!ts || ts.nsec === UTIME_NOW) return Date.now() / 1000;
  if (ts.nsec === UTIME_OMIT) return old;
  if (ts.nsec < 0 || ts.nsec > 999999999) throw new SyscallError(E.INVAL);
  return ts.sec + ts.nsec / 1e9;
}

function utimensat(p: LinuxProcess, dirfd: number, pathname: number, times: number, flags: number): number {
  const l = p.layouts.timespec;
  const tv = times ? [readStruct(p.mem, times, l), readStruct(p.mem, times + l.size, l)] : [undefined, undefined];
  // A NULL path applies to dirfd itself (what futimens uses).
  if (pathname === 0) {
    if (dirfd === AT_FDCWD) throw new SyscallError(E.BADF);
    const { fs, fd } = p.fds.get(dirfd).fileFd();
    const st = fs.fstatSync(fd);
    fs.futimesSync(fd, timeArg(p, tv[0], st.atimeMs / 1000), timeArg(p, tv[1], st.mtimeMs / 1000));
    return 0;
  }
  const file = at(p, dirfd, pathname);
  const nofollow = (flags & AT_SYMLINK_NOFOLLOW) !== 0;
  const st = nofollow ? p.fs.lstatSync(file) : p.fs.statSync(file);
  const a = timeArg(p, tv[0], st.atimeMs / 1000);
  const m = timeArg(p, tv[1], st.mtimeMs / 1000);
  if (nofollow) p.fs.lutimesSync(file, a, m); else p.fs.utimesSync(file, a, m);
  return 0;
}

function mknodat(p: LinuxProcess, dirfd: number, pathname: number, mode: number): number {
  const type = mode & S_IFMT;
  // Regular files can be made; FIFOs and devices need mknod(2), which Node lacks: EPERM, as an
  // unprivileged process gets for devices.
  if (type !== 0 && type !== S_IFREG) throw new SyscallError(E.PERM);
  const { O_CREAT, O_EXCL, O_WRONLY } = fs.constants;
  p.fs.closeSync(p.fs.openSync(at(p, dirfd, pathname), O_CREAT | O_EXCL | O_WRONLY, mode & ~p.umask & 0o7777));
  return 0;
}

function faccessat(p: LinuxProcess, dirfd: number, pathname: number, mode: number, flags: number): number {
  const file = at(p, dirfd, pathname);
  if (flags & AT_SYMLINK_NOFOLLOW) p.fs.lstatSync(file);
  p.fs.accessSync(file, mode & 7);
  return 0;
}

function renameat2(p: LinuxProcess, od: number, op: number, nd: number, np: number, flags: number): number {
  const from = at(p, od, op);
  const to = at(p, nd, np);
  if (flags & ~RENAME_NOREPLACE) throw new SyscallError(E.INVAL); // RENAME_EXCHANGE/WHITEOUT unsupported
  if (flags & RENAME_NOREPLACE && p.fs.existsSync(to)) throw new SyscallError(E.EXIST);
  p.fs.renameSync(from, to);
  return 0;
}

export const FS_CALLS: Record<string, SyscallImpl> = {
  openat: { args: ['dirfd', 'path', 'openflags', 'mode'], fn: openat },
  close: { args: ['fd'], fn: (p, fd) => { p.fds.close(fd); return 0; } },
  lseek: { args: ['fd', 'off', 'whence'], fn: (p, fd, off, whence) => p.fds.get(fd).seek(off, whence) },
  mkdirat: { args: ['dirfd', 'path', 'uint'], fn: (p, d, n, mode) => { p.fs.mkdirSync(at(p, d, n), mode & ~p.umask & 0o7777); return 0; } },
  unlinkat: {
    args: ['dirfd', 'path', 'unlinkflags'],
    fn: (p, d, n, flags) => {
      if (flags & ~AT_REMOVEDIR) throw new SyscallError(E.INVAL);
      const file = at(p, d, n);
      if (flags & AT_REMOVEDIR) p.fs.rmdirSync(file); else p.fs.unlinkSync(file);
      return 0;
    },
  },
  renameat2: { args: ['dirfd', 'path', 'dirfd', 'path', 'uint'], straceRaw: true, fn: renameat2 },
  renameat: { args: ['dirfd', 'path', 'dirfd', 'path'], fn: (p, od, op, nd, np) => renameat2(p, od, op, nd, np, 0) },
  linkat: {
    args: ['dirfd', 'path', 'dirfd', 'path', 'atflags'],
    fn: (p, od, op, nd, np) => { p.fs.linkSync(at(p, od, op), at(p, nd, np)); return 0; },
  },
  symlinkat: {
    args: ['path', 'dirfd', 'path'],
    fn: (p, target, d, n) => { p.fs.symlinkSync(p.readPath(target), at(p, d, n)); return 0; },
  },
  readlinkat: { args: ['dirfd', 'path', 'ptr', 'int'], fn: readlinkat },
  // faccessat has no flags argument; the fourth is there because qemu's -strace prints one.
  faccessat: { args: ['dirfd', 'path', 'accessmode', 'int'], fn: (p, d, n, mode) => faccessat(p, d, n, mode, 0) },
  faccessat2: { args: ['dirfd', 'path', 'accessmode', 'atflags'], fn: faccessat },
  fchmod: { args: ['fd', 'mode'], fn: (p, fd, mode) => onFile(p, fd, (f, h) => f.fchmodSync(h, mode & 0o7777)) },
  fchmodat: { args: ['dirfd', 'path', 'uint'], fn: (p, d, n, mode) => { p.fs.chmodSync(at(p, d, n), mode & 0o7777); return 0; } },
  fchown: {
    args: ['fd', 'int', 'int'],
    fn: (p, fd, uid, gid) => onFile(p, fd, (f, h) => f.fchownSync(h, ...ids(f.fstatSync(h), uid, gid))),
  },
  fchownat: {
    args: ['dirfd', 'path', 'int', 'int', 'atflags'],
    fn: (p, d, n, uid, gid, flags) => {
      const file = at(p, d, n);
      if (flags & AT_SYMLINK_NOFOLLOW) p.fs.lchownSync(file, ...ids(p.fs.lstatSync(file), uid, gid));
      else p.fs.chownSync(file, ...ids(p.fs.statSync(file), uid, gid));
      return 0;
    },
  },
  utimensat: { args: ['dirfd', 'path', 'ptr', 'atflags'], fn: utimensat },
  truncate: { args: ['path', 'off'], fn: (p, n, len) => { p.fs.truncateSync(at(p, AT_FDCWD, n), checkLen(len)); return 0; } },
  ftruncate: { args: ['fd', 'off'], fn: (p, fd, len) => onFile(p, fd, (f, h) => f.ftruncateSync(h, checkLen(len))) },
  // On a pipe or an emulated file these are EINVAL, as on Linux (OpenFile.hostFd).
  fsync: { args: ['fd'], fn: (p, fd) => onFile(p, fd, (f, h) => f.fsyncSync(h)) },
  fdatasync: { args: ['fd'], fn: (p, fd) => onFile(p, fd, (f, h) => f.fdatasyncSync(h)) },
  chdir: { args: ['path'], fn: (p, n) => chdirTo(p, at(p, AT_FDCWD, n)) },
  fchdir: { args: ['fd'], fn: (p, fd) => chdirTo(p, p.fds.get(fd).path) },
  getcwd: { args: ['buf', 'ulong'], fn: getcwd },
  mknodat: { args: ['dirfd', 'path', 'mode', 'uint'], fn: mknodat },
};

function checkLen(len: number): number {
  if (len < 0) throw new SyscallError(E.INVAL);
  return len;
}

/** Runs a call on the file of guest fd `fd`, through the filesystem it is of. */
function onFile(p: LinuxProcess, fd: number, call: (fs: GuestFs, h: number) => void): number {
  const file = p.fds.get(fd).fileFd();
  call(file.fs, file.fd);
  return 0;
}
