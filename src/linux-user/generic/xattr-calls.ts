// Extended attributes (getxattr(2) and the rest). Node's fs has no call for them, so tsemu's
// files behave as those of a filesystem without extended attributes: each call checks its file
// as the kernel does (ENOENT, ENOTDIR, EBADF...) and then fails with EOPNOTSUPP. Programs treat
// that as "no attributes here" (coreutils' ls -l looking for an SELinux label or an ACL, cp -a);
// ENOSYS made ls report an error for every file.
import { AT_FDCWD, type LinuxProcess } from './process.js';
import { E, SyscallError } from './errno.js';
import { procRedirect } from './proc-fs.js';
import type { SyscallImpl } from './syscall-arch.js';

function unsupported(): never {
  throw new SyscallError(E.OPNOTSUPP);
}

/** The path calls follow a final symlink; their l- forms do not. */
function onPath(follow: boolean) {
  return (p: LinuxProcess, pathname: number): number => {
    const file = procRedirect(p, p.resolveAt(AT_FDCWD, p.readPath(pathname)));
    if (follow) p.fs.statSync(file);
    else p.fs.lstatSync(file);
    return unsupported();
  };
}

function onFd(p: LinuxProcess, fd: number): number {
  p.fds.get(fd);
  return unsupported();
}

const GET = ['path', 'path', 'ptr', 'ulong'] as const;
const SET = ['path', 'path', 'ptr', 'ulong', 'int'] as const;
const LIST = ['path', 'ptr', 'ulong'] as const;
const REMOVE = ['path', 'path'] as const;
const fdArgs = (args: readonly string[]): SyscallImpl['args'] => ['fd', ...args.slice(1)] as SyscallImpl['args'];

export const XATTR_CALLS: Record<string, SyscallImpl> = Object.fromEntries(
  ([['get', GET], ['set', SET], ['list', LIST], ['remove', REMOVE]] as const).flatMap(([op, args]) => [
    [`${op}xattr`, { args: [...args], fn: onPath(true) }],
    [`l${op}xattr`, { args: [...args], fn: onPath(false) }],
    [`f${op}xattr`, { args: fdArgs(args), fn: onFd }],
  ]),
);
