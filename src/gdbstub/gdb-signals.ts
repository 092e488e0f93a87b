// The remote protocol numbers signals GDB's way (include/gdb/signals.def in gdb's sources), which
// agrees with Linux's numbering only below SIGBUS. A user-mode target translates with these.

/** GDB's numbers of the signals a stop reply commonly carries. */
export const GDB_SIGINT = 2;
export const GDB_SIGTRAP = 5;
const GDB_UNKNOWN = 143;

/** GDB's number of each Linux signal 0-31 (asm-generic numbering, which arm and riscv use). */
const LINUX_TO_GDB = [
  0, 1, 2, 3, 4, 5, 6, // -, HUP, INT, QUIT, ILL, TRAP, ABRT
  10, 8, 9, 30, 11, 31, 13, 14, 15, // BUS, FPE, KILL, USR1, SEGV, USR2, PIPE, ALRM, TERM
  GDB_UNKNOWN, 20, 19, 17, 18, 21, 22, 16, // STKFLT, CHLD, CONT, STOP, TSTP, TTIN, TTOU, URG
  24, 25, 26, 27, 28, 23, 32, 12, // XCPU, XFSZ, VTALRM, PROF, WINCH, IO, PWR, SYS
];
/** Linux's real-time signals 33-63 are GDB's 45-75; 32 is GDB's 76. */
const RT_FIRST = 33, RT_LAST = 63, GDB_RT33 = 45, GDB_RT32 = 76;

export function gdbSignal(linux: number): number {
  if (linux >= 0 && linux < LINUX_TO_GDB.length) return LINUX_TO_GDB[linux];
  if (linux >= RT_FIRST && linux <= RT_LAST) return GDB_RT33 + linux - RT_FIRST;
  return linux === 32 ? GDB_RT32 : GDB_UNKNOWN;
}

/** The Linux signal of a GDB number (0 when Linux has none). */
export function linuxSignal(gdb: number): number {
  const i = LINUX_TO_GDB.indexOf(gdb);
  if (i >= 0 && gdb !== GDB_UNKNOWN) return i;
  if (gdb >= GDB_RT33 && gdb < GDB_RT33 + RT_LAST - RT_FIRST + 1) return gdb - GDB_RT33 + RT_FIRST;
  return gdb === GDB_RT32 ? 32 : 0;
}
