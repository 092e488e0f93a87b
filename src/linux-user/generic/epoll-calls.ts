// epoll (man 7 epoll) over the fds the layer has: an interest list per epoll file, readiness from
// OpenFile.pollMask. Level-triggered entries report while ready; edge-triggered ones report the
// event bits that became ready since they were last looked at; EPOLLONESHOT disables an entry
// once reported, until EPOLL_CTL_MOD. A wait that finds nothing ready waits like poll does.
import { repollOf } from './poll-calls.js';
import { deadlineAfterNs } from './blocking.js';
import { E, SyscallError } from './errno.js';
import { OpenFile, POLLERR, POLLHUP, POLLIN, POLLRDNORM, S_IFDIR, S_IFMT, S_IFREG, StatInfo, anonInodeStat } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { readStructBig, writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';

const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
const EPOLLET = 1 << 31, EPOLLONESHOT = 1 << 30, EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29;
/** The flag bits of an event mask, as opposed to the events. */
const EPOLL_FLAGS = EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP;
/** EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
const MAX_EVENTS = Math.floor(0x7fffffff / 16);
/** A read ahead that finds a socket empty costs about 6.6 us in Node (it builds an exception),
 *  a wait through the event loop about 40 us: a wait looks ahead at all its fds when they are
 *  few, and beyond this many leaves the ones Node watches to report themselves. */
const LOOK_ALL_MAX = 8;

/** An fd in the set: what it waits for, the readiness last seen and the file's arrival count
 *  then (edge-triggered entries report a change of either). */
interface Interest { file: OpenFile; events: number; data: bigint; seen: number; generation: number; disabled: boolean }

class EpollFile extends OpenFile {
  readonly interests = new Map<number, Interest>();

  constructor(private readonly p: LinuxProcess, flags: number) {
    super('anon_inode:[eventpoll]', flags);
  }

  /** The ready entries, at most `max`, updating edge-triggered and one-shot state. What is known
   *  without reading the host comes first; only when that has nothing do polls read ahead (an
   *  epoll_wait over 100 idle connections read all 100 each time). */
  ready(max: number): { events: number; data: bigint }[] {
    const known = this.collect(max, () => false);
    if (known.length) return known;
    const all = this.interests.size <= LOOK_ALL_MAX;
    return this.collect(max, (f) => all || !f.watched);
  }

  private collect(max: number, look: (f: OpenFile) => boolean): { events: number; data: bigint }[] {
    const out: { events: number; data: bigint }[] = [];
    for (const [fd, it] of this.interests) {
      if (out.length >= max) break;
      // An fd closed since it was added leaves the set, as its last reference goes.
      if (this.p.fds.fileAt(fd) !== it.file) { this.interests.delete(fd); continue; }
      if (it.disabled) continue;
      const now = it.file.pollMask(look(it.file)) & ((it.events & ~EPOLL_FLAGS) | POLLERR | POLLHUP);
      const arrived = it.generation !== it.file.generation;
      const report = it.events & EPOLLET && !arrived ? now & ~it.seen : now;
      it.seen = now;
      it.generation = it.file.generation;
      if (!report) continue;
      if (it.events & EPOLLONESHOT) it.disabled = true;
      out.push({ events: report, data: it.data });
    }
    return out;
  }

  read(): number { throw new SyscallError(E.INVAL); }
  write(): number { throw new SyscallError(E.INVAL); }
  override pollMask(): number {
    for (const it of this.interests.values()) {
      if (!it.disabled && it.file.pollMask() & ((it.events & ~EPOLL_FLAGS) | POLLERR | POLLHUP)) return POLLIN | POLLRDNORM;
    }
    return 0;
  }
  stat(): StatInfo { return anonInodeStat(); }
}

function epollOf(p: LinuxProcess, epfd: number): EpollFile {
  const f = p.fds.get(epfd);
  if (!(f instanceof EpollFile)) throw new SyscallError(E.INVAL);
  return f;
}

function create(p: LinuxProcess, flags: number): number {
  const cloexec = p.arch.openFlags.O_CLOEXEC ?? 0;
  if (flags & ~cloexec) throw new SyscallError(E.INVAL);
  return p.fds.add(new EpollFile(p, 2), (flags & cloexec) !== 0);
}

function ctl(p: LinuxProcess, epfd: number, op: number, fd: number, event: number): number {
  const ep = epollOf(p, epfd);
  const file = p.fds.get(fd);
  if (file === ep) throw new SyscallError(E.INVAL);
  // Regular files and directories have no readiness to wait for (epoll_ctl(2) EPERM).
  const kind = Number(file.stat().mode) & S_IFMT;
  if (op !== EPOLL_CTL_DEL && (kind === S_IFREG || kind === S_IFDIR)) throw new SyscallError(E.PERM);
  const ev = op === EPOLL_CTL_DEL ? undefined : readStructBig(p.mem, event, p.layouts.epoll_event);
  const it = ep.interests.get(fd);
  switch (op) {
    case EPOLL_CTL_ADD:
      if (it) throw new SyscallError(E.EXIST);
      ep.interests.set(fd, { file, events: Number(ev!.events) | 0, data: ev!.data, seen: 0, generation: file.generation, disabled: false });
      break;
    case EPOLL_CTL_MOD:
      if (!it) throw new SyscallError(E.NOENT);
      Object.assign(it, { events: Number(ev!.events) | 0, data: ev!.data, seen: 0, generation: it.file.generation, disabled: false });
      break;
    case EPOLL_CTL_DEL:
      if (!it) throw new SyscallError(E.NOENT);
      ep.interests.delete(fd);
      break;
    default:
      throw new SyscallError(E.INVAL);
  }
  p.host.changed();
  return 0;
}

function wait(p: LinuxProcess, epfd: number, events: number, max: number, timeoutMs: number): number | bigint {
  if (max <= 0 || max > MAX_EVENTS) throw new SyscallError(E.INVAL);
  const ep = epollOf(p, epfd);
  const l = p.layouts.epoll_event;
  p.mem.check(events, max * l.size, true);
  const check = (): number => {
    const ready = ep.ready(max);
    ready.forEach((e, i) => writeStruct(p.mem, events + i * l.size, l, e));
    return ready.length;
  };
  const first = check();
  if (first > 0 && timeoutMs !== 0) p.host.eventLoopTurn(p.current);
  if (first > 0 || timeoutMs === 0) return first;
  return p.waitFor({
    poll: () => check() || undefined,
    // A getter: other threads may add fds (a pipe shared with a child) while this one waits.
    get repollMs() { return repollOf([...ep.interests.values()].map((it) => it.file)); },
    deadline: timeoutMs < 0 ? undefined : deadlineAfterNs(BigInt(timeoutMs) * 1000000n),
    timeout: check,
    // epoll_wait is never restarted after a handler (signal(7)).
    interrupted: () => -E.INTR,
  });
}

export const EPOLL_CALLS: Record<string, SyscallImpl> = {
  epoll_create1: { args: ['openflags'], fn: create },
  epoll_create: {
    args: ['int'],
    fn: (p, size) => { if (size <= 0) throw new SyscallError(E.INVAL); return create(p, 0); },
  },
  epoll_ctl: { args: ['fd', 'int', 'fd', 'ptr'], fn: ctl },
  epoll_wait: { args: ['fd', 'ptr', 'int', 'int'], fn: wait },
  // The signal mask is checked, not yet applied (as ppoll's).
  epoll_pwait: {
    args: ['fd', 'ptr', 'int', 'int', 'ptr', 'sigsetsize'],
    fn: (p, epfd, events, max, timeout, set, size) => {
      if (set && size !== p.arch.sigsetSize) throw new SyscallError(E.INVAL);
      return wait(p, epfd, events, max, timeout);
    },
  },
};
