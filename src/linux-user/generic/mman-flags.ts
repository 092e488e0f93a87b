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
/** madvise advice (mman-common.h). MADV_HWPOISON and MADV_SOFT_OFFLINE (100, 101) act on the
 *  host's physical pages and are refused (EINVAL) like any advice not listed. */
export const MADV = {
  NORMAL: 0, RANDOM: 1, SEQUENTIAL: 2, WILLNEED: 3, DONTNEED: 4, FREE: 8, REMOVE: 9, DONTFORK: 10,
  DOFORK: 11, MERGEABLE: 12, UNMERGEABLE: 13, HUGEPAGE: 14, NOHUGEPAGE: 15, DONTDUMP: 16,
  DODUMP: 17, WIPEONFORK: 18, KEEPONFORK: 19, COLD: 20, PAGEOUT: 21, POPULATE_READ: 22,
  POPULATE_WRITE: 23, DONTNEED_LOCKED: 24, COLLAPSE: 25,
} as const;
export const MADV_NAMES: Record<number, string> = Object.fromEntries(Object.entries(MADV).map(([k, v]) => [v, `MADV_${k}`]));
/** msync flags (asm-generic/mman-common.h). */
export const MS = { ASYNC: 1, INVALIDATE: 2, SYNC: 4 } as const;

// Clock ids (include/uapi/linux/time.h).
export const CLOCK_NAMES = ['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID',
  'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_MONOTONIC_RAW', 'CLOCK_REALTIME_COARSE',
  'CLOCK_MONOTONIC_COARSE', 'CLOCK_BOOTTIME'];
