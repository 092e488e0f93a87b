// /proc/cpuinfo for a 32-bit ARM guest, in the kernel's format (arch/arm/kernel/setup.c: one
// block per CPU, then the machine lines) with the features of AT_HWCAP. qemu-arm shows the
// host's file instead; a guest parsing it expects ARM fields.
import { ARM_HWCAPS } from './elf-arch.js';

const FEATURES = ARM_HWCAPS.map(([name]) => name).join(' ');

export function armCpuinfo(cpus: number): string {
  let out = '';
  for (let i = 0; i < cpus; i++) {
    out += `processor\t: ${i}\nmodel name\t: ARMv7 Processor rev 0 (v7l)\nBogoMIPS\t: 100.00\n` +
      `Features\t: ${FEATURES}\nCPU implementer\t: 0x41\nCPU architecture: 7\nCPU variant\t: 0x0\n` +
      `CPU part\t: 0xc0f\nCPU revision\t: 0\n\n`;
  }
  return `${out}Hardware\t: tsemu\nRevision\t: 0000\nSerial\t\t: 0000000000000000\n`;
}
