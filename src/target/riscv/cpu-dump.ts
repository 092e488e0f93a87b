// The registers as text for `-d cpu` (and system mode's monitor), in the layout of qemu's
// riscv_cpu_dump_state: pc, then in system mode the CSRs the hart has, then the integer registers
// four to a line as xN/abi-name, then fcsr (where it can be read) and the FP registers.
import { GuestMemory } from '../../memory/guest-memory.js';
import { FFLAGS, FREG, FRM, PC, XREG } from './cpu-state.js';
import { FNAMES, XNAMES } from './disas.js';

const hex = (v: bigint): string => v.toString(16).padStart(16, '0');

/** `csrs`: system mode's CSR rows after the pc; `fcsr`: false while mstatus.FS is Off. */
export function dumpRiscvState(mem: GuestMemory, env: number, csrs: [string, bigint][] = [], fcsr = true): string {
  const v = mem.view;
  const row = (name: string, value: bigint): string => ` ${name.padEnd(9)}${hex(value)}\n`;
  const rows = [row('pc', v.getBigUint64(env + PC, true)), ...csrs.map(([name, value]) => row(name, value))];
  const regs = (names: string[], prefix: string, off: (i: number) => number): void => {
    for (let i = 0; i < 32; i += 4) {
      const cells = [0, 1, 2, 3].map((k) => `${`${prefix}${i + k}/${names[i + k]}`.padEnd(9)}${hex(v.getBigUint64(env + off(i + k), true))}`);
      rows.push(` ${cells.join(' ')}\n`);
    }
  };
  regs(XNAMES, 'x', XREG);
  if (fcsr) rows.push(row('fcsr', BigInt(((v.getInt32(env + FRM, true) << 5) | v.getInt32(env + FFLAGS, true)) >>> 0)));
  regs(FNAMES, 'f', FREG);
  return rows.join('');
}
