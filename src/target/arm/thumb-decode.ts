// Shared by the T16 and T32 tables: building a pattern table from [name, diagram] rows, and
// fetching a Thumb instruction (one or two halfwords, ARM ARM A6.1).
import { ArmPattern, ArmTrans, pat } from './decode.js';

/** Builds a pattern table: each row's translate function is `trans[name]`. */
export function thumbTable(trans: Record<string, ArmTrans>, rows: [name: string, diagram: string][]): ArmPattern[] {
  return rows.map(([name, diagram]) => {
    const fn = trans[name];
    if (!fn) throw new Error(`no translate function for ${name}`);
    return pat(name, diagram, fn);
  });
}

/** A first halfword whose bits 15:11 are 0b11101, 0b11110 or 0b11111 starts a 32-bit
 *  instruction (A6.1); any other halfword is a whole 16-bit instruction. */
export const isThumb32 = (hw1: number): boolean => (hw1 >>> 11) >= 0b11101;
