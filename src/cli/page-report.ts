// `-d page`: the guest's address space as the program starts, in the shape of qemu-user's
// report (the mappings with their protections, then the points of the image).
import { AddressSpace } from '../memory/address-space.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory/guest-memory.js';

const hex = (n: number): string => n.toString(16).padStart(16, '0');

export function pageReport(as: AddressSpace, entry: number, sp: number): string {
  const rows = as.vmas.map((v) => {
    const prot = (v.prot & PROT_READ ? 'r' : '-') + (v.prot & PROT_WRITE ? 'w' : '-') + (v.prot & PROT_EXEC ? 'x' : '-');
    return `${hex(v.start)}-${hex(v.end)} ${hex(v.end - v.start)} ${prot}\n`;
  });
  return [
    'guest_base  0x0\n',
    'page layout changed following binary load\n',
    'start            end              size             prot\n',
    ...rows,
    `start_brk   0x${hex(as.brkStart)}\n`,
    `entry       0x${hex(entry)}\n`,
    `start_stack 0x${hex(sp)}\n`,
  ].join('');
}
