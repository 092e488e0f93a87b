// riscv64 struct layouts: the 64-bit asm-generic ones (LP64: long and pointers are 8 bytes).
// Rows are [field, offset, size]; a negative size is a signed field, 'cN' a char[N].
import { layout, StructLayout } from '../generic/struct-layout.js';

const timespecRows = (p: string, at: number): [string, number, number][] => [[`${p}sec`, at, -8], [`${p}nsec`, at + 8, -8]];
const timevalRows = (p: string, at: number): [string, number, number][] => [[`${p}sec`, at, -8], [`${p}usec`, at + 8, -8]];

export const RISCV64_LAYOUTS: Record<string, StructLayout> = {
  // include/uapi/asm-generic/stat.h
  stat: layout(128, [
    ['dev', 0, 8], ['ino', 8, 8], ['mode', 16, 4], ['nlink', 20, 4], ['uid', 24, 4], ['gid', 28, 4],
    ['rdev', 32, 8], ['size', 48, -8], ['blksize', 56, -4], ['blocks', 64, -8],
    ['atime', 72, -8], ['atime_nsec', 80, 8], ['mtime', 88, -8], ['mtime_nsec', 96, 8],
    ['ctime', 104, -8], ['ctime_nsec', 112, 8],
  ]),
  // include/uapi/linux/stat.h struct statx, with struct statx_timestamp {s64 sec; u32 nsec}
  statx: layout(256, [
    ['mask', 0, 4], ['blksize', 4, 4], ['attributes', 8, 8], ['nlink', 16, 4], ['uid', 20, 4],
    ['gid', 24, 4], ['mode', 28, 2], ['ino', 32, 8], ['size', 40, 8], ['blocks', 48, 8],
    ['attributes_mask', 56, 8],
    ['atime_sec', 64, -8], ['atime_nsec', 72, 4], ['btime_sec', 80, -8], ['btime_nsec', 88, 4],
    ['ctime_sec', 96, -8], ['ctime_nsec', 104, 4], ['mtime_sec', 112, -8], ['mtime_nsec', 120, 4],
    ['rdev_major', 128, 4], ['rdev_minor', 132, 4], ['dev_major', 136, 4], ['dev_minor', 140, 4],
  ]),
  // include/uapi/asm-generic/statfs.h (__statfs_word is long on 64-bit)
  statfs: layout(120, [
    ['type', 0, -8], ['bsize', 8, -8], ['blocks', 16, 8], ['bfree', 24, 8], ['bavail', 32, 8],
    ['files', 40, 8], ['ffree', 48, 8], ['fsid0', 56, -4], ['fsid1', 60, -4], ['namelen', 64, -8],
    ['frsize', 72, -8], ['flags', 80, -8],
  ]),
  // include/uapi/linux/time_types.h, time.h
  timespec: layout(16, timespecRows('', 0)),
  timeval: layout(16, timevalRows('', 0)),
  timezone: layout(8, [['minuteswest', 0, -4], ['dsttime', 4, -4]]),
  // include/uapi/linux/resource.h
  rusage: layout(144, [
    ['utime_sec', 0, -8], ['utime_usec', 8, -8], ['stime_sec', 16, -8], ['stime_usec', 24, -8],
    ...(['maxrss', 'ixrss', 'idrss', 'isrss', 'minflt', 'majflt', 'nswap', 'inblock', 'oublock',
      'msgsnd', 'msgrcv', 'nsignals', 'nvcsw', 'nivcsw'].map((f, i): [string, number, number] => [f, 32 + 8 * i, -8])),
  ]),
  rlimit: layout(16, [['cur', 0, 8], ['max', 8, 8]]),
  // include/uapi/linux/times.h
  tms: layout(32, [['utime', 0, -8], ['stime', 8, -8], ['cutime', 16, -8], ['cstime', 24, -8]]),
  // include/uapi/linux/sysinfo.h (_f[] is empty on 64-bit)
  sysinfo: layout(112, [
    ['uptime', 0, -8], ['loads0', 8, 8], ['loads1', 16, 8], ['loads2', 24, 8], ['totalram', 32, 8],
    ['freeram', 40, 8], ['sharedram', 48, 8], ['bufferram', 56, 8], ['totalswap', 64, 8],
    ['freeswap', 72, 8], ['procs', 80, 2], ['totalhigh', 88, 8], ['freehigh', 96, 8], ['mem_unit', 104, 4],
  ]),
  // include/uapi/linux/utsname.h struct new_utsname
  utsname: layout(390, [
    ['sysname', 0, 'c65'], ['nodename', 65, 'c65'], ['release', 130, 'c65'], ['version', 195, 'c65'],
    ['machine', 260, 'c65'], ['domainname', 325, 'c65'],
  ]),
  // include/linux/dirent.h struct linux_dirent64 (d_name follows the header)
  dirent64: layout(19, [['ino', 0, 8], ['off', 8, -8], ['reclen', 16, 2], ['type', 18, 1], ['name', 19, 'c0']]),
  // include/uapi/linux/uio.h
  iovec: layout(16, [['base', 0, 8], ['len', 8, 8]]),
  // struct msghdr and the head of struct cmsghdr (include/linux/socket.h).
  msghdr: layout(56, [['name', 0, 8], ['namelen', 8, 4], ['iov', 16, 8], ['iovlen', 24, 8], ['control', 32, 8], ['controllen', 40, 8], ['flags', 48, -4]]),
  cmsghdr: layout(16, [['len', 0, 8], ['level', 8, -4], ['type', 12, -4]]),
  // include/uapi/asm-generic/termios.h, termbits.h (NCCS 19)
  winsize: layout(8, [['row', 0, 2], ['col', 2, 2], ['xpixel', 4, 2], ['ypixel', 6, 2]]),
  termios: layout(36, [['iflag', 0, 4], ['oflag', 4, 4], ['cflag', 8, 4], ['lflag', 12, 4], ['line', 16, 1], ['cc', 17, 'c19']]),
  // include/linux/signal_types.h: RISC-V has no SA_RESTORER, so no sa_restorer field
  sigaction: layout(24, [['handler', 0, 8], ['flags', 8, 8], ['mask', 16, 8]]),
  // include/uapi/asm-generic/signal.h stack_t
  stack_t: layout(24, [['sp', 0, 8], ['flags', 8, -4], ['size', 16, 8]]),
  sched_param: layout(4, [['priority', 0, -4]]),
  // include/uapi/asm-generic/siginfo.h: the union starts at 16 (8-byte aligned); the fields of
  // its members (kill, timer, rt, sigchld, sigfault, sigpoll) overlap by design
  siginfo: layout(128, [
    ['signo', 0, -4], ['errno', 4, -4], ['code', 8, -4],
    ['pid', 16, -4], ['uid', 20, 4], ['tid', 16, -4], ['overrun', 20, -4], ['value', 24, 8],
    ['status', 24, -4], ['utime', 32, -8], ['stime', 40, -8], ['addr', 16, 8], ['band', 16, -8], ['fd', 24, -4],
  ]),
  // include/uapi/asm-generic/siginfo.h struct sigevent (sigev_notify_thread_id in the union)
  sigevent: layout(64, [['value', 0, 8], ['signo', 8, -4], ['notify', 12, -4], ['tid', 16, -4]]),
  // include/uapi/linux/eventpoll.h: not packed outside x86-64, so data is 8-byte aligned
  epoll_event: layout(16, [['events', 0, 4], ['data', 8, 8]]),
  // include/uapi/linux/time.h
  itimerval: layout(32, [...timevalRows('interval_', 0), ...timevalRows('value_', 16)]),
  itimerspec: layout(32, [...timespecRows('interval_', 0), ...timespecRows('value_', 16)]),
};
