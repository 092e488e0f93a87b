// Why a program could not be loaded: the errno Linux's execve gives for it (fs/binfmt_elf.c),
// and the line the CLI prints, worded as qemu-user words it (qemu 7.2, linux-user/main.c and
// elfload.c) behind tsemu's own prefix, with qemu's exit status.

/** glibc's strerror(3) texts for the errnos loading a program can meet. */
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  ENOEXEC: 'Exec format error',
  EIO: 'Input/output error',
  EINVAL: 'Invalid argument',
  ENOMEM: 'Cannot allocate memory',
  EISDIR: 'Is a directory',
  ELIBBAD: 'Accessing a corrupted shared library',
};

export class LoaderError extends Error {
  constructor(message: string, readonly status: number, readonly errno: string) {
    super(message);
    this.name = 'LoaderError';
  }

  /** qemu's "Error while loading <path>: <strerror>" for a file that cannot be opened, may not
   *  be executed or is no ELF file, with its exit status 1. (qemu prints it to stdout, where a
   *  redirected stdout loses it when qemu exits; tsemu prints it to stderr.) */
  static whileLoading(progName: string, path: string, errno: string): LoaderError {
    return new LoaderError(`${progName}: Error while loading ${path}: ${strerror(errno)}`, 1, errno);
  }

  /** qemu's "<path>: <what>" for an ELF file it read and refuses. qemu exits with -1 there
   *  (status 255), which tells a caller "an image, but not runnable" apart from status 1. */
  static image(progName: string, path: string, what: string, errno: string): LoaderError {
    return new LoaderError(`${progName}: ${path}: ${what}`, 255, errno);
  }

  /** qemu's "Could not open '<interpreter>': <strerror>" (`tried` says where it was looked for). */
  static couldNotOpen(progName: string, path: string, errno: string, tried = ''): LoaderError {
    return new LoaderError(`${progName}: Could not open '${path}': ${strerror(errno)}${tried}`, 255, errno);
  }

  /** A segment the kernel would not map, in qemu's "Error mapping file" words. */
  static mapping(progName: string, path: string, errno: string): LoaderError {
    return LoaderError.image(progName, path, `Error mapping file: ${strerror(errno)}`, errno);
  }
}

/** The errno name of a Node fs error (its code), for the open and read failures. */
export const errnoOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? 'EIO';

/** The strerror text of an errno name. */
export const strerror = (errno: string): string => STRERROR[errno] ?? errno;
