// What a guest arch frontend gives the tcg layer. Implemented in src/target/<arch>.
import { Helper, IRBlock, StateLayout } from './ir.js';

export interface Frontend {
  readonly name: string;
  readonly layout: StateLayout;
  /** Helpers the frontend's IR calls, indexed as in its Call ops. */
  readonly helpers: Helper[];
  /** Decodes guest code at `pc` into one IR block of at most `maxInsns` instructions. Throws
   *  GuestFault (src/memory) if the first instruction cannot be fetched (no PROT_EXEC). */
  translate(pc: number, maxInsns: number): IRBlock;
  /** A block at pc as the state at `env` resumes it, which may depend on more than pc (ARM:
   *  inside an IT block); run once, not cached. Without it, translate(pc) is that block. */
  translateResume?(pc: number, maxInsns: number, env: number): IRBlock;
  /** Guest disassembly of a block, for `-d in_asm` (one line per instruction). */
  disassemble(pc: number, size: number): string[];
  /** The registers as text, for `-d cpu` (optional). */
  dumpState?(env: number): string;
}

/** Registry of helper functions: translators ask for helpers by name, the backends receive the
 *  array. Names are unique. */
export class HelperRegistry {
  readonly list: Helper[] = [];
  private readonly byName = new Map<string, number>();

  add(h: Helper): number {
    if (this.byName.has(h.name)) throw new Error(`helper ${h.name} defined twice`);
    this.list.push(h);
    this.byName.set(h.name, this.list.length - 1);
    return this.list.length - 1;
  }
  index(name: string): number {
    const i = this.byName.get(name);
    if (i === undefined) throw new Error(`no helper named ${name}`);
    return i;
  }
}
