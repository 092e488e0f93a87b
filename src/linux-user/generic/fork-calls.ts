// New processes and waiting for them: fork, vfork and clone without CLONE_THREAD start a host
// process that continues from a copy of this one (fork-state.ts); wait4, waitid, and the process
// group and session ids.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fs from 'node:fs';
import { AGAIN, E, ERESTARTSYS, SyscallError } from './errno.js';
import { ChildRecord, adoptChild, forgetChild, waitStatus } from './host-children.js';
import { writeForkState } from './fork-state.js';
import type { LinuxProcess } from './process.js';
import { SIGCHLD } from './signal-delivery.js';
import type { SyscallImpl } from './syscall-arch.js';
import { writeStruct } from './struct-layout.js';

// clone flags (include/uapi/linux/sched.h) a new process takes.
const CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x01000000;
// wait options (include/uapi/linux/wait.h).
const WNOHANG = 1, WEXITED = 4, WSTOPPED = 2, WCONTINUED = 8, WNOWAIT = 0x01000000;
const P_ALL = 0, P_PID = 1, P_PGID = 2;
/** struct rusage: 2 timevals and 14 longs. */
const RUSAGE_WORDS = 18;

/** A child's resource usage is not measured: it reads as zeros. */
function clearRusage(p: LinuxProcess, rusage: number): void {
  if (rusage) p.mem.write(rusage, new Uint8Array(RUSAGE_WORDS * (p.arch.wordBits / 8)));
}

let forks = 0;

/** Starts the child process; returns its pid (the parent's result). */
export function forkProcess(p: LinuxProcess, flags: number, stack: number, ptid: number, ctid: number): number {
  const launcher = p.launcher;
  if (!launcher) throw new SyscallError(E.NOSYS);
  const file = join(tmpdir(), `tsemu-fork-${process.pid}-${++forks}`);
  const tids = {
    setTid: flags & CLONE_CHILD_SETTID ? ctid : 0,
    clearTid: flags & CLONE_CHILD_CLEARTID ? ctid : 0,
  };
  const fds = writeForkState(p, p.current, { stack, tids, runner: launcher.runner }, file);
  const child = launcher.spawnFork(file, fds);
  child.on('error', () => {}); // a failed spawn has no pid: reported below
  if (child.pid === undefined) {
    fs.rmSync(file, { force: true });
    throw AGAIN;
  }
  adoptChild(p, child.pid, child);
  if (flags & CLONE_PARENT_SETTID) p.mem.writeU32(ptid, child.pid);
  return child.pid;
}

/** The children a wait for `pid` (wait4's encoding) may collect; ECHILD when there are none. */
function candidates(p: LinuxProcess, pid: number): ChildRecord[] {
  // Every child is in this process's group: pid 0 and -pgid ask for all of them.
  const all = [...p.children.values()].filter((c) => pid > 0 ? c.pid === pid : pid === -1 || pid === 0 || -pid === p.pgid);
  if (all.length === 0) throw new SyscallError(E.CHILD);
  return all;
}

/** Waits (unless WNOHANG: `none` then answers) until one of the children `pid` selects has
 *  ended; `collect` reports it and gives the call's result. */
function waitChild(p: LinuxProcess, pid: number, options: number, collect: (c: ChildRecord) => number, none = (): number => 0): number {
  const attempt = (): number | undefined => {
    const ended = candidates(p, pid).find((c) => c.ended);
    if (ended) return collect(ended);
    return options & WNOHANG ? none() : undefined;
  };
  return attempt() ?? Number(p.waitFor({ poll: attempt, interrupted: () => -ERESTARTSYS }));
}

function wait4(p: LinuxProcess, pid: number, wstatus: number, options: number, rusage: number): number {
  if (options & ~(WNOHANG | WSTOPPED | WCONTINUED | 0xe0000000)) throw new SyscallError(E.INVAL);
  return waitChild(p, pid, options, (c) => {
    if (wstatus) p.mem.writeU32(wstatus, waitStatus(c));
    clearRusage(p, rusage);
    forgetChild(p, c);
    return c.pid;
  });
}

function waitid(p: LinuxProcess, idtype: number, id: number, infop: number, options: number, rusage: number): number {
  if (!(options & (WEXITED | WSTOPPED | WCONTINUED)) || idtype < P_ALL || idtype > P_PGID) throw new SyscallError(E.INVAL);
  const pid = idtype === P_PID ? id : idtype === P_PGID ? -id : -1;
  if (idtype === P_PID && id <= 0) throw new SyscallError(E.INVAL);
  return waitChild(p, pid, options, (c) => {
    if (infop) {
      writeStruct(p.mem, infop, p.layouts.siginfo, {
        signo: SIGCHLD, errno: 0, code: c.ended!.code, pid: c.pid, uid: process.getuid?.() ?? 0, status: c.ended!.status,
      });
    }
    clearRusage(p, rusage);
    if (!(options & WNOWAIT)) forgetChild(p, c);
    return 0;
  }, () => {
    // WNOHANG with no child ended: the siginfo is zeroed (si_pid 0 tells the caller).
    if (infop) p.mem.write(infop, new Uint8Array(p.layouts.siginfo.size));
    return 0;
  });
}

/** Only this process's own ids are known: it is not a group or session leader, and other
 *  processes' groups cannot be changed (Node cannot call setpgid). */
function setpgid(p: LinuxProcess, pid: number, pgid: number): number {
  if (pgid < 0) throw new SyscallError(E.INVAL);
  if (pid !== 0 && pid !== p.pid && !p.children.has(pid)) throw new SyscallError(E.SRCH);
  const target = pgid === 0 ? (pid === 0 ? p.pid : pid) : pgid;
  if ((pid === 0 || pid === p.pid) && target === p.pgid) return 0;
  throw new SyscallError(E.PERM);
}

function getpgid(p: LinuxProcess, pid: number): number {
  if (pid === 0 || pid === p.pid || p.children.has(pid)) return p.pgid;
  throw new SyscallError(E.SRCH);
}

function getsid(p: LinuxProcess, pid: number): number {
  if (pid === 0 || pid === p.pid || p.children.has(pid)) return p.sid;
  throw new SyscallError(E.SRCH);
}

export const FORK_CALLS: Record<string, SyscallImpl> = {
  fork: { args: [], fn: (p) => forkProcess(p, SIGCHLD, 0, 0, 0) },
  vfork: { args: [], fn: (p) => forkProcess(p, SIGCHLD, 0, 0, 0) },
  wait4: { args: ['int', 'ptr', 'hex', 'ptr'], fn: wait4 },
  waitid: { args: ['int', 'int', 'ptr', 'hex', 'ptr'], fn: waitid },
  setpgid: { args: ['int', 'int'], fn: setpgid },
  getpgid: { args: ['int'], fn: getpgid },
  getpgrp: { args: [], fn: (p) => p.pgid },
  getsid: { args: ['int'], fn: getsid },
  // Node cannot call setsid(2): a new session is refused as for a group leader.
  setsid: { args: [], fn: () => -E.PERM },
};
