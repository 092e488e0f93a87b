// Where forked children come from. Node cannot fork, so a child is a new tsemu process that
// resumes the parent's state (linux-user/generic/fork-state.ts); booting Node and tsemu is most
// of that cost (about 150 ms of CPU). From its first fork on, a process keeps SPARES tsemu
// processes booted in advance for the next forks (two boot side by side on two cores, so a loop
// of forks is not held to one boot's wall time). A spare cannot inherit fds that did not exist
// when it started, so it opens the parent's through /proc/<parent>/fd/<n> (the same files, pipes
// and terminals) and answers before the parent's fork returns (the parent may close them at
// once); the parent's own stdio, which must stay the same open files (a shared offset), it
// inherits when it boots. Where it cannot (a socket has no path to open), the child is spawned
// the plain way with the fds inherited. A spare whose child's guest exits before it ever needed the event loop (the
// child of a fork-and-exit, a failed exec's) outlives it: it reports the exit itself, and once
// the guest parent has reaped that child it serves the next fork, with no boot at all.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import type { ForkFds } from '../linux-user/generic/fork-state.js';
import { childProcessModule } from '../linux-user/generic/host-modules.js';
import type { HostChild } from '../linux-user/generic/launcher.js';

/** Set in a spare's environment: it waits for a fork request on its stdin. */
export const SPARE_ENV = 'TSEMU_INTERNAL_SPARE';
/** Set in a plainly spawned child's environment: the fork state to resume from. */
export const FORK_STATE_ENV = 'TSEMU_INTERNAL_FORK_STATE';
/** How long a parent waits for a spare's answer (it may still be booting). */
const ANSWER_TIMEOUT_MS = 10_000;
const SPARES = 2;

/** What a spare is asked: the state file, the parent fds to open (fork-state.ts ForkFds), and
 *  the child fds that are its copies of the parent's stdio, the spare's fd of each. */
export interface SpareRequest { file: string; ppid: number; reopen: NonNullable<ForkFds['reopen']>; borrowed: [number, number][] }

/** A spare's first fd of its parent's inherited ones (after its request and answer pipes and
 *  stderr): parent fd `held[i]` is at HELD_BASE + i. */
const HELD_BASE = 3;

interface Spare {
  child: ChildProcess;
  request: number;
  answer: number;
  /** The parent's host fds it inherited at boot, from HELD_BASE on. */
  held: number[];
  /** The guest child it runs (or ran, until reaped). */
  running?: SpareChild;
}

/** A guest child in a spare. It ends when the spare reports its guest's exit (`x<status>` on
 *  the answer pipe; the spare then waits for the next request) or when the process ends. */
class SpareChild extends EventEmitter implements HostChild {
  private ended = false;
  private reusable = false;

  constructor(private readonly server: ForkServer, private readonly spare: Spare) {
    super();
  }

  get pid(): number | undefined { return this.spare.child.pid; }

  end(code: number | null, signal: NodeJS.Signals | null, reusable: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.reusable = reusable;
    this.emit('exit', code, signal);
  }

  reaped(): void {
    if (this.reusable) this.server.reuse(this.spare);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

export class ForkServer {
  /** Ready first, then oldest first: the one most likely to have finished booting. */
  private readonly spares: Spare[] = [];

  constructor(private readonly entry: string) {}

  /** Starts the child that resumes from `file`. */
  start(file: string, fds: ForkFds): HostChild {
    // A spare cannot open a socket the way it opens the other fds: those forks spawn afresh.
    const at = fds.reopen ? this.spares.findIndex((s) => fds.inherited.every((fd) => s.held.includes(fd))) : -1;
    const spare = at >= 0 ? this.spares.splice(at, 1)[0] : undefined;
    while (this.spares.length < SPARES) {
      const next = this.boot(fds.inherited);
      if (!next) break;
      this.spares.push(next);
    }
    if (spare && fds.reopen && this.hand(spare, this.request(spare, file, fds.reopen))) {
      spare.running = new SpareChild(this, spare);
      return spare.running;
    }
    if (spare) this.retire(spare);
    return childProcessModule().spawn(process.execPath, [...process.execArgv, this.entry], {
      stdio: fds.stdio, env: { ...process.env, [FORK_STATE_ENV]: file },
    });
  }

  /** A spare whose child was reaped is ready for the next fork. */
  reuse(spare: Spare): void {
    spare.running = undefined;
    if (spare.child.exitCode === null && spare.child.signalCode === null) this.spares.unshift(spare);
  }

  /** What `spare` is asked for a child: its held copies where the parent's fd is one. */
  private request(spare: Spare, file: string, all: NonNullable<ForkFds['reopen']>): SpareRequest {
    const reopen: NonNullable<ForkFds['reopen']> = [], borrowed: [number, number][] = [];
    for (const r of all) {
      const i = spare.held.indexOf(r[1]);
      if (i >= 0) borrowed.push([r[0], HELD_BASE + i]); else reopen.push(r);
    }
    return { file, ppid: process.pid, reopen, borrowed };
  }

  private boot(held: number[]): Spare | undefined {
    const child = childProcessModule().spawn(process.execPath, [...process.execArgv, this.entry], {
      stdio: ['pipe', 'pipe', 'inherit', ...held], env: { ...process.env, [SPARE_ENV]: '1' },
    });
    child.on('error', () => {});
    const fdOf = (s: unknown): number | undefined => (s as { _handle?: { fd?: number } } | null)?._handle?.fd;
    const request = fdOf(child.stdin), answer = fdOf(child.stdout);
    if (child.pid === undefined || request === undefined || answer === undefined) {
      child.kill('SIGKILL');
      return undefined;
    }
    const spare: Spare = { child, request, answer, held };
    child.on('exit', (code, signal) => {
      const at = this.spares.indexOf(spare);
      if (at >= 0) this.spares.splice(at, 1);
      spare.running?.end(code, signal, false);
    });
    // The answer pipe says nothing until the spare's guest exits: hand() reads its `ok`
    // synchronously, so the event loop never sees it.
    let line = '';
    child.stdout!.setEncoding('latin1').on('data', (text: string) => {
      line += text;
      for (let nl = line.indexOf('\n'); nl >= 0; nl = line.indexOf('\n')) {
        const m = /^x(\d+)$/.exec(line.slice(0, nl));
        line = line.slice(nl + 1);
        if (m) spare.running?.end(Number(m[1]), null, true);
      }
    });
    return spare;
  }

  private retire(spare: Spare): void {
    spare.child.stdin?.destroy();
    spare.child.stdout?.destroy();
    spare.child.kill('SIGKILL');
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
      return retry(() => fs.readSync(spare.answer, answer, 0, 3, null)) === 3 && answer.toString() === 'ok\n';
    } catch {
      return false;
    }
  }
}

/** In a spare: runs the children the parent asks for. `run` returns the exit status of a child
 *  whose guest ended with nothing of it left but host fds (runProcess's `reusable`): those are
 *  closed, the status goes to the parent, and the spare waits for the next request. */
export function serveForks(run: (req: SpareRequest, moved: Map<number, number>, borrowed: Set<number>) => number | undefined): void {
  for (;;) {
    const before = openFds();
    const { req, moved } = awaitForkRequest();
    const status = run(req, moved, new Set(req.borrowed.map(([, held]) => held)));
    if (status === undefined) return;
    for (const fd of openFds()) if (!before.has(fd)) fs.closeSync(fd);
    try {
      fs.writeSync(1, `x${status}\n`);
    } catch {
      process.exit(0); // the parent is gone
    }
  }
}

/** The host fds open now (without the one the listing itself used). */
function openFds(): Set<number> {
  const fds = new Set<number>();
  for (const name of fs.readdirSync('/proc/self/fd')) {
    try {
      fs.fstatSync(Number(name));
      fds.add(Number(name));
    } catch { /* closed since */ }
  }
  return fds;
}

/** Waits for the request (the parent's exit ends the wait and the spare), opens the parent's
 *  fds, answers. Returns the request and where each fd landed (child fd -> host fd). */
function awaitForkRequest(): { req: SpareRequest; moved: Map<number, number> } {
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
    for (const [fd, held] of req.borrowed) moved.set(fd, held);
    for (const [fd, host, flags] of req.reopen) moved.set(fd, fs.openSync(`/proc/${req.ppid}/fd/${host}`, flags));
  } catch {
    fs.writeSync(1, 'no\n');
    process.exit(0);
  }
  fs.writeSync(1, 'ok\n');
  return { req, moved };
}
