// Why a program could not be loaded, worded as qemu-user words it (qemu 7.2, linux-user/main.c
// and elfload.c), so the CLI prints `message` as one line and exits with `status`.

export class LoaderError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'LoaderError';
  }

  /** qemu's "Error while loading <path>: <strerror>" for open/exec-permission/format failures,
   *  exit status 1. (qemu prints this one with printf to stdout; it is the CLI's to choose.) */
  static whileLoading(path: string, reason: string): LoaderError {
    return new LoaderError(`Error while loading ${path}: ${reason}`, 1);
  }

  /** qemu's error_report("<path>: <what>"). qemu then exits with -1 (status 255); tsemu exits
   *  with 1 like every other load failure, as its issue specifies for scripts to test one code. */
  static image(progName: string, path: string, what: string): LoaderError {
    return new LoaderError(`${progName}: ${path}: ${what}`, 1);
  }
}

// strerror(3) texts (glibc) for the errors opening a program can meet; Node gives err.code.
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  ENOEXEC: 'Exec format error',
  EIO: 'Input/output error',
};

/** The strerror text for a Node fs error. */
export function strerror(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && STRERROR[code]) ?? (err as Error).message;
}
