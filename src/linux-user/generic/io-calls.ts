// Data transfer: read/write and their positional and vectored forms.
import { PROT_WRITE } from '../../memory/guest-memory.js';
import { E, ERESTARTSYS, SyscallError } from './errno.js';
import type { OpenFile } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { readStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';

/** Bound on one transfer (Linux itself caps at MAX_RW_COUNT, about 2 GiB). */
export const MAX_IO = 64 * 1024 * 1024;
/** IOV_MAX (include/uapi/linux/uio.h UIO_MAXIOV). */
const IOV_MAX = 1024;

/** Runs a transfer on `file`, waiting while it would block (an empty pipe, a full one, a
 *  signalfd with nothing pending) unless the file is non-blocking; a signal handler interrupts
 *  the wait, and SA_RESTART restarts the call (ERESTARTSYS). A socket's SO_RCVTIMEO or
 *  SO_SNDTIMEO bounds the wait (`timeoutMs`): EAGAIN then. */
export function blocking(p: LinuxProcess, file: OpenFile, wait: boolean, op: () => number, timeoutMs?: number): number {
  if (!wait || file.nonblock) return op();
  const attempt = (): number | undefined => {
    try {
      return op();
    } catch (e) {
      if (e instanceof SyscallError && e.errno === E.AGAIN) return undefined;
      throw e;
    }
  };
  return attempt() ?? Number(p.waitFor({
    poll: attempt, interrupted: () => -ERESTARTSYS, repollMs: file.repollMs,
    ...(timeoutMs ? { deadline: performance.now() + timeoutMs, timeout: () => -E.AGAIN } : {}),
  }));
}

/** Reads up to len bytes from fd into guest memory at buf. Reads straight into guest memory when
 *  the whole buffer is writable; otherwise through a bounce buffer, so a short read into a
 *  partly mapped buffer succeeds as on Linux and only touching a bad page is EFAULT. */
function readInto(p: LinuxProcess, fd: number, buf: number, len: number, pos?: number, wait = true): number {
  const file = p.fds.get(fd);
  len = Math.min(len, MAX_IO);
  if (p.mem.accessible(buf, len, PROT_WRITE)) return blocking(p, file, wait, () => file.read(p.mem.u8, buf, len, pos));
  const tmp = new Uint8Array(len);
  p.mem.check(buf, 1, true);
  return blocking(p, file, wait, () => {
    const n = file.read(tmp, 0, len, pos);
    p.mem.write(buf, tmp.subarray(0, n));
    return n;
  });
}

function writeFrom(p: LinuxProcess, fd: number, buf: number, len: number, pos?: number, wait = true): number {
  const file = p.fds.get(fd);
  len = Math.min(len, MAX_IO);
  p.mem.check(buf, len, false);
  return blocking(p, file, wait, () => file.write(p.mem.u8, buf, len, pos));
}

export function iovecs(p: LinuxProcess, iov: number, cnt: number): { base: number; len: number }[] {
  if (cnt < 0 || cnt > IOV_MAX) throw new SyscallError(E.INVAL);
  const l = p.layouts.iovec;
  const out = [];
  let total = 0;
  for (let i = 0; i < cnt; i++) {
    const v = readStruct(p.mem, iov + i * l.size, l);
    if (v.len < 0 || v.len > Number.MAX_SAFE_INTEGER) throw new SyscallError(E.INVAL);
    total += v.len;
    out.push({ base: v.base, len: v.len });
  }
  if (total > MAX_IO) throw new SyscallError(E.INVAL);
  return out;
}

function checkPos(pos: number): number {
  if (pos < 0) throw new SyscallError(E.INVAL);
  return pos;
}

function vectored(p: LinuxProcess, fd: number, iov: number, cnt: number, write: boolean, pos?: number): number {
  let done = 0;
  for (const v of iovecs(p, iov, cnt)) {
    if (v.len === 0) continue;
    const at = pos === undefined ? undefined : pos + done;
    let n: number;
    try {
      // Only the first segment waits: later ones take what is there (a short transfer).
      n = write ? writeFrom(p, fd, v.base, v.len, at, done === 0) : readInto(p, fd, v.base, v.len, at, done === 0);
    } catch (e) {
      if (done > 0) return done; // a partial transfer reports what was done
      throw e;
    }
    done += n;
    if (n < v.len) break;
  }
  return done;
}

export const IO_CALLS: Record<string, SyscallImpl> = {
  read: { args: ['fd', 'buf', 'ulong'], fn: (p, fd, buf, len) => readInto(p, fd, buf, len) },
  write: { args: ['fd', 'buf', 'ulong'], fn: (p, fd, buf, len) => writeFrom(p, fd, buf, len) },
  pread64: { args: ['fd', 'buf', 'ulong', 'off'], straceRaw: true, fn: (p, fd, buf, len, pos) => readInto(p, fd, buf, len, checkPos(pos)) },
  pwrite64: { args: ['fd', 'buf', 'ulong', 'off'], straceRaw: true, fn: (p, fd, buf, len, pos) => writeFrom(p, fd, buf, len, checkPos(pos)) },
  readv: { args: ['fd', 'ptr', 'int'], fn: (p, fd, iov, cnt) => vectored(p, fd, iov, cnt, false) },
  writev: { args: ['fd', 'ptr', 'int'], fn: (p, fd, iov, cnt) => vectored(p, fd, iov, cnt, true) },
  // 64-bit arches pass the whole offset in pos_l (pos_h is ignored there).
  preadv: { args: ['fd', 'ptr', 'int', 'off'], fn: (p, fd, iov, cnt, pos) => vectored(p, fd, iov, cnt, false, checkPos(pos)) },
  pwritev: { args: ['fd', 'ptr', 'int', 'off'], fn: (p, fd, iov, cnt, pos) => vectored(p, fd, iov, cnt, true, checkPos(pos)) },
};
