// 32-bit ARM (EABI) struct layouts: long and pointers are 4 bytes, 64-bit members are 8-byte
// aligned. Where the kernel has an old 32-bit struct and a 64-bit one (stat/stat64,
// statfs/statfs64, timespec/__kernel_timespec, rlimit/rlimit64), both are here and the syscall
// table says which call uses which. Rows are [field, offset, size]; a negative size is a signed
// field, 'cN' a char[N]. tests/unit/arm-linux-layouts.test.ts checks every offset against the
// armhf headers.
import { layout, StructLayout } from '../generic/struct-layout.js';

const timevalRows = (p: string, at: number): [string, number, number][] => [[`${p}sec`, at, -4], [`${p}usec`, at + 4, -4]];

export const ARM_LAYOUTS: Record<string, StructLayout> = {
  // arch/arm/include/uapi/asm/stat.h struct stat: the old calls (stat, lstat, fstat)
  stat: layout(64, [
    ['dev', 0, 4], ['ino', 4, 4], ['mode', 8, 2], ['nlink', 10, 2], ['uid', 12, 2], ['gid', 14, 2],
    ['rdev', 16, 4], ['size', 20, 4], ['blksize', 24, 4], ['blocks', 28, 4],
    ['atime', 32, 4], ['atime_nsec', 36, 4], ['mtime', 40, 4], ['mtime_nsec', 44, 4],
    ['ctime', 48, 4], ['ctime_nsec', 52, 4],
  ]),
  // struct stat64 (same header). Its 32-bit __st_ino at 12 is left zero: glibc reads st_ino.
  stat64: layout(104, [
    ['dev', 0, 8], ['mode', 16, 4], ['nlink', 20, 4], ['uid', 24, 4], ['gid', 28, 4],
    ['rdev', 32, 8], ['size', 48, -8], ['blksize', 56, 4], ['blocks', 64, 8],
    ['atime', 72, 4], ['atime_nsec', 76, 4], ['mtime', 80, 4], ['mtime_nsec', 84, 4],
    ['ctime', 88, 4], ['ctime_nsec', 92, 4], ['ino', 96, 8],
  ]),
  // include/uapi/linux/stat.h struct statx: the same on every arch
  statx: layout(256, [
    ['mask', 0, 4], ['blksize', 4, 4], ['attributes', 8, 8], ['nlink', 16, 4], ['uid', 20, 4],
    ['gid', 24, 4], ['mode', 28, 2], ['ino', 32, 8], ['size', 40, 8], ['blocks', 48, 8],
    ['attributes_mask', 56, 8],
    ['atime_sec', 64, -8], ['atime_nsec', 72, 4], ['btime_sec', 80, -8], ['btime_nsec', 88, 4],
    ['ctime_sec', 96, -8], ['ctime_nsec', 104, 4], ['mtime_sec', 112, -8], ['mtime_nsec', 120, 4],
    ['rdev_major', 128, 4], ['rdev_minor', 132, 4], ['dev_major', 136, 4], ['dev_minor', 140, 4],
  ]),
  // include/uapi/asm-generic/statfs.h struct statfs with 4-byte words
  statfs: layout(64, [
    ['type', 0, -4], ['bsize', 4, -4], ['blocks', 8, 4], ['bfree', 12, 4], ['bavail', 16, 4],
    ['files', 20, 4], ['ffree', 24, 4], ['fsid0', 28, -4], ['fsid1', 32, -4], ['namelen', 36, -4],
    ['frsize', 40, -4], ['flags', 44, -4],
  ]),
  // struct statfs64, packed to 4-byte alignment on ARM (arch/arm/include/uapi/asm/statfs.h)
  statfs64: layout(84, [
    ['type', 0, -4], ['bsize', 4, -4], ['blocks', 8, 8], ['bfree', 16, 8], ['bavail', 24, 8],
    ['files', 32, 8], ['ffree', 40, 8], ['fsid0', 48, -4], ['fsid1', 52, -4], ['namelen', 56, -4],
    ['frsize', 60, -4], ['flags', 64, -4],
  ]),
  // include/uapi/linux/time.h struct timespec (32-bit time_t)
  timespec: layout(8, [['sec', 0, -4], ['nsec', 4, -4]]),
  // include/uapi/linux/time_types.h struct __kernel_timespec, what the *_time64 calls take. A
  // 32-bit kernel reads only the low half of tv_nsec (get_timespec64 drops the padding).
  timespec64: layout(16, [['sec', 0, -8], ['nsec', 8, -4]]),
  timeval: layout(8, timevalRows('', 0)),
  timezone: layout(8, [['minuteswest', 0, -4], ['dsttime', 4, -4]]),
  // include/uapi/linux/resource.h
  rusage: layout(72, [
    ...timevalRows('utime_', 0), ...timevalRows('stime_', 8),
    ...(['maxrss', 'ixrss', 'idrss', 'isrss', 'minflt', 'majflt', 'nswap', 'inblock', 'oublock',
      'msgsnd', 'msgrcv', 'nsignals', 'nvcsw', 'nivcsw'].map((f, i): [string, number, number] => [f, 16 + 4 * i, -4])),
  ]),
  rlimit: layout(8, [['cur', 0, 4], ['max', 4, 4]]),
  // struct rlimit64: prlimit64's, 64-bit on every arch
  rlimit64: layout(16, [['cur', 0, 8], ['max', 8, 8]]),
  // include/uapi/linux/times.h
  tms: layout(16, [['utime', 0, -4], ['stime', 4, -4], ['cutime', 8, -4], ['cstime', 12, -4]]),
  // include/uapi/linux/sysinfo.h (8 bytes of _f padding on 32-bit)
  sysinfo: layout(64, [
    ['uptime', 0, -4], ['loads0', 4, 4], ['loads1', 8, 4], ['loads2', 12, 4], ['totalram', 16, 4],
    ['freeram', 20, 4], ['sharedram', 24, 4], ['bufferram', 28, 4], ['totalswap', 32, 4],
    ['freeswap', 36, 4], ['procs', 40, 2], ['totalhigh', 44, 4], ['freehigh', 48, 4], ['mem_unit', 52, 4],
  ]),
  // include/uapi/linux/utsname.h struct new_utsname
  utsname: layout(390, [
    ['sysname', 0, 'c65'], ['nodename', 65, 'c65'], ['release', 130, 'c65'], ['version', 195, 'c65'],
    ['machine', 260, 'c65'], ['domainname', 325, 'c65'],
  ]),
  // include/linux/dirent.h struct linux_dirent64 (d_name follows the header)
  dirent64: layout(19, [['ino', 0, 8], ['off', 8, -8], ['reclen', 16, 2], ['type', 18, 1], ['name', 19, 'c0']]),
  // include/uapi/linux/uio.h
  iovec: layout(8, [['base', 0, 4], ['len', 4, 4]]),
  // struct msghdr and the head of struct cmsghdr (include/linux/socket.h).
  msghdr: layout(28, [['name', 0, 4], ['namelen', 4, 4], ['iov', 8, 4], ['iovlen', 12, 4], ['control', 16, 4], ['controllen', 20, 4], ['flags', 24, -4]]),
  cmsghdr: layout(12, [['len', 0, 4], ['level', 4, -4], ['type', 8, -4]]),
  // arch/arm/include/uapi/asm/termbits.h: the asm-generic shapes (NCCS 19)
  winsize: layout(8, [['row', 0, 2], ['col', 2, 2], ['xpixel', 4, 2], ['ypixel', 6, 2]]),
  termios: layout(36, [['iflag', 0, 4], ['oflag', 4, 4], ['cflag', 8, 4], ['lflag', 12, 4], ['line', 16, 1], ['cc', 17, 'c19']]),
  // rt_sigaction's struct sigaction: ARM has SA_RESTORER, so sa_restorer sits before the mask
  // (include/linux/signal_types.h with __ARCH_HAS_SA_RESTORER)
  sigaction: layout(20, [['handler', 0, 4], ['flags', 4, 4], ['restorer', 8, 4], ['mask', 12, 8]]),
  // include/uapi/asm-generic/signal.h stack_t
  stack_t: layout(12, [['sp', 0, 4], ['flags', 4, -4], ['size', 8, 4]]),
  sched_param: layout(4, [['priority', 0, -4]]),
  // include/uapi/asm-generic/siginfo.h with 32-bit words: the union starts at 12
  siginfo: layout(128, [
    ['signo', 0, -4], ['errno', 4, -4], ['code', 8, -4],
    ['pid', 12, -4], ['uid', 16, 4], ['tid', 12, -4], ['overrun', 16, -4], ['value', 20, 4],
    ['status', 20, -4], ['utime', 24, -4], ['stime', 28, -4], ['addr', 12, 4], ['band', 12, -4], ['fd', 16, -4],
  ]),
  sigevent: layout(64, [['value', 0, 4], ['signo', 4, -4], ['notify', 8, -4], ['tid', 12, -4]]),
  // include/uapi/linux/eventpoll.h: not packed outside x86-64, so data is 8-byte aligned
  epoll_event: layout(16, [['events', 0, 4], ['data', 8, 8]]),
  // include/uapi/linux/time.h, with 32-bit time; itimerspec64 is __kernel_itimerspec (the
  // *_time64 timer calls)
  itimerval: layout(16, [...timevalRows('interval_', 0), ...timevalRows('value_', 8)]),
  itimerspec: layout(16, [['interval_sec', 0, -4], ['interval_nsec', 4, -4], ['value_sec', 8, -4], ['value_nsec', 12, -4]]),
  itimerspec64: layout(32, [['interval_sec', 0, -8], ['interval_nsec', 8, -4], ['value_sec', 16, -8], ['value_nsec', 24, -4]]),
};
