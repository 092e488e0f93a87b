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
