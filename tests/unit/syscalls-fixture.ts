// Shared set-up for the syscall tests: one guest memory (4 GiB of address space each, so one
// per test file), a process over it, and helpers that call syscalls by their riscv64 name.
import { AddressSpace } from '../../src/memory/address-space.js';
import { GuestMemory, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { LinuxProcess, type LinuxProcessOptions } from '../../src/linux-user/generic/process.js';
import { riscv64Syscalls } from '../../src/linux-user/riscv/syscall-table.js';
import { lineLog } from './syscalls-log.js';

export const SCRATCH = 0x200000;
export const SCRATCH_SIZE = 0x40000;

const mem = new GuestMemory();

export interface Fixture {
  p: LinuxProcess;
  mem: GuestMemory;
  as: AddressSpace;
  logs: string[];
  /** Runs a syscall by riscv64 name; returns the result as a signed number. */
  call: (name: string, ...args: (number | bigint)[]) => number;
  /** Writes a NUL-terminated string at addr and returns addr. */
  str: (addr: number, s: string) => number;
}

export function nr(name: string): number {
  for (const [n, e] of riscv64Syscalls.table) if (e.name === name) return n;
  throw new Error(`no riscv64 syscall ${name}`);
}

/** `log` replaces the line collector behind `logs` (to see how the process writes its log). */
export function makeFixture(
  opts: { strace?: boolean; log?: (text: string) => void } & Pick<LinuxProcessOptions, 'unameRelease' | 'random'> = {},
): Fixture {
  const as = new AddressSpace(mem);
  for (const v of [...as.vmas]) as.unmap(v.start, v.end - v.start);
  mem.setProt(0, 0xf0000000, 0);
  as.map(SCRATCH, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
  const logs: string[] = [];
  const p = new LinuxProcess({
    arch: riscv64Syscalls, mem, as, exePath: '/opt/guest/prog', argv: ['prog', 'a b'], envp: ['A=1'],
    auxv: Uint8Array.from([6, 0, 0, 0, 0, 0, 0, 0]), log: opts.log ?? lineLog(logs),
    strace: opts.strace ?? false, logUnimp: true, archName: 'riscv64',
    unameRelease: opts.unameRelease, random: opts.random,
  });
  const call = (name: string, ...args: (number | bigint)[]): number =>
    Number(BigInt.asIntN(64, p.syscall(nr(name), args.map((a) => BigInt.asUintN(64, BigInt(a))))));
  const str = (addr: number, s: string): number => {
    mem.write(addr, Buffer.from(s + '\0'));
    return addr;
  };
  return { p, mem, as, logs, call, str };
}

export const AT_FDCWD = -100;
