// One vCPU thread of atomics-threads.test.ts (bundled by it with esbuild, so it runs without a
// TypeScript loader): runs an IR block, or guest code through a frontend, on its own state area
// and backend over the parent's shared guest memory, from the moment the parent releases the
// start flag, so that every thread's atomics overlap.
import { parentPort, workerData } from 'node:worker_threads';
import { Backend, TbCode } from '../../src/tcg/backend.js';
import { ExitReason, Helper, IRBlock, StateLayout } from '../../src/tcg/ir.js';
import { InterpBackend } from '../../src/tcg/interp-backend.js';
import { WasmBackend } from '../../src/tcg/wasm-backend.js';
import { Frontend } from '../../src/tcg/frontend.js';
import { createRiscvFrontend } from '../../src/target/riscv/frontend.js';
import { createArmFrontend } from '../../src/target/arm/frontend.js';
import { GuestMemory, PROT_TABLE, PROT_TABLE_SIZE } from '../../src/memory/guest-memory.js';

export interface Job {
  memory: WebAssembly.Memory;
  backend: 'interp' | 'wasm';
  /** This vCPU's state area. */
  env: number;
  /** Byte address of the i32 start flag (0 until the parent releases every thread). */
  startFlag: number;
  /** Either one IR block, run once (it loops itself), or guest code from the state's pc. */
  run: { block: IRBlock; layout: StateLayout } | { arch: 'riscv64' | 'arm' };
}

/** The parent's guest memory seen from this thread: GuestMemory's constructor would allocate a
 *  new one, so this fills in the fields that backends and frontends read. */
function sharedGuestMemory(memory: WebAssembly.Memory): GuestMemory {
  const buffer = memory.buffer as unknown as SharedArrayBuffer;
  return Object.assign(Object.create(GuestMemory.prototype) as GuestMemory, {
    memory, buffer, u8: new Uint8Array(buffer), view: new DataView(buffer),
    prot: new Uint8Array(buffer, PROT_TABLE, PROT_TABLE_SIZE),
  });
}

function backendFor(job: Job, mem: GuestMemory, layout: StateLayout, helpers: Helper[]): Backend {
  const ctx = { mem, layout, helpers };
  return job.backend === 'wasm' ? new WasmBackend(ctx) : new InterpBackend(ctx);
}

/** A minimal cpu loop: translate each pc once, run until an exit other than Next. */
function runGuest(fe: Frontend, be: Backend, mem: GuestMemory, env: number): ExitReason {
  const { pcOffset, pcTy, budgetOffset } = fe.layout;
  const tbs = new Map<number, TbCode>();
  for (;;) {
    const pc = pcTy === 'i64' ? Number(mem.view.getBigUint64(env + pcOffset, true)) : mem.view.getUint32(env + pcOffset, true);
    let code = tbs.get(pc);
    if (!code) {
      [code] = be.compile([fe.translate(pc, 64)]);
      tbs.set(pc, code);
    }
    mem.view.setInt32(env + budgetOffset, 1 << 16, true);
    const r = code(env) as ExitReason;
    if (r !== ExitReason.Next) return r;
  }
}

const job = workerData as Job;
const mem = sharedGuestMemory(job.memory);
let go: () => ExitReason;
if ('block' in job.run) {
  const { block, layout } = job.run;
  const code = backendFor(job, mem, layout, []).compile([block])[0];
  go = () => code(job.env) as ExitReason;
} else {
  const fe = job.run.arch === 'riscv64' ? createRiscvFrontend(mem) : createArmFrontend(mem);
  const be = backendFor(job, mem, fe.layout, fe.helpers);
  go = () => runGuest(fe, be, mem, job.env);
}
const flags = new Int32Array(mem.buffer);
parentPort!.postMessage('ready');
Atomics.wait(flags, job.startFlag >>> 2, 0);
parentPort!.postMessage(go());
