// What the fuzzer needs from a guest arch: its generator, the guest program that runs a batch of
// sequences and prints one state record per sequence, how to read those records, and its
// emulators.
import { Prng } from './prng.js';
import { Item } from './sequence.js';

/** A named part of a state record (a register, the flags, 8 bytes of the scratch buffer). */
export interface Slice { name: string; at: number; size: number }

export interface FuzzArch {
  name: 'riscv64' | 'arm';
  qemu: string;
  /** Options for qemu (the CPU model tsemu implements). */
  qemuArgs: string[];
  /** Extensions (instruction groups) the generator knows, each drawn with equal weight. */
  exts: readonly string[];
  /** One random item of an extension. */
  item(p: Prng, ext: string): Item;
  /** Whether two extensions can share a sequence (not A32 with Thumb). */
  sameMode(a: string, b: string): boolean;
  /** The initial state record of a sequence whose extensions are those of `ext`'s mode. */
  initState(p: Prng, ext: string): Uint8Array;
  /** The static ELF running every sequence (items with its initial state) `passes` times and
   *  printing each one's state record on the first and the last pass. */
  build(seqs: { items: Item[]; init: Uint8Array }[], passes: number): Uint8Array;
  recordSize: number;
  slices: Slice[];
  /** An initial state record with the named registers set (x1, f2, fcsr; r0, d3, apsr, fpscr)
   *  and zeros elsewhere; `ext` picks the mode as for initState. For the regression tests. */
  initWith(values: Record<string, bigint>, ext?: string): Uint8Array;
  /** The initial values of the registers an instruction text names, for a report. */
  inputs(init: Uint8Array, text: string): string[];
}

/** Eight-byte slices named `${prefix}${i}` (or by `names`) from `at`. */
export function regSlices(prefix: string, count: number, at: number, size = 8, skip: number[] = []): Slice[] {
  return [...Array(count).keys()].filter((i) => !skip.includes(i)).map((i) => ({ name: `${prefix}${i}`, at: at + i * size, size }));
}
