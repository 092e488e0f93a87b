// open(2) flags of 32-bit ARM: asm-generic's except the four arch/arm/include/uapi/asm/fcntl.h
// moves (O_DIRECTORY, O_NOFOLLOW, O_DIRECT, O_LARGEFILE). The order is the order -strace prints
// them in (qemu's); O_TMPFILE and O_SYNC come before the bits they contain.
export const ARM_OPEN_FLAGS: Record<string, number> = {
  O_TMPFILE: 0o20040000,
  O_APPEND: 0o2000,
  O_CREAT: 0o100,
  O_DIRECTORY: 0o40000,
  O_EXCL: 0o200,
  O_LARGEFILE: 0o400000,
  O_NOCTTY: 0o400,
  O_NOFOLLOW: 0o100000,
  O_NONBLOCK: 0o4000,
  O_SYNC: 0o4010000,
  O_DSYNC: 0o10000,
  O_TRUNC: 0o1000,
  FASYNC: 0o20000,
  O_DIRECT: 0o200000,
  O_NOATIME: 0o1000000,
  O_CLOEXEC: 0o2000000,
  O_PATH: 0o10000000,
};
