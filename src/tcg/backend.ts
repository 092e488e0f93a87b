// What every backend provides: turn IR blocks into something the cpu loop can run.
import { Helper, IRBlock, StateLayout } from './ir.js';
import { GuestMemory } from '../memory/guest-memory.js';

/** Runs one TB (and, for chaining backends, possibly more) on the vCPU whose state starts at
 *  `env`; returns an ExitReason with state.pc set as ExitReason's comment says. */
export type TbCode = (env: number) => number;

export interface BackendContext {
  mem: GuestMemory;
  layout: StateLayout;
  helpers: Helper[];
  /** This vCPU's jump cache (src/memory: jumpCacheOf); the first vCPU's when absent. */
  jumpCache?: number;
  /** System mode (wasm backend): loads and stores probe the running hart's TLB inline. */
  tlb?: InlineTlb;
}

/** A TLB that compiled code probes before each load and store, as qemu's backends do
 *  (src/system/softmmu.ts fills it): per access type, 2^entryBits entries of 16 bytes, the
 *  entry of address a at ((a >>> 12) ^ (a >>> 20)) & (2^entryBits - 1): the virtual address of
 *  its page (i64; -1 when empty), then the host address minus the virtual one (i32). An
 *  access that is misaligned or finds another page there calls the load or store helper, which
 *  does the walk, the devices and the faults. */
export interface InlineTlb {
  /** i32 state slot: the address of the read TLB in use; the write TLB is writeOffset after it. */
  baseSlot: number;
  writeOffset: number;
  entryBits: number;
  /** Helper indices by access size. Load: (lo, hi, flags: bit 0 signed, bit 1 aligned) -> the
   *  value as an i32, sign- or zero-extended, with an 8-byte value's high half left in the
   *  i32 state slot ldHiSlot. Store: (lo, hi, value lo, value hi). */
  load: Record<number, number>;
  store: Record<number, number>;
  ldHiSlot: number;
}

export interface Backend {
  readonly name: string;
  /** Compiles a batch of blocks; returns one TbCode per block, in order. */
  compile(blocks: IRBlock[]): TbCode[];
  /** Forgets every translation (after an invalidation); chained code must stop reaching them. */
  flush(): void;
  /** The generated code of the last compile() as text, for `-d out_asm` (optional). */
  listing?(): string;
}

/** -d out_asm's record of the batch a backend has just compiled (user and system mode): its
 *  listing under a header, or undefined when the backend has none. */
export function outAsmRecord(backend: Backend, blocks: number): string | undefined {
  const listing = backend.listing?.();
  return listing ? `OUT: [${backend.name}, ${blocks} blocks]\n${listing}\n` : undefined;
}
