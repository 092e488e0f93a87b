// The guest's file descriptor table: small integers to shared open file descriptions.
import { E, SyscallError } from './errno.js';
import { OpenFile } from './open-file.js';

/** RLIMIT_NOFILE's usual soft limit. */
export const MAX_FDS = 1024;

interface Slot { file: OpenFile; cloexec: boolean }

export class FdTable {
  private readonly slots = new Map<number, Slot>();

  get(fd: number): OpenFile {
    const s = this.slots.get(fd);
    if (!s) throw new SyscallError(E.BADF);
    return s.file;
  }

  has(fd: number): boolean { return this.slots.has(fd); }

  /** The file at fd, if open (one lookup, for loops over many fds). */
  fileAt(fd: number): OpenFile | undefined { return this.slots.get(fd)?.file; }

  /** Installs `file` at the lowest free fd >= min (the reference is handed over). */
  add(file: OpenFile, cloexec = false, min = 0): number {
    for (let fd = min; fd < MAX_FDS; fd++) {
      if (!this.slots.has(fd)) {
        this.slots.set(fd, { file, cloexec });
        return fd;
      }
    }
    file.refs--;
    if (file.refs === 0) file.release();
    throw new SyscallError(E.MFILE);
  }

  /** Installs two new files (pipe2, socketpair) at the lowest free fds: both, or neither. */
  addPair(a: OpenFile, b: OpenFile, cloexec: boolean): [number, number] {
    const fa = this.add(a, cloexec);
    try {
      return [fa, this.add(b, cloexec)];
    } catch (e) {
      this.close(fa);
      throw e;
    }
  }

  /** Installs `file` exactly at fd, closing what was there (dup3). */
  set(fd: number, file: OpenFile, cloexec: boolean): void {
    if (fd < 0 || fd >= MAX_FDS) throw new SyscallError(E.BADF);
    if (this.slots.has(fd)) this.close(fd);
    this.slots.set(fd, { file, cloexec });
  }

  dup(fd: number, min = 0, cloexec = false): number {
    const file = this.get(fd);
    file.refs++;
    return this.add(file, cloexec, min);
  }

  close(fd: number): void {
    const s = this.slots.get(fd);
    if (!s) throw new SyscallError(E.BADF);
    this.slots.delete(fd);
    if (--s.file.refs === 0) s.file.release();
  }

  /** Closes every fd (a process's end, or a fork's child taking its parent's table). */
  closeAll(): void {
    for (const fd of this.fds()) this.close(fd);
  }

  getCloexec(fd: number): boolean {
    this.get(fd);
    return this.slots.get(fd)!.cloexec;
  }

  setCloexec(fd: number, on: boolean): void {
    this.get(fd);
    this.slots.get(fd)!.cloexec = on;
  }

  fds(): number[] { return [...this.slots.keys()].sort((a, b) => a - b); }
}
