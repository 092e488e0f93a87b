// What the syscall layer needs from the runner to start host processes: a forked child (tsemu
// again, over a fork state) and the program an execve names (tsemu for a guest ELF, or the
// host's own program). The runner knows its entry points and options; this layer does not.
import type { ElfArch } from '../../loader/index.js';
import type { ForkFds } from './fork-state.js';

/** A host fd for each child fd number, or 'ignore' (Node's spawn stdio array). */
export type InheritedFds = (number | 'ignore')[];

/** What execve runs: a guest ELF under tsemu-<arch>, or a host program directly. */
export type ExecTarget =
  | { kind: 'guest'; arch: string; path: string; argv: string[] }
  | { kind: 'host'; path: string; argv: string[] };

/** A child as its guest parent follows it: a host process (Node's ChildProcess is one), whose
 *  end 'exit' reports. A forked child's host process may instead outlive its guest to serve a
 *  later fork: it reports its guest's end itself, and learns when the parent has reaped it. */
export interface HostChild {
  readonly pid?: number;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  /** The guest parent collected the child's end: its pid may go to a later child. */
  reaped?(): void;
}

export interface Launcher {
  /** The runner's options a forked child continues with (opaque here). */
  runner: unknown;
  /** The guest arches tsemu runs, by ELF e_machine: the name of each one's entry point
   *  (tsemu-<arch>) and how its loader reads an ELF. */
  guestMachines: Record<number, { arch: string; elf: ElfArch }>;
  /** Starts a forked child: tsemu for this arch, resuming from `stateFile`. */
  spawnFork(stateFile: string, fds: ForkFds): HostChild;
  /** Starts `target` in place of the running guest program (execve), keeping the guest's pids:
   *  the host process stays to relay signals to it and to exit as it does. */
  exec(target: ExecTarget, envp: string[], fds: InheritedFds, ids: { pid: number; ppid: number }): void;
}

/** Thrown once an execve has started the new program: this guest program runs no more, and the
 *  host process waits for the new one to end. */
export class ExecReplaced extends Error {
  constructor() {
    super('exec replaced the program');
  }
}
