// riscv64 as the loader sees it: EM_RISCV, ELFCLASS64, and the auxv qemu-riscv64 gives a program.
import { type ElfArch, sysrootsOf } from '../../loader/index.js';

// RISC-V hwcap: one bit per single-letter extension, bit (letter - 'a') (Linux
// arch/riscv/include/uapi/asm/hwcap.h): I M A F D C.
const rvLetters = (s: string): number =>
  [...s].reduce((bits, c) => bits | (1 << (c.charCodeAt(0) - 97)), 0);

export const RISCV64_ELF_ARCH: ElfArch = {
  progName: 'tsemu-riscv64',
  machine: 243, // EM_RISCV
  elfClass: 64,
  hwcap: rvLetters('imafdc'), // 0x112d
  // qemu 7.2 puts ET_DYN images at TASK_UNMAPPED_BASE, 1 << 38 for 64-bit guests, which is
  // outside tsemu's 32-bit window; 0x40000000 is the value qemu uses for 32-bit address spaces.
  // No AT_PLATFORM and no AT_MINSIGSTKSZ: qemu-riscv64 (the oracle) emits neither.
  dynBase: 0x40000000,
  sysroots: sysrootsOf('riscv64', ['riscv64-linux-gnu', 'riscv64-linux-musl']),
};
