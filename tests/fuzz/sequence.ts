// What the generators produce and the harnesses lay out: a sequence is a list of items, each
// one or a few instructions that only make sense together (an address set up and the load that
// uses it, LR with its SC, an IT block); minimising removes whole items. A branch item skips a
// number of the items after it: its offset is computed when the sequence is laid out, so it
// still lands on an item boundary after items are removed.

export interface Insn {
  /** Little-endian bytes as they sit in memory. */
  bytes: number[];
  text: string;
}

export interface Item {
  insns: Insn[];
  /** For a forward branch: how many of the following items it skips. */
  skip?: number;
  /** For a forward branch: its instructions for a target `distance` bytes after the item's start
   *  (same sizes as `insns`). */
  retarget?: (distance: number) => Insn[];
}

export interface Sequence {
  items: Item[];
  /** The arch's record of initial state (registers, flags, scratch buffer). */
  init: Uint8Array;
}

const size = (insns: Insn[]): number => insns.reduce((n, i) => n + i.bytes.length, 0);

/** The instructions of `items` in order with their branches pointed at their targets (at most
 *  the end of the sequence). */
export function layOut(items: Item[]): Insn[] {
  const starts: number[] = [];
  let at = 0;
  for (const it of items) { starts.push(at); at += size(it.insns); }
  starts.push(at);
  return items.flatMap((it, i) => it.retarget && it.skip !== undefined
    ? it.retarget(starts[Math.min(items.length, i + 1 + it.skip)] - starts[i])
    : it.insns);
}

export const insnCount = (items: Item[]): number => items.reduce((n, it) => n + it.insns.length, 0);

export const word32 = (w: number, text: string): Insn => ({ bytes: [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24], text });
export const half16 = (h: number, text: string): Insn => ({ bytes: [h & 0xff, (h >>> 8) & 0xff], text });
