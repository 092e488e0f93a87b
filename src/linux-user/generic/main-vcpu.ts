// The vCPU of a process with one thread, run on the main thread between the event loop's events
// instead of in a worker. Its syscalls are direct calls into the ThreadServer; a call that has to
// wait parks as a worker's does, and the cpu loop unwinds (Suspend) to give the thread back to the
// event loop; the answer, when it comes, resumes the loop with the call's result. Guest code runs
// in slices (SLICE_MS), so timers, host signals and I/O are served while it computes. This saves
// a worker's start (tens of ms) and, per syscall, the two thread wake-ups of a worker's request
// (about 30 us, vcpu-mailbox.ts): a TCP echo server makes three calls per request.
import type { CpuExec } from '../../tcg/cpu-exec.js';
import type { GuestThread } from './guest-thread.js';
import type { ThreadServer } from './thread-server.js';
import type { VcpuHost } from './vcpu-host.js';
import { REPLY_SEQ, VcpuRequest } from './vcpu-mailbox.js';
import { MailboxVcpu, ThreadOver } from './vcpu-worker.js';

/** Guest code runs at most this long before the event loop gets a turn. */
const SLICE_MS = 10;

/** Unwinds the cpu loop: the vCPU goes on later (or in a worker). Not an Error: nothing shows
 *  it, and an Error's stack trace would be captured at every park. */
class Suspend {}

export class MainVcpu extends MailboxVcpu {
  /** Set while a call of this vCPU is parked: its answer resumes the loop. */
  private parked = false;
  /** Keeps Node's event loop alive while the vCPU waits with nothing else pending (a pause()
   *  that only a host signal ends): the process ends by its own exit, never by an empty loop. */
  private keepAlive: NodeJS.Timeout | undefined;
  /** A debugger's stop (gdb-target.ts): asked at each checkpoint, true when the vCPU must stop
   *  there until resume(). */
  debugHalt: (() => boolean) | undefined;
  private halted = false;
  /** The call being served asked for an event loop turn before the vCPU goes on. */
  private turnAsked = false;

  constructor(
    private readonly server: ThreadServer,
    private readonly t: GuestThread,
    private readonly cpu: CpuExec,
    /** The arch's cpu loop over this host. */
    private readonly loop: (host: VcpuHost) => void,
    /** Writes a syscall's result where the arch returns it. */
    private readonly setResult: (value: bigint) => void,
  ) {
    super(cpu.mem, t.env);
  }

  start(): void {
    this.server.runLocal(this.t, () => this.answered(), () => clearInterval(this.keepAlive), () => { this.turnAsked = true; });
    this.keepAlive = setInterval(() => {}, 1 << 30);
    this.enter(() => {});
  }

  override checkpoint(): void {
    super.checkpoint();
    if (this.server.localMustMove) {
      clearInterval(this.keepAlive);
      this.server.moveLocal();
      throw new Suspend();
    }
    if (this.debugHalt?.()) {
      this.halted = true;
      throw new Suspend();
    }
    if (performance.now() >= this.cpu.sliceEnd) {
      setImmediate(() => this.enter(() => {}));
      throw new Suspend();
    }
  }

  /** True while a call of this vCPU is parked (no guest code runs until it completes). */
  get waiting(): boolean {
    return this.parked;
  }

  /** Goes on after a debugger's stop; a vCPU stopped while parked goes on when its call ends. */
  resume(): void {
    if (!this.halted) return;
    this.halted = false;
    setImmediate(() => this.enter(() => {}));
  }

  /** Runs the cpu loop (after `first`) until it suspends or the thread ends. */
  private enter(first: () => void): void {
    this.cpu.sliceEnd = performance.now() + SLICE_MS;
    try {
      first();
      this.loop(this);
    } catch (e) {
      if (e instanceof Suspend || e instanceof ThreadOver) return;
      this.server.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  protected send(req: VcpuRequest): void {
    this.turnAsked = false;
    this.server.request(this.t, req);
    if (Atomics.load(this.words, (this.env + REPLY_SEQ) >>> 2) !== req.seq) {
      this.parked = true;
      throw new Suspend();
    }
    if (this.turnAsked) {
      // Answered, but the vCPU goes on from the event loop's next check phase, after its poll
      // phase has taken in the host I/O that is ready.
      this.parked = true;
      this.answered();
      throw new Suspend();
    }
    // What Node defers to its next tick (a connect to an IP address starts there) happens now,
    // as it would beside a worker: the guest may look at it before its next wait (getsockname
    // of a non-blocking connect in progress).
    process._tickCallback();
  }

  /** A parked call (always a syscall) completed: the loop goes on with its result. */
  private answered(): void {
    if (!this.parked) return;
    this.parked = false;
    setImmediate(() => this.enter(() => {
      this.setResult(this.answer());
      this.checkpoint();
    }));
  }
}
