// Thumb-only control flow: IT blocks (ARM ARM A8.8.54, ITSTATE A2.5.2), CBZ/CBNZ and the table
// branches TBB/TBH.
//
// IT blocks are translated whole inside one block: the block loop never ends a block between
// an IT instruction and the end of its block (not at maxInsns, not at a page end), so chained
// blocks, budget exits and asynchronous signals always see ITSTATE = 0. Each instruction of the
// block is wrapped by itBegin/itEnd: a branch over it when its condition fails, and a store of
// its ITSTATE to the CPU state's ITSTATE slot first. That store is what makes the exits inside
// a block resumable:
//   - a fault, UDF or BKPT exits with state.pc at the instruction and the slot holding its
//     ITSTATE, as the ARM ARM's exception entry would save it in the CPSR; linux-user saves the
//     slot in the signal frame's CPSR and sigreturn restores it;
//   - SVC stores the ITSTATE of the instruction after it (svcInIt), since linux-user resumes
//     after the SVC;
//   - the last instruction of a block stores 0 instead of its own state, so whatever it does
//     (a branch, a fall-through) leaves the slot clear. If it faults, re-running it without its
//     condition is the same thing: it faulted, so its condition had passed, and a faulting
//     instruction has not written the flags.
// An SVC or UDF whose condition fails goes on in the same block: no block starts inside an IT
// block. Resuming with a nonzero ITSTATE (after such an SVC, or a sigreturn into an IT
// block) needs the rest of the block translated under that state: translateInIt (frontend.ts)
// with maxInsns = 1 translates exactly up to the end of the IT block, and the caller runs that
// block once, outside the TB cache, which keys blocks by pc alone.
import { Cond, Opc } from '../../tcg/ir.js';
import { ITSTATE } from './cpu-state.js';
import type { ArmDisasContext } from './disas-context.js';

const itSlot = (s: ArmDisasContext): number => s.b.global('i32', ITSTATE, 'itstate');

/** A pc write inside an IT block is allowed only as its last instruction (each branch's "if
 *  InITBlock() && !LastInITBlock() then UNPREDICTABLE", treated as undefined). */
export const branchAllowed = (s: ArmDisasContext): boolean => !s.inIt || s.lastInIt;

/** ITAdvance() of an ITSTATE value. */
export const itAdvanced = (it: number): number => ((it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f));

/** IT{x{y{z}}} firstcond (A8.8.54). The mask 0000 encodings are hints (decoded before IT). */
export function itInstruction(s: ArmDisasContext, firstcond: number, mask: number): boolean {
  // UNPREDICTABLE: an IT inside an IT block, condition 1111, or AL with more than one
  // instruction (BitCount(mask) != 1: any of them could be an "else").
  if (s.inIt || firstcond === 15 || (firstcond === 14 && (mask & (mask - 1)) !== 0)) return false;
  s.startIt(firstcond, mask);
  return true;
}

/** Before an instruction inside an IT block: records its ITSTATE and branches over it when its
 *  condition fails. Returns the label to pass to itEnd (null: nothing to close). */
export function itBegin(s: ArmDisasContext): number | null {
  if (!s.inIt) return null;
  s.b.movi(itSlot(s), s.lastInIt ? 0 : s.itState);
  // BKPT (T16 1011 1110) runs whatever its condition (A8.8.24).
  if (s.itCond === 14 || (s.len === 2 && s.insn >>> 8 === 0xbe)) return null;
  const skip = s.b.label();
  s.skipUnless(s.itCond, skip);
  return skip;
}

/** After an instruction inside an IT block: the skip path joins here. When the instruction
 *  ended the block, the skip path goes on at the next instruction: in a block of its own after
 *  the last instruction (a branch), else in this block, since a block must not start inside an
 *  IT block (an SVC or UDF whose condition failed). */
export function itEnd(s: ArmDisasContext, skip: number | null): void {
  if (skip === null) return;
  s.b.setLabel(skip);
  if (!s.ended) return;
  if (s.lastInIt) s.gotoAddr(s.nextPc);
  else s.ended = false;
}

/** SVC inside an IT block: linux-user resumes after it, so the slot holds the next state. */
export function svcInIt(s: ArmDisasContext): void {
  if (s.inIt) s.b.movi(itSlot(s), itAdvanced(s.itState));
}

/** CBZ / CBNZ (A8.8.29): compare with zero and branch forward; never inside an IT block. */
export function cbz(s: ArmDisasContext, nonzero: boolean, rn: number, offset: number): boolean {
  if (s.inIt) return false;
  const taken = s.b.label();
  s.b.brcond(nonzero ? Cond.NE : Cond.EQ, s.reg(rn), s.b.c32(0), taken);
  s.gotoAddr(s.nextPc);
  s.b.setLabel(taken);
  s.gotoAddr((s.pcValue() + offset) >>> 0);
  return true;
}

/** TBB / TBH (A8.8.237): pc = PC + 2 * the byte (or halfword) entry Rm of the table at Rn
 *  (Rn = pc reads as this instruction + 4, unaligned). */
export function tableBranch(s: ArmDisasContext, rn: number, rm: number, half: boolean): boolean {
  if (rm === 13 || rm === 15 || rn === 13 || !branchAllowed(s)) return false;
  const b = s.b;
  const addr = s.tmp();
  if (half) {
    s.opi(Opc.Shl, addr, s.reg(rm), 1);
    b.add(addr, addr, s.reg(rn));
  } else {
    b.add(addr, s.reg(rn), s.reg(rm));
  }
  const entry = s.tmp();
  b.ld(entry, addr, 0, { size: half ? 2 : 1, signed: false });
  s.opi(Opc.Shl, entry, entry, 1);
  s.opi(Opc.Add, entry, entry, s.pcValue());
  s.branchWritePC(entry);
  return true;
}
