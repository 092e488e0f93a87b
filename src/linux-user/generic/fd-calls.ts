// Descriptor operations: dup, fcntl, ioctl, pipe2, umask.
import { E, SyscallError } from './errno.js';
import { MAX_FDS } from './fd-table.js';
import { PipeBuffer, PipeEnd } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';

// fcntl commands (include/uapi/asm-generic/fcntl.h; F_*LK64 are the 32-bit arches' names).
const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
const F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_GETLK64 = 12, F_SETLK64 = 13, F_SETLKW64 = 14;
const F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_DUPFD_CLOEXEC = 1030;
const FD_CLOEXEC = 1;
const F_UNLCK = 2;

// ioctl requests (include/uapi/asm-generic/ioctls.h).
const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;
const TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541b, TIOCGPGRP = 0x540f;

// A terminal's usual settings (termios.h bits): what `stty -a` shows for a fresh xterm.
const TTY_DEFAULTS = {
  iflag: 0o2400, // ICRNL | IXON
  oflag: 0o5, // OPOST | ONLCR
  cflag: 0o277, // B38400 | CS8 | CREAD
  lflag: 0o105073, // ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN
  // VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1, ...
  cc: Uint8Array.from([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22]),
};

function fcntl(p: LinuxProcess, fd: number, cmd: number, arg: number): number {
  const file = p.fds.get(fd);
  switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC:
      if (arg < 0 || arg >= MAX_FDS) throw new SyscallError(E.INVAL);
      return p.fds.dup(fd, arg, cmd === F_DUPFD_CLOEXEC);
    case F_GETFD: return p.fds.getCloexec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD: p.fds.setCloexec(fd, (arg & FD_CLOEXEC) !== 0); return 0;
    case F_GETFL: return file.flags;
    case F_SETFL: {
      const changeable = p.arch.openFlags.O_APPEND | p.arch.openFlags.O_NONBLOCK;
      file.flags = (file.flags & ~changeable) | (arg & changeable);
      file.nonblock = p.hasOpenFlag(arg, 'O_NONBLOCK');
      return 0;
    }
    // A single process holds every lock it asks for: report the range as unlocked.
    case F_GETLK: case F_GETLK64: case F_OFD_GETLK:
      p.mem.writeU16(arg, F_UNLCK);
      return 0;
    case F_SETLK: case F_SETLKW: case F_SETLK64: case F_SETLKW64: case F_OFD_SETLK: case F_OFD_SETLKW:
      return 0;
    default: throw new SyscallError(E.INVAL);
  }
}

function ioctl(p: LinuxProcess, fd: number, req: number, arg: number): number {
  const file = p.fds.get(fd);
  if (req === FIONREAD) { p.mem.writeU32(arg, file.available()); return 0; }
  if (!file.isTty()) throw new SyscallError(E.NOTTY);
  switch (req) {
    case TCGETS: writeStruct(p.mem, arg, p.layouts.termios, TTY_DEFAULTS); return 0;
    case TCSETS: case TCSETSW: case TCSETSF: case TIOCSWINSZ: return 0;
    case TIOCGWINSZ:
      writeStruct(p.mem, arg, p.layouts.winsize, { row: process.stdout.rows ?? 24, col: process.stdout.columns ?? 80 });
      return 0;
    case TIOCGPGRP: p.mem.writeU32(arg, p.pid); return 0;
    default: throw new SyscallError(E.NOTTY);
  }
}

function pipe2(p: LinuxProcess, fds: number, flags: number): number {
  const { nonblock, cloexec } = p.createFlags(flags, p.arch.openFlags.O_DIRECT);
  p.mem.check(fds, 8, true);
  const pipe = new PipeBuffer();
  const status = flags & p.arch.openFlags.O_NONBLOCK;
  const end = (reader: boolean): PipeEnd => {
    const e = new PipeEnd(pipe, reader, reader ? status : status | 1);
    e.nonblock = nonblock;
    return e;
  };
  const [r, w] = p.fds.addPair(end(true), end(false), cloexec);
  p.mem.writeU32(fds, r);
  p.mem.writeU32(fds + 4, w);
  return 0;
}

export const FD_CALLS: Record<string, SyscallImpl> = {
  dup: { args: ['fd'], fn: (p, fd) => p.fds.dup(fd) },
  dup3: {
    args: ['fd', 'fd', 'openflags'],
    fn: (p, from, to, flags) => {
      if (from === to || flags & ~p.arch.openFlags.O_CLOEXEC) throw new SyscallError(E.INVAL);
      const file = p.fds.get(from);
      if (to < 0 || to >= MAX_FDS) throw new SyscallError(E.BADF);
      file.refs++;
      p.fds.set(to, file, p.hasOpenFlag(flags, 'O_CLOEXEC'));
      return to;
    },
  },
  fcntl: { args: ['fd', 'fcntlcmd', 'ulong'], fn: fcntl },
  ioctl: { args: ['fd', 'ioctlreq', 'buf'], fn: ioctl },
  pipe2: { args: ['ptr', 'openflags'], straceRaw: true, fn: pipe2 },
  umask: { args: ['uint'], fn: (p, mask) => { const old = p.umask; p.umask = mask & 0o777; return old; } },
};
