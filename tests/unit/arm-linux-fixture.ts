// Set-up for the ARM syscall tests: one guest memory per test file, a process with the ARM EABI
// table over it, and helpers that call syscalls by ARM name with raw 32-bit registers.
import { AddressSpace } from '../../src/memory/address-space.js';
import { GuestMemory, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { LinuxProcess } from '../../src/linux-user/generic/process.js';
import { armSyscalls } from '../../src/linux-user/arm/syscall-table.js';
import { lineLog } from './syscalls-log.js';

export const SCRATCH = 0x200000;
export const SCRATCH_SIZE = 0x40000;
export const AT_FDCWD = -100;

export function armNr(name: string): number {
  for (const [n, e] of armSyscalls.table) if (e.name === name) return n;
  throw new Error(`no arm syscall ${name}`);
}

export interface ArmFixture {
  p: LinuxProcess;
  mem: GuestMemory;
  as: AddressSpace;
  logs: string[];
  /** Runs a syscall by ARM name with these register values (r0...); the result is r0 as a
   *  signed 32-bit number, as the cpu loop stores it. */
  call: (name: string, ...regs: number[]) => number;
  str: (addr: number, s: string) => number;
}

export function makeArmFixture(opts: { strace?: boolean } = {}): ArmFixture {
  const mem = new GuestMemory();
  const as = new AddressSpace(mem);
  as.map(SCRATCH, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
  const logs: string[] = [];
  const p = new LinuxProcess({
    arch: armSyscalls, mem, as, exePath: '/opt/guest/prog', argv: ['prog'], envp: [],
    auxv: new Uint8Array(8), log: lineLog(logs), strace: opts.strace ?? false, logUnimp: true, archName: 'arm',
  });
  const call = (name: string, ...regs: number[]): number =>
    Number(BigInt.asIntN(32, p.syscall(armNr(name), regs.map((r) => BigInt(r >>> 0)))));
  const str = (addr: number, s: string): number => {
    mem.write(addr, Buffer.from(s + '\0'));
    return addr;
  };
  return { p, mem, as, logs, call, str };
}
