// The registers as text for `-d cpu`, in the layout of qemu's arm_cpu_dump_state for user mode:
// R00..R15 four to a line, then the PSR with its flags, the instruction set (T or A) and the
// mode.
import { GuestMemory } from '../../memory/guest-memory.js';
import { PC, REG, cpsrFromState } from './cpu-state.js';

const hex = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

export function dumpArmState(mem: GuestMemory, env: number): string {
  const v = mem.view;
  const rows: string[] = [];
  for (let i = 0; i < 16; i += 4) {
    const cells = [0, 1, 2, 3].map((k) => {
      const r = i + k;
      const val = r === 15 ? v.getUint32(env + PC, true) & ~1 : v.getUint32(env + REG(r), true);
      return `R${String(r).padStart(2, '0')}=${hex(val)}`;
    });
    rows.push(`${cells.join(' ')}\n`);
  }
  const psr = cpsrFromState(v, env);
  const flag = (bit: number, c: string): string => ((psr >>> bit) & 1 ? c : '-');
  rows.push(`PSR=${hex(psr)} ${flag(31, 'N')}${flag(30, 'Z')}${flag(29, 'C')}${flag(28, 'V')} ${psr & 0x20 ? 'T' : 'A'} usr32\n`);
  return rows.join('');
}
