// eventfd and timerfd (eventfd(2), timerfd_create(2)): counters read as 8 bytes, ready for poll
// and epoll when non-zero. They live in the layer; a blocked read waits like a pipe's.
import { AGAIN, E, SyscallError } from './errno.js';
import { OpenFile, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, StatInfo, anonInodeStat } from './open-file.js';
import type { LinuxProcess } from './process.js';
import type { SyscallImpl } from './syscall-arch.js';
import { GuestTimer, clockCount, settime, writeItimerspec } from './timer-calls.js';

const EFD_SEMAPHORE = 1;
const MAX_COUNT = 0xffff_ffff_ffff_fffen;

const put64 = (dst: Uint8Array, off: number, v: bigint): void =>
  new DataView(dst.buffer, dst.byteOffset).setBigUint64(off, v, true);

class EventFd extends OpenFile {
  constructor(public count: bigint, private readonly semaphore: boolean, flags: number) {
    super('anon_inode:[eventfd]', flags);
  }
  read(dst: Uint8Array, off: number, len: number): number {
    if (len < 8) throw new SyscallError(E.INVAL);
    if (this.count === 0n) throw AGAIN;
    const v = this.semaphore ? 1n : this.count;
    this.count -= v;
    put64(dst, off, v);
    return 8;
  }
  write(src: Uint8Array, off: number, len: number): number {
    if (len < 8) throw new SyscallError(E.INVAL);
    const v = new DataView(src.buffer, src.byteOffset).getBigUint64(off, true);
    if (v === 0xffff_ffff_ffff_ffffn) throw new SyscallError(E.INVAL);
    if (this.count + v > MAX_COUNT) throw AGAIN;
    this.count += v;
    return 8;
  }
  override pollMask(): number {
    return (this.count > 0n ? POLLIN | POLLRDNORM : 0) | (this.count < MAX_COUNT ? POLLOUT | POLLWRNORM : 0);
  }
  stat(): StatInfo { return anonInodeStat(); }
}

class TimerFd extends OpenFile {
  expirations = 0n;
  readonly timer: GuestTimer;
  constructor(p: LinuxProcess, readonly clock: number, flags: number) {
    super('anon_inode:[timerfd]', flags);
    this.timer = new GuestTimer(p, clockCount(clock), undefined, undefined, () => this.expirations++);
  }
  read(dst: Uint8Array, off: number, len: number): number {
    if (len < 8) throw new SyscallError(E.INVAL);
    if (this.expirations === 0n) throw AGAIN;
    put64(dst, off, this.expirations);
    this.expirations = 0n;
    return 8;
  }
  write(): number { throw new SyscallError(E.INVAL); }
  override pollMask(): number { return this.expirations > 0n ? POLLIN | POLLRDNORM : 0; }
  stat(): StatInfo { return anonInodeStat(); }
  override release(): void { this.timer.cancel(); }
}

function eventfd(p: LinuxProcess, initval: number, flags: number): number {
  const { nonblock, cloexec } = p.createFlags(flags, EFD_SEMAPHORE);
  const f = new EventFd(BigInt(initval >>> 0), (flags & EFD_SEMAPHORE) !== 0, 2);
  f.nonblock = nonblock;
  return p.fds.add(f, cloexec);
}

function timerfdCreate(p: LinuxProcess, clock: number, flags: number): number {
  const { nonblock, cloexec } = p.createFlags(flags);
  const f = new TimerFd(p, clock, 2);
  f.nonblock = nonblock;
  return p.fds.add(f, cloexec);
}

function timerfdOf(p: LinuxProcess, fd: number): TimerFd {
  const f = p.fds.get(fd);
  if (!(f instanceof TimerFd)) throw new SyscallError(E.INVAL);
  return f;
}

export const EVENT_FILE_CALLS: Record<string, SyscallImpl> = {
  eventfd2: { args: ['uint', 'hex'], fn: eventfd },
  eventfd: { args: ['uint'], fn: (p, initval) => eventfd(p, initval, 0) },
  timerfd_create: { args: ['clockid', 'hex'], fn: timerfdCreate },
  timerfd_settime: {
    args: ['fd', 'hex', 'ptr', 'ptr'],
    fn: (p, fd, flags, next, old) => {
      const f = timerfdOf(p, fd);
      // A new setting starts the count afresh (timerfd_settime(2)).
      f.expirations = 0n;
      return settime(p, f.timer, f.clock, flags & ~2, next, old); // bit 1: TFD_TIMER_CANCEL_ON_SET
    },
  },
  timerfd_gettime: {
    args: ['fd', 'ptr'],
    fn: (p, fd, cur) => {
      writeItimerspec(p, cur, timerfdOf(p, fd).timer);
      return 0;
    },
  },
};
