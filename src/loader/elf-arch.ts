// What the loader needs to know about a guest architecture. The loader stays arch-neutral; each
// arch hands one of these in (src/linux-user/<arch>/elf-arch.ts).

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
