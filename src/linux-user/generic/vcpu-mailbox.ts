// How a vCPU in a worker gets the main thread's answers: words in its control area (after tcg's
// exit request, src/tcg/vcpu-control.ts). The worker posts a request and waits on REPLY_STATE;
// the main thread writes the value, then the state, and notifies. SIGNAL_PENDING tells the worker,
// without a round trip, that its checkpoint has work (a signal to deliver, a call to restart).
import { CPU_CONTROL } from '../../memory/guest-memory.js';

export const REPLY_STATE = CPU_CONTROL + 8;
export const REPLY_VALUE = CPU_CONTROL + 16;
export const SIGNAL_PENDING = CPU_CONTROL + 24;

export const enum Reply { Waiting = 0, Value = 1, ThreadOver = 2 }

/** A vCPU's request to the main thread. */
export type VcpuRequest =
  | { k: 'sys'; nr: number; args: bigint[] }
  | { k: 'fault'; addr: number; misaligned: boolean }
  | { k: 'trap'; signo: number; code: number; addr: number }
  | { k: 'check' };
