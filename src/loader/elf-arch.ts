// What the loader needs to know about a guest architecture. The loader stays arch-neutral; each
// arch hands one of these in (riscv64 below; 32-bit ARM passes e_machine 40, class 32,
// pointer size 4, its hwcaps and the "v7l" platform string).

export interface ElfArch {
  /** Program name used in error messages (tsemu-riscv64, tsemu-arm). */
  progName: string;
  /** Expected e_machine (ELF gABI; EM_RISCV = 243, EM_ARM = 40). */
  machine: number;
  /** ELFCLASS32 or ELFCLASS64 as the word size in bits. */
  elfClass: 32 | 64;
  /** AT_HWCAP value. */
  hwcap: number;
  /** AT_HWCAP2 value, for arches that define one (ARM). */
  hwcap2?: number;
  /** AT_PLATFORM string, for arches that define one. */
  platform?: string;
  /** AT_MINSIGSTKSZ, for arches that report one. */
  minSigStkSz?: number;
  /** Where a static-pie (ET_DYN) image is placed. */
  dynBase: number;
  /** Where the guest's libraries are when no prefix is given: qemu's binfmt default, then the
   *  Debian/Ubuntu and Fedora cross sysroots, tried in order for the program interpreter. */
  sysroots: string[];
}

/** The sysroots of a GNU triplet, and qemu's /etc/qemu-binfmt/<arch> first. */
export const sysrootsOf = (qemuArch: string, triplets: string[]): string[] => [
  `/etc/qemu-binfmt/${qemuArch}`,
  ...triplets.flatMap((t) => [`/usr/${t}`, `/usr/${t}/sys-root`, `/usr/${t}/libc`]),
];

// RISC-V hwcap: one bit per single-letter extension, bit (letter - 'a') (Linux
// arch/riscv/include/uapi/asm/hwcap.h): I M A F D C.
const rvLetters = (s: string): number =>
  [...s].reduce((bits, c) => bits | (1 << (c.charCodeAt(0) - 97)), 0);

export const RISCV64_ELF_ARCH: ElfArch = {
  progName: 'tsemu-riscv64',
  machine: 243,
  elfClass: 64,
  hwcap: rvLetters('imafdc'), // 0x112d
  // qemu 7.2 puts ET_DYN images at TASK_UNMAPPED_BASE, 1 << 38 for 64-bit guests, which is
  // outside tsemu's 32-bit window; 0x40000000 is the value qemu uses for 32-bit address spaces.
  // No AT_PLATFORM and no AT_MINSIGSTKSZ: qemu-riscv64 (the oracle) emits neither.
  dynBase: 0x40000000,
  sysroots: sysrootsOf('riscv64', ['riscv64-linux-gnu', 'riscv64-linux-musl']),
};
