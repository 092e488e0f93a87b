// The registers as text for `-d cpu`, in the layout of qemu's riscv_cpu_dump_state (pc, then
// the integer registers four to a line as xN/abi-name, then fcsr and the FP registers).
import { GuestMemory } from '../../memory/guest-memory.js';
import { FFLAGS, FREG, FRM, PC, XREG } from './cpu-state.js';
import { FNAMES, XNAMES } from './disas.js';

const hex = (v: bigint): string => v.toString(16).padStart(16, '0');

export function dumpRiscvState(mem: GuestMemory, env: number): string {
  const v = mem.view;
  const rows = [` pc       ${hex(v.getBigUint64(env + PC, true))}\n`];
  const regs = (names: string[], prefix: string, off: (i: number) => number): void => {
    for (let i = 0; i < 32; i += 4) {
      const cells = [0, 1, 2, 3].map((k) => `${`${prefix}${i + k}/${names[i + k]}`.padEnd(9)}${hex(v.getBigUint64(env + off(i + k), true))}`);
      rows.push(` ${cells.join(' ')}\n`);
    }
  };
  regs(XNAMES, 'x', XREG);
  const fcsr = (v.getInt32(env + FRM, true) << 5) | v.getInt32(env + FFLAGS, true);
  rows.push(` fcsr     ${hex(BigInt(fcsr >>> 0))}\n`);
  regs(FNAMES, 'f', FREG);
  return rows.join('');
}
