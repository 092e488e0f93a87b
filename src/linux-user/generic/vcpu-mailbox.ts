// How a vCPU in a worker and the main thread talk: words in the vCPU's control area (after tcg's
// exit request, src/tcg/vcpu-control.ts), with no message passing. The worker writes its request
// (kind, numbers, arguments), then its number in REQ_SEQ, and notifies; the main thread waits on
// REQ_SEQ with Atomics.waitAsync. The answer comes back the same way: the main thread writes the
// value and the state, then the request's number in REPLY_SEQ, and notifies. A wake-up for
// anything else (a stale number) sends the worker back to waiting, so it can never take an
// answer that is not its request's. SIGNAL_PENDING tells the worker, without a round trip, that
// its checkpoint has work (a signal to deliver, a call to restart).
//
// Measured on a 2-core machine, a request and its answer take about 35 us through postMessage,
// 31 us through these words; nearly all of it is waking the threads (a worker spinning on its
// answer gets it in 5 us, but then takes a core from the main thread and the guest's peers, and
// a TCP echo server ran slower). A process with one thread keeps its vCPU on the main thread
// (main-vcpu.ts) and pays none of it.
import { CPU_CONTROL } from '../../memory/guest-memory.js';

export const REPLY_STATE = CPU_CONTROL + 8;
export const REPLY_VALUE = CPU_CONTROL + 16;
export const SIGNAL_PENDING = CPU_CONTROL + 24;
export const REPLY_SEQ = CPU_CONTROL + 28;
const REQ_SEQ = CPU_CONTROL + 32;
const REQ_KIND = CPU_CONTROL + 36;
/** Four i32 words: the syscall number, or a fault's or trap's fields. */
const REQ_WORDS = CPU_CONTROL + 40;
/** Six i64 words: the syscall's arguments. */
const REQ_ARGS = CPU_CONTROL + 56;

export const enum Reply { Value = 1, ThreadOver = 2 }

/** Posted to the worker of an ended thread (which waits on its event loop, out of guest code)
 *  when a new thread has its slot: it runs that thread's vCPU next. */
export const RUN_NEXT_THREAD = 'run-next-thread';

/** A vCPU's request to the main thread, numbered by `seq`. */
export type VcpuRequest = { seq: number } & (
  | { k: 'sys'; nr: number; args: bigint[] }
  | { k: 'fault'; addr: number; misaligned: boolean }
  | { k: 'trap'; signo: number; code: number; addr: number }
  | { k: 'check' });

const KINDS = ['sys', 'fault', 'trap', 'check'] as const;

/** The worker's side: writes the request into the control area of the vCPU at env and waits
 *  for its answer (REPLY_SEQ = its number). */
export function sendRequest(view: DataView, words: Int32Array, env: number, call: VcpuRequest): void {
  const seq = call.seq;
  const w = env + REQ_WORDS;
  view.setInt32(env + REQ_KIND, KINDS.indexOf(call.k), true);
  switch (call.k) {
    case 'sys':
      view.setInt32(w, call.nr, true);
      for (let i = 0; i < 6; i++) view.setBigUint64(env + REQ_ARGS + 8 * i, call.args[i], true);
      break;
    case 'fault':
      view.setUint32(w, call.addr, true);
      view.setInt32(w + 4, call.misaligned ? 1 : 0, true);
      break;
    case 'trap':
      view.setInt32(w, call.signo, true);
      view.setInt32(w + 4, call.code, true);
      view.setUint32(w + 8, call.addr, true);
      break;
  }
  const req = (env + REQ_SEQ) >>> 2;
  Atomics.store(words, req, seq);
  Atomics.notify(words, req);
  const at = (env + REPLY_SEQ) >>> 2;
  for (let seen; (seen = Atomics.load(words, at)) !== seq;) Atomics.wait(words, at, seen);
}

/** The main thread's side: calls `serve` with each request the vCPU at env makes while `live()`
 *  holds, from the one after the last answered (none is outstanding when a worker starts). */
export function serveRequests(
  view: DataView, words: Int32Array, env: number, live: () => boolean, serve: (req: VcpuRequest) => void,
): void {
  const at = (env + REQ_SEQ) >>> 2;
  let seen = Atomics.load(words, (env + REPLY_SEQ) >>> 2);
  const next = (): void => {
    if (!live()) return;
    const seq = Atomics.load(words, at);
    if (seq !== seen) {
      seen = seq;
      serve(readRequest(view, env, seq));
      if (!live()) return;
    }
    const w = Atomics.waitAsync(words, at, seen);
    if (w.async) void w.value.then(next);
    else next();
  };
  next();
}

function readRequest(view: DataView, env: number, seq: number): VcpuRequest {
  const w = env + REQ_WORDS;
  switch (KINDS[view.getInt32(env + REQ_KIND, true)]) {
    case 'sys': {
      const args: bigint[] = [];
      for (let i = 0; i < 6; i++) args.push(view.getBigUint64(env + REQ_ARGS + 8 * i, true));
      return { seq, k: 'sys', nr: view.getInt32(w, true), args };
    }
    case 'fault': return { seq, k: 'fault', addr: view.getUint32(w, true), misaligned: view.getInt32(w + 4, true) !== 0 };
    case 'trap': return { seq, k: 'trap', signo: view.getInt32(w, true), code: view.getInt32(w + 4, true), addr: view.getUint32(w + 8, true) };
    default: return { seq, k: 'check' };
  }
}
