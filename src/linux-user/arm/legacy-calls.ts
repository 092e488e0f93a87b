// The pre-*at path calls the ARM EABI table still has and armhf glibc still makes (unlink,
// rename, mkdir, readlink, access...: asm-generic dropped them, so the generic layer has only
// the *at forms). Each is its *at call at AT_FDCWD (fs/namei.c, fs/open.c define them so).
import { E, SyscallError } from '../generic/errno.js';
import type { LinuxProcess } from '../generic/process.js';
import { AT_FDCWD } from '../generic/process.js';
import type { SyscallImpl } from '../generic/syscall-arch.js';
import { GENERIC_SYSCALLS } from '../generic/syscall-impls.js';
import { ARM_OPEN_FLAGS } from './open-flags.js';

// *at flags (include/uapi/linux/fcntl.h).
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_REMOVEDIR = 0x200;
const O_WRONLY = 1;

const run = (name: string, p: LinuxProcess, ...a: number[]): number => Number(GENERIC_SYSCALLS[name].fn(p, ...a));

export const ARM_LEGACY_SYSCALLS: Record<string, SyscallImpl> = {
  open: { args: ['path', 'openflags', 'mode'], fn: (p, n, flags, mode) => run('openat', p, AT_FDCWD, n, flags, mode) },
  creat: {
    args: ['path', 'mode'],
    fn: (p, n, mode) => run('openat', p, AT_FDCWD, n, ARM_OPEN_FLAGS.O_CREAT | O_WRONLY | ARM_OPEN_FLAGS.O_TRUNC, mode),
  },
  link: { args: ['path', 'path'], fn: (p, a, b) => run('linkat', p, AT_FDCWD, a, AT_FDCWD, b, 0) },
  unlink: { args: ['path'], fn: (p, n) => run('unlinkat', p, AT_FDCWD, n, 0) },
  rmdir: { args: ['path'], fn: (p, n) => run('unlinkat', p, AT_FDCWD, n, AT_REMOVEDIR) },
  mkdir: { args: ['path', 'mode'], fn: (p, n, mode) => run('mkdirat', p, AT_FDCWD, n, mode) },
  mknod: { args: ['path', 'mode', 'uint'], fn: (p, n, mode, dev) => run('mknodat', p, AT_FDCWD, n, mode, dev) },
  rename: { args: ['path', 'path'], fn: (p, a, b) => run('renameat2', p, AT_FDCWD, a, AT_FDCWD, b, 0) },
  symlink: { args: ['path', 'path'], fn: (p, target, n) => run('symlinkat', p, target, AT_FDCWD, n) },
  readlink: { args: ['path', 'buf', 'int'], fn: (p, n, buf, size) => run('readlinkat', p, AT_FDCWD, n, buf, size) },
  access: { args: ['path', 'accessmode'], fn: (p, n, mode) => run('faccessat2', p, AT_FDCWD, n, mode, 0) },
  chmod: { args: ['path', 'mode'], fn: (p, n, mode) => run('fchmodat', p, AT_FDCWD, n, mode) },
  chown: { args: ['path', 'int', 'int'], fn: (p, n, u, g) => run('fchownat', p, AT_FDCWD, n, u, g, 0) },
  lchown: { args: ['path', 'int', 'int'], fn: (p, n, u, g) => run('fchownat', p, AT_FDCWD, n, u, g, AT_SYMLINK_NOFOLLOW) },
  stat: { args: ['path', 'ptr'], fn: (p, n, buf) => run('newfstatat', p, AT_FDCWD, n, buf, 0) },
  lstat: { args: ['path', 'ptr'], fn: (p, n, buf) => run('newfstatat', p, AT_FDCWD, n, buf, AT_SYMLINK_NOFOLLOW) },
  pipe: { args: ['ptr'], fn: (p, fds) => run('pipe2', p, fds, 0) },
  dup2: {
    args: ['fd', 'fd'],
    // dup2 onto itself checks the fd and does nothing (dup3 would fail with EINVAL there).
    fn: (p, from, to) => {
      if (from !== to) return run('dup3', p, from, to, 0);
      if (!p.fds.has(from)) throw new SyscallError(E.BADF);
      return to;
    },
  },
};
