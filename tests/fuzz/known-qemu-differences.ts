// Where qemu 7.2 (the oracle) is wrong against the architecture manual: tsemu follows the
// manual, and a mismatch whose first differing instruction is listed here is reported as a
// known qemu difference instead of a failure. Each entry says which manual section decides.
import { Outcome, SliceDiff } from './runner.js';
import { Item } from './sequence.js';

export interface KnownDifference {
  arch: 'riscv64' | 'arm';
  /** Matches the text of the first differing instruction (the last of the minimised sequence). */
  insn: RegExp;
  /** Matches the name of every differing part of the state. */
  parts: RegExp;
  /** Holds for each differing part (qemu's value `want`, tsemu's `got`). */
  holds: (d: SliceDiff) => boolean;
  why: string;
}

export const KNOWN_QEMU_DIFFERENCES: KnownDifference[] = [
  {
    arch: 'riscv64',
    insn: /^ctzw /,
    parts: /^x\d+$/,
    holds: (d) => BigInt(d.got) === 32n && BigInt(d.want) > 32n,
    why: 'qemu 7.2 counts the trailing zeros of all 64 bits when rs1[31:0] is 0; the Zbb spec (RISC-V Bit-Manipulation ISA-extensions 1.0.0, 2.2.5 "ctzw") counts those of rs1[31:0] only, 32 when it is 0',
  },
];

export function knownDifference(arch: string, items: Item[], outcome: Outcome): string | undefined {
  const last = items.at(-1)?.insns.at(-1)?.text ?? '';
  if (outcome.crash) return undefined;
  return KNOWN_QEMU_DIFFERENCES.find((k) => k.arch === arch && k.insn.test(last) && outcome.diffs.every((d) => k.parts.test(d.name) && k.holds(d)))?.why;
}
