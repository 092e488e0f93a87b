// How a vCPU in a worker gets the main thread's answers: words in its control area (after tcg's
// exit request, src/tcg/vcpu-control.ts). The worker numbers each request and waits until
// REPLY_SEQ holds that number; the main thread writes the value and the state, then the number,
// and notifies. A wake-up for anything else (a stale number) sends the worker back to waiting,
// so it can never take an answer that is not its request's. SIGNAL_PENDING tells the worker,
// without a round trip, that its checkpoint has work (a signal to deliver, a call to restart).
import { CPU_CONTROL } from '../../memory/guest-memory.js';

export const REPLY_STATE = CPU_CONTROL + 8;
export const REPLY_VALUE = CPU_CONTROL + 16;
export const SIGNAL_PENDING = CPU_CONTROL + 24;
export const REPLY_SEQ = CPU_CONTROL + 28;

export const enum Reply { Value = 1, ThreadOver = 2 }

/** A vCPU's request to the main thread, numbered by `seq`. */
export type VcpuRequest = { seq: number } & (
  | { k: 'sys'; nr: number; args: bigint[] }
  | { k: 'fault'; addr: number; misaligned: boolean }
  | { k: 'trap'; signo: number; code: number; addr: number }
  | { k: 'check' });

/** A request as the cpu loop makes it, before it is numbered. */
export type VcpuCall = VcpuRequest extends infer R ? (R extends unknown ? Omit<R, 'seq'> : never) : never;
