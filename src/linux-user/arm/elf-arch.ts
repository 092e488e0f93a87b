// 32-bit ARM as the loader sees it: EM_ARM, ELFCLASS32, and the auxv that tells glibc what the
// CPU has. AT_HWCAP must promise only what src/target/arm implements: glibc picks its string
// functions by these bits (the NEON bit selects __memcpy_neon and __memchr_neon), so the set is
// the ARMv7-A profile of the frontend, a Cortex-A15 without VFPv4/ThumbEE (qemu-arm -cpu
// cortex-a15 reports 0x1fb8d7 and platform "v7l"; its default "max" CPU is an ARMv8 one).
import { type ElfArch, sysrootsOf } from '../../loader/index.js';

/** HWCAP_* bits (arch/arm/include/uapi/asm/hwcap.h), with the names /proc/cpuinfo prints. */
export const ARM_HWCAPS: [name: string, bit: number][] = [
  ['swp', 1 << 0], // SWP/SWPB (A32)
  ['half', 1 << 1], // LDRH/STRH
  ['thumb', 1 << 2],
  ['fastmult', 1 << 4], // UMULL/SMULL
  ['vfp', 1 << 6],
  ['edsp', 1 << 7], // the DSP multiplies and saturating arithmetic
  ['neon', 1 << 12], // the Advanced SIMD subset of target/arm/neon-extensions.ts
  ['vfpv3', 1 << 13],
  ['tls', 1 << 15], // TPIDRURO
  ['idiva', 1 << 17], // SDIV/UDIV in A32
  ['idivt', 1 << 18], // SDIV/UDIV in Thumb
  ['vfpd32', 1 << 19], // d16-d31
  ['lpae', 1 << 20], // single-copy atomic LDRD/STRD
];

export const ARM_HWCAP = ARM_HWCAPS.reduce((all, [, bit]) => all | bit, 0);

export const ARM_ELF_ARCH: ElfArch = {
  progName: 'tsemu-arm',
  machine: 40, // EM_ARM
  elfClass: 32,
  hwcap: ARM_HWCAP,
  // No crypto or CRC32 instructions (those are ARMv8's); qemu emits AT_HWCAP2 0 for ARMv7 CPUs.
  hwcap2: 0,
  platform: 'v7l',
  // Where qemu-arm puts a static-pie image too (TASK_UNMAPPED_BASE of a 32-bit guest).
  dynBase: 0x40000000,
  sysroots: sysrootsOf('arm', ['arm-linux-gnueabihf', 'arm-linux-musleabihf']),
};
