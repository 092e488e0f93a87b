// mmap/mprotect constants (include/uapi/asm-generic/mman-common.h, mman.h): shared by every arch
// tsemu targets. Kept as tables so -strace decodes them from the same source.
export const MAP = {
  SHARED: 0x01, PRIVATE: 0x02, SHARED_VALIDATE: 0x03, TYPE: 0x0f,
  FIXED: 0x10, ANONYMOUS: 0x20, FIXED_NOREPLACE: 0x100000,
} as const;

export const MAP_FLAG_NAMES: [string, number][] = [
  ['MAP_FIXED', 0x10], ['MAP_ANONYMOUS', 0x20], ['MAP_GROWSDOWN', 0x100], ['MAP_DENYWRITE', 0x800],
  ['MAP_EXECUTABLE', 0x1000], ['MAP_LOCKED', 0x2000], ['MAP_NORESERVE', 0x4000],
  ['MAP_POPULATE', 0x8000], ['MAP_NONBLOCK', 0x10000], ['MAP_STACK', 0x20000],
  ['MAP_HUGETLB', 0x40000], ['MAP_FIXED_NOREPLACE', 0x100000],
];

export const PROT_NAMES: [string, number][] = [['PROT_READ', 1], ['PROT_WRITE', 2], ['PROT_EXEC', 4]];

export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MADV_DONTNEED = 4;

// Clock ids (include/uapi/linux/time.h).
export const CLOCK_NAMES = ['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID',
  'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_MONOTONIC_RAW', 'CLOCK_REALTIME_COARSE',
  'CLOCK_MONOTONIC_COARSE', 'CLOCK_BOOTTIME'];
