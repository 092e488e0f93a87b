// The guest's child processes, each a host process (a forked tsemu, or what an exec started):
// their exit reported as SIGCHLD and kept as a zombie until wait4/waitid collects it.
import type { HostChild } from './launcher.js';
import type { LinuxProcess } from './process.js';
import { SIGCHLD, disposition, sendSignal } from './signal-delivery.js';
import { hostSignalNumber } from './termination.js';

// SIGCHLD's si_code (include/uapi/asm-generic/siginfo.h).
export const CLD_EXITED = 1, CLD_KILLED = 2;

export interface ChildRecord {
  pid: number;
  /** Set once the child has ended: how, as waitid reports it. */
  ended?: { code: number; status: number };
  /** Told when the record goes (HostChild.reaped). */
  reaped?: () => void;
}

/** Follows host child `c` (pid `pid`) as a child of the guest. */
export function adoptChild(p: LinuxProcess, pid: number, c: HostChild): void {
  const rec: ChildRecord = { pid, reaped: c.reaped?.bind(c) };
  p.children.set(pid, rec);
  p.host.needEventLoop();
  c.on('exit', (code, signal) => p.host.event(() => {
    const signo = signal ? hostSignalNumber(signal) : 0;
    rec.ended = signal ? { code: CLD_KILLED, status: signo } : { code: CLD_EXITED, status: code ?? 0 };
    // SIGCHLD ignored explicitly (or SA_NOCLDWAIT): no zombie is kept (wait(2) NOTES).
    const act = p.sigactions.get(SIGCHLD);
    if (act && (act.handler === 1n || act.flags & 2n)) forgetChild(p, rec);
    if (disposition(p, SIGCHLD) !== 'ignore') {
      sendSignal(p, undefined, {
        signo: SIGCHLD, code: rec.ended.code,
        fields: { pid, uid: process.getuid?.() ?? 0, status: rec.ended.status, utime: 0, stime: 0 },
      });
    }
    p.host.changed();
  }));
}

/** A child's end has been collected (or is not kept): its record goes. */
export function forgetChild(p: LinuxProcess, rec: ChildRecord): void {
  p.children.delete(rec.pid);
  rec.reaped?.();
}

/** The wait status word of an ended child (wait(2)'s WIFEXITED/WIFSIGNALED encoding). */
export function waitStatus(rec: ChildRecord): number {
  const e = rec.ended!;
  return e.code === CLD_EXITED ? (e.status & 0xff) << 8 : e.status & 0x7f;
}
