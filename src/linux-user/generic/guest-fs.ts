// The filesystem the guest's paths name. The syscall layer reaches files only through one of
// these, held by the process: node:fs for the host's own (what the tsemu-<arch> commands use),
// or what an embedder of the library gives run(): a directory confined like a chroot
// (rooted-fs.ts) or an in-memory memfs volume, whose API mirrors node:fs's sync calls.
// Host streams, pipes, sockets and the emulator's own files (fork state, /proc/self) stay
// node:fs's whatever the guest's root is.
import * as nodeFs from 'node:fs';

/** The sync calls of node:fs the syscall layer makes on guest paths and the fds it opens there. */
export type GuestFsCalls = Pick<typeof nodeFs,
  'openSync' | 'closeSync' | 'readSync' | 'writeSync' | 'fstatSync' | 'statSync' | 'lstatSync' |
  'readlinkSync' | 'mkdirSync' | 'rmdirSync' | 'unlinkSync' | 'renameSync' | 'linkSync' |
  'symlinkSync' | 'accessSync' | 'existsSync' | 'chmodSync' | 'fchmodSync' | 'chownSync' |
  'lchownSync' | 'fchownSync' | 'utimesSync' | 'lutimesSync' | 'futimesSync' | 'truncateSync' |
  'ftruncateSync' | 'fsyncSync' | 'fdatasyncSync' | 'opendirSync' | 'statfsSync'>;

export interface GuestFs extends GuestFsCalls {
  /** The host path a guest path stands for, where there is one (a directory root's): what a
   *  Unix socket binds to. Undefined for the host's own filesystem (the path is the host's). */
  hostPath?(guestPath: string): string | undefined;
}

/** The host's filesystem, as is. */
export const hostFs: GuestFs = nodeFs;
