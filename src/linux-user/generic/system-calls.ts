// What the guest learns about the machine: uname, sysinfo, CPUs, scheduling, randomness.
import * as os from 'node:os';
import { E, SyscallError } from './errno.js';
import { MAX_IO } from './io-calls.js';
import type { LinuxProcess } from './process.js';
import { writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';

// getrandom flags (include/uapi/linux/random.h): GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE.
const GRND_ALL = 0x7;
/** sysinfo's load averages are fixed point with SI_LOAD_SHIFT 16 fraction bits. */
const SI_LOAD_SCALE = 65536;

export function cpuCount(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

function uname(p: LinuxProcess, buf: number): number {
  // Like qemu-user, the host's release (or -r's) and version under the guest's machine name.
  writeStruct(p.mem, buf, p.layouts.utsname, {
    sysname: 'Linux', nodename: os.hostname(), release: p.unameRelease ?? os.release(), version: os.version(),
    machine: p.arch.machine, domainname: '(none)',
  });
  return 0;
}

function sysinfo(p: LinuxProcess, buf: number): number {
  const load = os.loadavg().map((l) => Math.round(l * SI_LOAD_SCALE));
  writeStruct(p.mem, buf, p.layouts.sysinfo, {
    uptime: Math.floor(os.uptime()), loads0: load[0], loads1: load[1], loads2: load[2],
    totalram: os.totalmem(), freeram: os.freemem(), procs: 1, mem_unit: 1,
  });
  return 0;
}

function getrandom(p: LinuxProcess, buf: number, len: number, flags: number): number {
  if (flags & ~GRND_ALL) throw new SyscallError(E.INVAL);
  const bytes = p.random(Math.min(len, MAX_IO));
  p.mem.write(buf, bytes);
  return bytes.length;
}

/** The mask is written in longs; Linux returns the bytes of its cpumask it copied. */
function schedGetaffinity(p: LinuxProcess, pid: number, size: number, mask: number): number {
  const word = p.arch.wordBits / 8;
  const n = cpuCount();
  const need = Math.ceil(n / (word * 8)) * word;
  if (size < need || size % word) throw new SyscallError(E.INVAL);
  if (pid !== 0 && pid !== p.pid) throw new SyscallError(E.SRCH);
  const out = new Uint8Array(need);
  for (let i = 0; i < n; i++) out[i >> 3] |= 1 << (i & 7);
  p.mem.write(mask, out);
  return need;
}

export const SYSTEM_CALLS: Record<string, SyscallImpl> = {
  uname: { args: ['ptr'], fn: uname },
  sysinfo: { args: ['ptr'], straceRaw: true, fn: sysinfo },
  getrandom: { args: ['buf', 'ulong', 'uint'], fn: getrandom },
  sched_getaffinity: { args: ['int', 'uint', 'ptr'], fn: schedGetaffinity },
  sched_yield: { args: [], fn: () => 0 },
  sched_getscheduler: { args: ['int'], fn: () => 0 }, // SCHED_OTHER
  sched_getparam: {
    args: ['int', 'ptr'],
    fn: (p, _pid, param) => { writeStruct(p.mem, param, p.layouts.sched_param, { priority: 0 }); return 0; },
  },
  // The raw syscall returns 20 - nice (man 2 getpriority, "C library/kernel differences").
  getpriority: { args: ['int', 'int'], fn: () => 20 - os.getPriority() },
  getcpu: {
    args: ['ptr', 'ptr', 'ptr'],
    fn: (p, cpu, node) => {
      if (cpu) p.mem.writeU32(cpu, 0);
      if (node) p.mem.writeU32(node, 0);
      return 0;
    },
  },
};
