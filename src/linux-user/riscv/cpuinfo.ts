// /proc/cpuinfo for a riscv64 guest, in the kernel's format (arch/riscv/kernel/cpu.c: one block
// per hart) with the ISA tsemu implements.
export const RISCV64_ISA = 'rv64imafdc_zicsr_zifencei_zba_zbb_zbs';

export function riscv64Cpuinfo(cpus: number): string {
  let out = '';
  for (let i = 0; i < cpus; i++) {
    out += `processor\t: ${i}\nhart\t\t: ${i}\nisa\t\t: ${RISCV64_ISA}\nmmu\t\t: sv48\n\n`;
  }
  return out;
}
