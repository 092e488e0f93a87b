// Where forked children come from. Node cannot fork, so a child is a new tsemu process that
// resumes the parent's state (linux-user/generic/fork-state.ts); booting Node and tsemu is most
// of that cost (about 150 ms). From its first fork on, a process keeps SPARES tsemu processes
// booted in advance for the next forks (two boot side by side on two cores, so a loop of forks
// is not held to one boot's wall time). A spare cannot inherit fds that did not exist when it started, so
// it opens the parent's through /proc/<parent>/fd/<n> (the same files, pipes and terminals) and
// answers before the parent's fork returns (the parent may close them at once). Where it cannot
// (a socket has no path to open), the child is spawned the plain way with the fds inherited.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { ForkFds } from '../linux-user/generic/fork-state.js';
import { childProcessModule } from '../linux-user/generic/host-modules.js';

/** Set in a spare's environment: it waits for a fork request on its stdin. */
export const SPARE_ENV = 'TSEMU_INTERNAL_SPARE';
/** Set in a plainly spawned child's environment: the fork state to resume from. */
export const FORK_STATE_ENV = 'TSEMU_INTERNAL_FORK_STATE';
/** How long a parent waits for a spare's answer (it may still be booting). */
const ANSWER_TIMEOUT_MS = 10_000;
const SPARES = 2;

/** What a spare is asked: the state file and the parent fds to open (fork-state.ts ForkFds). */
export interface SpareRequest { file: string; ppid: number; reopen: NonNullable<ForkFds['reopen']> }

interface Spare { child: ChildProcess; request: number; answer: number }

const pause = new Int32Array(new SharedArrayBuffer(4));

export class ForkServer {
  /** Oldest first: the one most likely to have finished booting. */
  private readonly spares: Spare[] = [];

  constructor(private readonly entry: string) {}

  /** Starts the child that resumes from `file`. */
  start(file: string, fds: ForkFds): ChildProcess {
    // A spare cannot open a socket the way it opens the other fds: those forks spawn afresh.
    const spare = fds.reopen ? this.spares.shift() : undefined;
    while (this.spares.length < SPARES) {
      const next = this.boot();
      if (!next) break;
      this.spares.push(next);
    }
    if (spare && fds.reopen && this.hand(spare, { file, ppid: process.pid, reopen: fds.reopen })) return spare.child;
    spare?.child.kill('SIGKILL');
    return childProcessModule().spawn(process.execPath, [...process.execArgv, this.entry], {
      stdio: fds.stdio, env: { ...process.env, [FORK_STATE_ENV]: file },
    });
  }

  private boot(): Spare | undefined {
    const child = childProcessModule().spawn(process.execPath, [...process.execArgv, this.entry], {
      stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, [SPARE_ENV]: '1' },
    });
    child.on('error', () => {});
    const fdOf = (s: unknown): number | undefined => (s as { _handle?: { fd?: number } } | null)?._handle?.fd;
    const request = fdOf(child.stdin), answer = fdOf(child.stdout);
    if (child.pid === undefined || request === undefined || answer === undefined) {
      child.kill('SIGKILL');
      return undefined;
    }
    return { child, request, answer };
  }

  /** Gives the request to a spare; true once it has the fds and runs the child. */
  private hand(spare: Spare, req: SpareRequest): boolean {
    const deadline = performance.now() + ANSWER_TIMEOUT_MS;
    // Node's pipes to a child are non-blocking: EAGAIN means try again shortly.
    const retry = (op: () => number): number => {
      for (;;) {
        try {
          return op();
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || performance.now() > deadline) throw e;
          Atomics.wait(pause, 0, 0, 1);
        }
      }
    };
    try {
      const line = Buffer.from(`${JSON.stringify(req)}\n`);
      for (let done = 0; done < line.length;) done += retry(() => fs.writeSync(spare.request, line, done));
      const answer = Buffer.alloc(3);
      if (retry(() => fs.readSync(spare.answer, answer, 0, 3, null)) !== 3 || answer.toString() !== 'ok\n') return false;
    } catch {
      return false;
    } finally {
      spare.child.stdin?.destroy();
      spare.child.stdout?.destroy();
    }
    return true;
  }
}

/** In a spare: waits for the request (the parent's exit ends the wait and the spare), opens the
 *  parent's fds, answers. Returns the request and where each fd landed (child fd -> host fd). */
export function awaitForkRequest(): { req: SpareRequest; moved: Map<number, number> } {
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  for (;;) {
    if (fs.readSync(0, one, 0, 1, null) === 0) process.exit(0);
    if (one[0] === 0x0a) break;
    bytes.push(one[0]);
  }
  const req = JSON.parse(Buffer.from(bytes).toString()) as SpareRequest;
  const moved = new Map<number, number>();
  try {
    for (const [fd, host, flags] of req.reopen) moved.set(fd, fs.openSync(`/proc/${req.ppid}/fd/${host}`, flags));
  } catch {
    fs.writeSync(1, 'no\n');
    process.exit(0);
  }
  fs.writeSync(1, 'ok\n');
  return { req, moved };
}
