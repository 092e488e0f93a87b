// A host directory as the guest's root, as chroot(2) makes one: every guest path is looked up
// inside it component by component, with the symlinks on the way followed here (an absolute
// target starts again at the root, `..` at the root stays there), so neither `..` nor a symlink
// leads outside. The host call then gets a path with no symlink left in it, but the last
// component for the calls that act on a link itself (lstat, readlink, unlink, rename, ...).
// This is a lookup done in user space: a component swapped for a symlink between the lookup and
// the call (by another process) would be followed by the host.
import * as fs from 'node:fs';
import { E, SyscallError } from './errno.js';
import { type GuestFs, type GuestFsCalls } from './guest-fs.js';

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS, include/linux/namei.h). */
const MAX_LINKS = 40;

/** How a call treats each of its path arguments: the last component followed if a symlink,
 *  acted on as it is, or not a path to look up (symlink's target, stored as given). */
type PathArg = 'follow' | 'link' | 'text';

const PATH_CALLS: Partial<Record<keyof GuestFsCalls, PathArg[]>> = {
  statSync: ['follow'], lstatSync: ['link'], readlinkSync: ['link'], mkdirSync: ['link'],
  rmdirSync: ['link'], unlinkSync: ['link'], renameSync: ['link', 'link'], linkSync: ['link', 'link'],
  symlinkSync: ['text', 'link'], accessSync: ['follow'], chmodSync: ['follow'], chownSync: ['follow'],
  lchownSync: ['link'], utimesSync: ['follow'], lutimesSync: ['link'], truncateSync: ['follow'],
  opendirSync: ['follow'], statfsSync: ['follow'],
};

/** The calls on fds: the fds are the host's. */
const FD_CALLS = ['closeSync', 'readSync', 'writeSync', 'fstatSync', 'fchmodSync', 'fchownSync', 'futimesSync',
  'ftruncateSync', 'fsyncSync', 'fdatasyncSync'] as const;

/** The host path of absolute guest path `guest` under the real directory `top`. */
export function lookupUnder(top: string, guest: string, followLast: boolean): string {
  const done: string[] = [];
  const todo = guest.split('/');
  let links = 0;
  while (todo.length) {
    const name = todo.shift()!;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      done.pop();
      continue;
    }
    const host = [top, ...done, name].join('/');
    const last = !todo.some((n) => n !== '' && n !== '.');
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(host);
    } catch {
      // A missing last component is what creating calls name; a missing directory on the way
      // is ENOENT, as the kernel's lookup finds it.
      if (!last) throw new SyscallError(E.NOENT);
    }
    if (st?.isSymbolicLink() && (!last || followLast)) {
      if (++links > MAX_LINKS) throw new SyscallError(E.LOOP);
      const target = fs.readlinkSync(host);
      if (target.startsWith('/')) done.length = 0;
      todo.unshift(...target.split('/'));
      continue;
    }
    if (st && !last && !st.isDirectory()) throw new SyscallError(E.NOTDIR);
    done.push(name);
  }
  return [top, ...done].join('/');
}

/** open(2) follows a final symlink unless told not to (O_NOFOLLOW), or it must create the file
 *  itself (O_CREAT|O_EXCL fails on any existing name, a symlink included). */
function openFollows(flags: unknown): boolean {
  if (typeof flags !== 'number') return true;
  const c = fs.constants;
  return !(flags & c.O_NOFOLLOW) && (flags & (c.O_CREAT | c.O_EXCL)) !== (c.O_CREAT | c.O_EXCL);
}

/** The guest filesystem whose root is host directory `dir`. */
export function rootedFs(dir: string): GuestFs {
  const top = fs.realpathSync(dir);
  const under = (guest: unknown, follow: boolean): string => lookupUnder(top, String(guest), follow);
  const host = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const calls: Record<string, unknown> = Object.fromEntries(FD_CALLS.map((name) => [name, host[name]]));
  for (const [name, kinds] of Object.entries(PATH_CALLS)) {
    calls[name] = (...args: unknown[]) => host[name](...args.map((a, i) => (kinds[i] === 'text' || i >= kinds.length ? a : under(a, kinds[i] === 'follow'))));
  }
  calls.openSync = (p: unknown, flags: unknown, mode?: unknown) => fs.openSync(under(p, openFollows(flags)), flags as number, mode as number);
  calls.existsSync = (p: unknown) => {
    try {
      return fs.existsSync(under(p, true));
    } catch {
      return false;
    }
  };
  calls.hostPath = (p: string) => under(p, false);
  return calls as unknown as GuestFs;
}
