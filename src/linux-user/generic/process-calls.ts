// The process itself: ids, resource limits, prctl (exit and the per-thread calls are in
// thread-calls.ts).
import { E, SyscallError } from './errno.js';
import { MAX_FDS } from './fd-table.js';
import type { LinuxProcess } from './process.js';
import { readStructBig, writeStruct } from './struct-layout.js';
import type { SyscallImpl } from './syscall-arch.js';
import { SI_USER } from './guest-thread.js';
import { sendSignal } from './signal-delivery.js';

const RLIM_INFINITY = (1n << 64n) - 1n;
const RLIMIT_NLIMITS = 16;
// Defaults a fresh login shell has (include/uapi/asm-generic/resource.h numbering):
// RLIMIT_STACK 3, RLIMIT_CORE 4, RLIMIT_NOFILE 7, RLIMIT_MEMLOCK 8.
const RLIMIT_DEFAULTS: Record<number, [bigint, bigint]> = {
  3: [8n << 20n, RLIM_INFINITY],
  4: [0n, RLIM_INFINITY],
  7: [BigInt(MAX_FDS), BigInt(MAX_FDS)],
  8: [8n << 20n, 8n << 20n],
};
// prctl options (include/uapi/linux/prctl.h).
const PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_SET_NAME = 15, PR_GET_NAME = 16;
/** How often a process with a death signal looks whether its parent is still there: the
 *  host tells no one, and Node cannot ask for the kernel's own PR_SET_PDEATHSIG. */
const PARENT_WATCH_MS = 100;
const TASK_COMM_LEN = 16;

function limit(p: LinuxProcess, res: number): [bigint, bigint] {
  return p.rlimits.get(res) ?? RLIMIT_DEFAULTS[res] ?? [RLIM_INFINITY, RLIM_INFINITY];
}

/** The arch's rlimit is as wide as a long: a 32-bit guest sees infinity as 2^32-1. */
function prlimit(p: LinuxProcess, pid: number, res: number, next: number, old: number): number {
  if (pid !== 0 && pid !== p.pid) throw new SyscallError(E.SRCH);
  if (res < 0 || res >= RLIMIT_NLIMITS) throw new SyscallError(E.INVAL);
  const l = p.layouts.rlimit;
  const cur = limit(p, res);
  const incoming = next ? readStructBig(p.mem, next, l) : undefined;
  if (incoming && incoming.cur > incoming.max) throw new SyscallError(E.INVAL);
  if (old) writeStruct(p.mem, old, l, { cur: cur[0], max: cur[1] });
  if (incoming) p.rlimits.set(res, [incoming.cur, incoming.max]);
  return 0;
}

/** PR_SET_PDEATHSIG: `sig` when the host parent ends (it is then reparented: ppid changes). */
function setDeathSignal(p: LinuxProcess, sig: number): number {
  if (sig < 0 || sig > 64) throw new SyscallError(E.INVAL);
  clearInterval(p.parentWatch);
  p.deathSignal = sig;
  if (sig === 0) return 0;
  const parent = process.ppid;
  p.host.needEventLoop();
  p.parentWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(p.parentWatch);
    p.host.event(() => sendSignal(p, undefined, { signo: sig, code: SI_USER, fields: { pid: 0, uid: 0 } }));
  }, PARENT_WATCH_MS);
  p.parentWatch.unref();
  return 0;
}

function prctl(p: LinuxProcess, option: number, arg2: number): number {
  switch (option) {
    case PR_SET_PDEATHSIG:
      return setDeathSignal(p, arg2);
    case PR_GET_PDEATHSIG:
      p.mem.writeU32(arg2, p.deathSignal);
      return 0;
    case PR_SET_NAME: {
      // The kernel copies at most TASK_COMM_LEN - 1 bytes and truncates silently.
      const bytes: number[] = [];
      for (let b; bytes.length < TASK_COMM_LEN - 1 && (b = p.mem.readU8(arg2 + bytes.length)) !== 0;) bytes.push(b);
      p.comm = Buffer.from(bytes).toString();
      return 0;
    }
    case PR_GET_NAME: {
      const out = new Uint8Array(TASK_COMM_LEN);
      out.set(Buffer.from(p.comm).subarray(0, TASK_COMM_LEN - 1));
      p.mem.write(arg2, out);
      return 0;
    }
    default:
      throw new SyscallError(E.INVAL);
  }
}

const uid = (): number => process.getuid?.() ?? 0;
const gid = (): number => process.getgid?.() ?? 0;

function writeIds(p: LinuxProcess, ptrs: number[], id: number): number {
  for (const a of ptrs) p.mem.writeU32(a, id);
  return 0;
}

function getgroups(p: LinuxProcess, size: number, list: number): number {
  const groups = process.getgroups?.() ?? [];
  if (size === 0) return groups.length;
  if (size < groups.length) throw new SyscallError(E.INVAL);
  groups.forEach((g, i) => p.mem.writeU32(list + i * 4, g));
  return groups.length;
}

export const PROCESS_CALLS: Record<string, SyscallImpl> = {
  rseq: { args: ['ptr', 'uint', 'int', 'uint'], fn: () => -E.NOSYS },
  getpid: { args: [], fn: (p) => p.pid },
  getppid: { args: [], fn: (p) => p.ppid },
  getuid: { args: [], fn: uid },
  geteuid: { args: [], fn: uid },
  getgid: { args: [], fn: gid },
  getegid: { args: [], fn: gid },
  getresuid: { args: ['ptr', 'ptr', 'ptr'], fn: (p, r, e, s) => writeIds(p, [r, e, s], uid()) },
  getresgid: { args: ['ptr', 'ptr', 'ptr'], fn: (p, r, e, s) => writeIds(p, [r, e, s], gid()) },
  getgroups: { args: ['int', 'ptr'], fn: getgroups },
  prlimit64: { args: ['int', 'int', 'ptr', 'ptr'], straceRaw: true, fn: prlimit },
  getrlimit: { args: ['int', 'ptr'], fn: (p, res, old) => prlimit(p, 0, res, 0, old) },
  setrlimit: { args: ['int', 'ptr'], fn: (p, res, next) => prlimit(p, 0, res, next, 0) },
  prctl: { args: ['int', 'ulong', 'ulong', 'ulong', 'ulong'], fn: prctl },
};
