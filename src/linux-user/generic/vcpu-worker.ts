// The vCPU side of a worker: each request goes to the main thread (thread-server.ts) and the
// worker waits for the answer in its mailbox (vcpu-mailbox.ts). Guest code runs in the worker;
// every syscall runs on the main thread, which owns the process state.
import type { GuestMemory } from '../../memory/guest-memory.js';
import { REPLY_SEQ, REPLY_STATE, REPLY_VALUE, Reply, SIGNAL_PENDING, VcpuRequest, sendRequest } from './vcpu-mailbox.js';
import type { VcpuHost } from './vcpu-host.js';

/** Thrown into the worker's cpu loop when its thread has ended. */
export class ThreadOver extends Error {
  constructor() {
    super('thread over');
  }
}

/** A vCPU host whose requests are numbered VcpuRequests answered in its mailbox words: a
 *  worker's (RemoteVcpu), or the main thread's own vCPU (main-vcpu.ts). */
export abstract class MailboxVcpu implements VcpuHost {
  protected readonly words: Int32Array;
  /** The number of the last request (a slot's previous worker left its own in REPLY_SEQ). */
  private seq: number;

  constructor(protected readonly mem: GuestMemory, protected readonly env: number) {
    this.words = new Int32Array(mem.buffer);
    this.seq = Atomics.load(this.words, (env + REPLY_SEQ) >>> 2);
  }

  /** Makes the request and returns once it is answered (or throws to leave the cpu loop). */
  protected abstract send(req: VcpuRequest): void;

  /** The number of the next request. */
  private next(): number {
    return (this.seq = (this.seq + 1) | 0);
  }

  /** Makes the request and returns its answer (each caller builds its request whole, with its
   *  number: a syscall makes one per call, and copying it to add the number cost a microsecond). */
  protected call(req: VcpuRequest): bigint {
    this.send(req);
    return this.answer();
  }

  /** The answer in the mailbox: the value, or ThreadOver. */
  protected answer(): bigint {
    if (Atomics.load(this.words, (this.env + REPLY_STATE) >>> 2) === Reply.ThreadOver) throw new ThreadOver();
    return this.mem.view.getBigUint64(this.env + REPLY_VALUE, true);
  }

  syscall(nr: number, args: bigint[]): bigint {
    return this.call({ seq: this.next(), k: 'sys', nr, args });
  }

  memFault(addr: number, misaligned: boolean): void {
    this.call({ seq: this.next(), k: 'fault', addr, misaligned });
  }

  trap(signo: number, code: number, addr: number): void {
    this.call({ seq: this.next(), k: 'trap', signo, code, addr });
  }

  checkpoint(): void {
    if (Atomics.load(this.words, (this.env + SIGNAL_PENDING) >>> 2)) this.call({ seq: this.next(), k: 'check' });
  }
}

export class RemoteVcpu extends MailboxVcpu {
  protected send(req: VcpuRequest): void {
    sendRequest(this.mem.view, this.words, this.env, req);
  }
}
