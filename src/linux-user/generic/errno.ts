// Linux errno values (include/uapi/asm-generic/errno-base.h and errno.h; every arch tsemu targets
// uses these), their strerror texts for -strace, and the one place host errors become guest ones.

/** [name, number, message] */
const ERRNOS: [string, number, string][] = [
  ['EPERM', 1, 'Operation not permitted'],
  ['ENOENT', 2, 'No such file or directory'],
  ['ESRCH', 3, 'No such process'],
  ['EINTR', 4, 'Interrupted system call'],
  ['EIO', 5, 'Input/output error'],
  ['ENXIO', 6, 'No such device or address'],
  ['E2BIG', 7, 'Argument list too long'],
  ['ENOEXEC', 8, 'Exec format error'],
  ['EBADF', 9, 'Bad file descriptor'],
  ['ECHILD', 10, 'No child processes'],
  ['EAGAIN', 11, 'Resource temporarily unavailable'],
  ['ENOMEM', 12, 'Cannot allocate memory'],
  ['EACCES', 13, 'Permission denied'],
  ['EFAULT', 14, 'Bad address'],
  ['EBUSY', 16, 'Device or resource busy'],
  ['EEXIST', 17, 'File exists'],
  ['EXDEV', 18, 'Invalid cross-device link'],
  ['ENODEV', 19, 'No such device'],
  ['ENOTDIR', 20, 'Not a directory'],
  ['EISDIR', 21, 'Is a directory'],
  ['EINVAL', 22, 'Invalid argument'],
  ['ENFILE', 23, 'Too many open files in system'],
  ['EMFILE', 24, 'Too many open files'],
  ['ENOTTY', 25, 'Inappropriate ioctl for device'],
  ['ETXTBSY', 26, 'Text file busy'],
  ['EFBIG', 27, 'File too large'],
  ['ENOSPC', 28, 'No space left on device'],
  ['ESPIPE', 29, 'Illegal seek'],
  ['EROFS', 30, 'Read-only file system'],
  ['EMLINK', 31, 'Too many links'],
  ['EPIPE', 32, 'Broken pipe'],
  ['EDOM', 33, 'Numerical argument out of domain'],
  ['ERANGE', 34, 'Numerical result out of range'],
  ['EDEADLK', 35, 'Resource deadlock avoided'],
  ['ENAMETOOLONG', 36, 'File name too long'],
  ['ENOLCK', 37, 'No locks available'],
  ['ENOSYS', 38, 'Function not implemented'],
  ['ENOTEMPTY', 39, 'Directory not empty'],
  ['ELOOP', 40, 'Too many levels of symbolic links'],
  ['ENODATA', 61, 'No data available'],
  ['ETIME', 62, 'Timer expired'],
  ['EOVERFLOW', 75, 'Value too large for defined data type'],
  ['EILSEQ', 84, 'Invalid or incomplete multibyte or wide character'],
  ['ENOTSOCK', 88, 'Socket operation on non-socket'],
  ['EDESTADDRREQ', 89, 'Destination address required'],
  ['EMSGSIZE', 90, 'Message too long'],
  ['EPROTOTYPE', 91, 'Protocol wrong type for socket'],
  ['ENOPROTOOPT', 92, 'Protocol not available'],
  ['EPROTONOSUPPORT', 93, 'Protocol not supported'],
  ['ESOCKTNOSUPPORT', 94, 'Socket type not supported'],
  ['EOPNOTSUPP', 95, 'Operation not supported'],
  ['EAFNOSUPPORT', 97, 'Address family not supported by protocol'],
  ['EADDRINUSE', 98, 'Address already in use'],
  ['EADDRNOTAVAIL', 99, 'Cannot assign requested address'],
  ['ENETDOWN', 100, 'Network is down'],
  ['ENETUNREACH', 101, 'Network is unreachable'],
  ['ECONNABORTED', 103, 'Software caused connection abort'],
  ['ECONNRESET', 104, 'Connection reset by peer'],
  ['ENOBUFS', 105, 'No buffer space available'],
  ['EISCONN', 106, 'Transport endpoint is already connected'],
  ['ENOTCONN', 107, 'Transport endpoint is not connected'],
  ['ETIMEDOUT', 110, 'Connection timed out'],
  ['ECONNREFUSED', 111, 'Connection refused'],
  ['EHOSTUNREACH', 113, 'No route to host'],
  ['EALREADY', 114, 'Operation already in progress'],
  ['EINPROGRESS', 115, 'Operation now in progress'],
  ['EDQUOT', 122, 'Disk quota exceeded'],
  ['ECANCELED', 125, 'Operation canceled'],
];

const byName = new Map(ERRNOS.map(([n, v]) => [n, v]));
const messages = new Map(ERRNOS.map(([, v, m]) => [v, m]));
const num = (name: string): number => byName.get(name)!;

/** The number of a Linux errno name ('EAGAIN'), if this table has it. */
export const errnoByName = (name: string): number | undefined => byName.get(name);

export const E = {
  PERM: num('EPERM'), NOENT: num('ENOENT'), SRCH: num('ESRCH'), INTR: num('EINTR'), IO: num('EIO'),
  BADF: num('EBADF'), CHILD: num('ECHILD'), AGAIN: num('EAGAIN'), NOMEM: num('ENOMEM'),
  ACCES: num('EACCES'), FAULT: num('EFAULT'), EXIST: num('EEXIST'), NOTDIR: num('ENOTDIR'),
  ISDIR: num('EISDIR'), INVAL: num('EINVAL'), MFILE: num('EMFILE'), NOTTY: num('ENOTTY'),
  SPIPE: num('ESPIPE'), PIPE: num('EPIPE'), RANGE: num('ERANGE'), NAMETOOLONG: num('ENAMETOOLONG'),
  NOSYS: num('ENOSYS'), NOTEMPTY: num('ENOTEMPTY'), LOOP: num('ELOOP'), TIMEDOUT: num('ETIMEDOUT'),
  OPNOTSUPP: num('EOPNOTSUPP'), NOTSOCK: num('ENOTSOCK'), TOOBIG: num('E2BIG'), NOEXEC: num('ENOEXEC'),
  NFILE: num('ENFILE'), AFNOSUPPORT: num('EAFNOSUPPORT'), NOPROTOOPT: num('ENOPROTOOPT'),
  CONNREFUSED: num('ECONNREFUSED'), CONNRESET: num('ECONNRESET'), NOTCONN: num('ENOTCONN'),
  ISCONN: num('EISCONN'), ALREADY: num('EALREADY'), INPROGRESS: num('EINPROGRESS'),
  ADDRINUSE: num('EADDRINUSE'), DESTADDRREQ: num('EDESTADDRREQ'), MSGSIZE: num('EMSGSIZE'),
  PROTONOSUPPORT: num('EPROTONOSUPPORT'), SOCKTNOSUPPORT: num('ESOCKTNOSUPPORT'),
  PROTOTYPE: num('EPROTOTYPE'), DOM: num('EDOM'), NODEV: num('ENODEV'),
} as const;

/** The kernel's restart codes (include/linux/errno.h): a blocking call interrupted by a signal
 *  returns one, and signal delivery turns it into EINTR or a restart of the call (signal(7),
 *  "Interruption of system calls and library functions by signal handlers"). Never seen by the
 *  guest. */
export const ERESTARTSYS = 512; // restart if the handler has SA_RESTART, else EINTR
export const ERESTARTNOINTR = 513; // always restart
export const ERESTARTNOHAND = 514; // restart only if no handler ran, else EINTR
export const ERESTART_RESTARTBLOCK = 516; // as ERESTARTNOHAND (sleeps: restarted with the time left)

/** strerror() text, as qemu's -strace prints it. */
export function errnoMessage(errno: number): string {
  return messages.get(errno) ?? `Unknown error ${errno}`;
}

/** A guest errno raised inside an implementation; the dispatcher turns it into -errno. */
export class SyscallError extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
  }
}

/** EAGAIN as thrown where a call finds nothing to do yet, the commonest error of an event
 *  loop's calls: one shared instance, since building an Error costs about a microsecond. */
export const AGAIN = new SyscallError(E.AGAIN);

/** Maps a host exception (Node's err.code, e.g. 'ENOENT') to a guest errno, or undefined when
 *  the exception is not a host error (a bug: let it propagate). */
export function hostErrno(err: unknown): number | undefined {
  if (err instanceof SyscallError) return err.errno;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || code.startsWith('ERR_')) return undefined;
  if (code === 'ENOTSUP') return E.OPNOTSUPP;
  if (code === 'EWOULDBLOCK') return E.AGAIN;
  return byName.get(code) ?? E.IO;
}
