// IT blocks (ARM ARM A8.8.54, ITSTATE A2.5.2) under both backends: every condition against
// every NZCV combination in both the "then" and "else" slots, the 16-bit flag-setting rule,
// branches as the last instruction, the encodings an IT block makes UNPREDICTABLE (treated as
// undefined), and the ITSTATE slot at exits inside a block (a fault, SVC) with the resumption
// through translateInIt.
import { afterAll, describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { EXCEPTION, EXC_BKPT, EXC_INFO, EXC_UDEF, ITSTATE } from '../../src/target/arm/cpu-state.js';
import { PROT_READ } from '../../src/memory/guest-memory.js';
import { ArmRig, BACKENDS, CODE, DATA, asm, saveAsmCache } from './arm-rig.js';

afterAll(saveAsmCache);

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];

/** ConditionPassed (A8.3) from the flags: the model the IR is checked against. */
function passed(cond: number, n: number, z: number, c: number, v: number): boolean {
  const base = [z === 1, c === 1, n === 1, v === 1, c === 1 && z === 0, n === v, n === v && z === 0][cond >> 1];
  return (cond & 1) === 1 ? !base : base;
}

const slot = (rig: ArmRig, off: number): number => rig.mem.view.getUint32(rig.env + off, true);

describe.each(BACKENDS)('IT blocks (%s)', (kind) => {
  it('every condition in the then and else slots, under all 16 NZCV values', () => {
    CONDS.forEach((cc, cond) => {
      const inv = CONDS[cond ^ 1];
      // itete: the first and third instructions run when cond holds, the others when not.
      const rig = new ArmRig(kind).load(asm(
        `itete ${cc}\nmov${cc} r0, #1\nmov${inv} r1, #1\nmov${cc} r2, #1\nmov${inv} r3, #1\nmov r4, #7`, true), true);
      for (let f = 0; f < 16; f++) {
        const [n, z, c, v] = [(f >> 3) & 1, (f >> 2) & 1, (f >> 1) & 1, f & 1];
        rig.reset().setFlags({ n, z, c, v });
        expect(rig.run()).toBe(ExitReason.Next);
        const p = passed(cond, n, z, c, v) ? 1 : 0;
        expect([rig.r(0), rig.r(1), rig.r(2), rig.r(3), rig.r(4)], `${cc} nzcv=${f.toString(2)}`)
          .toEqual([p, 1 - p, p, 1 - p, 7]);
        expect(slot(rig, ITSTATE), 'ITSTATE after the block').toBe(0);
      }
    });
  });

  it('IT AL, and every block length', () => {
    // IT AL (0xbfe8; GNU as takes no AL suffix in a block) with MOV r0, #1 (0x2001).
    const rig = new ArmRig(kind).load(asm('.inst.n 0xbfe8\n.inst.n 0x2001', true), true);
    expect(rig.run()).toBe(ExitReason.Next);
    expect(rig.r(0)).toBe(1);
    for (const [mask, expected] of [['', [1, 0, 0, 0]], ['t', [1, 1, 0, 0]], ['tt', [1, 1, 1, 0]], ['ttt', [1, 1, 1, 1]]] as const) {
      const body = ['mov r0, #0', 'mov r1, #0', 'mov r2, #0', 'mov r3, #0', 'cmp r0, #1', `it${mask} ne`,
        ...expected.map((e, i) => (e ? `movne r${i}, #1` : `mov r${i}, r${i}`))];
      // The last mov after the block must run unconditionally: it is no longer in the block.
      const r2 = new ArmRig(kind).load(asm(`${body.slice(0, 6 + mask.length + 1).join('\n')}\nmov r5, #5`, true), true);
      expect(r2.run()).toBe(ExitReason.Next);
      expect([r2.r(0), r2.r(1), r2.r(2), r2.r(3), r2.r(5)], `it${mask}`).toEqual([...expected, 5]);
    }
  });

  it('16-bit data processing sets the flags only outside an IT block', () => {
    // In the block, "add r0, r1, r2" is the 16-bit T1 encoding (ADDS outside a block).
    const inside = asm('it eq\naddeq r0, r1, r2', true);
    expect(inside.length).toBe(4);
    const rig = new ArmRig(kind).load(inside, true).setR(1, 0xffffffff).setR(2, 1).setFlags({ z: 1, n: 1 });
    expect(rig.run()).toBe(ExitReason.Next);
    expect(rig.r(0)).toBe(0);
    expect(rig.flags).toEqual({ n: 1, z: 1, c: 0, v: 0 });

    const outside = asm('adds r0, r1, r2', true);
    expect(outside.length).toBe(2);
    const r2 = new ArmRig(kind).load(outside, true).setR(1, 0xffffffff).setR(2, 1).setFlags({ n: 1 });
    expect(r2.run()).toBe(ExitReason.Next);
    expect(r2.flags).toEqual({ n: 0, z: 1, c: 1, v: 0 });

    // CMP always sets them, in a block too; a 32-bit ADDS in a block sets them as well.
    const r3 = new ArmRig(kind).load(asm('itt eq\ncmpeq r1, r2\naddseq r0, r1, r2', true), true)
      .setR(1, 5).setR(2, 5).setFlags({ z: 1 });
    expect(r3.run()).toBe(ExitReason.Next);
    expect(r3.r(0)).toBe(10);
    expect(r3.flags).toEqual({ n: 0, z: 0, c: 0, v: 0 });
  });

  it('a branch as the last instruction of a block, taken or not', () => {
    const code = asm('cmp r0, #0\nite eq\nmoveq r1, #1\nbne 1f\nmov r2, #2\n1: mov r3, #3', true);
    for (const [r0, expected] of [[0, [1, 2, 3]], [9, [0, 0, 3]]] as const) {
      const rig = new ArmRig(kind).load(code, true).setR(0, r0);
      expect(rig.run()).toBe(ExitReason.Next);
      expect([rig.r(1), rig.r(2), rig.r(3)]).toEqual(expected);
      expect(slot(rig, ITSTATE)).toBe(0);
    }
    // A conditional pop of pc (LoadWritePC) as the last instruction.
    const pop = asm('push {r4, lr}\nadr r4, 1f\nadds r4, #1\nstr r4, [sp, #4]\ncmp r0, #0\nit eq\npopeq {r4, pc}\nmov r5, #5\n.align 2\n1: mov r6, #6', true);
    const rig = new ArmRig(kind).load(pop, true).setR(13, DATA + 0x800);
    expect(rig.run()).toBe(ExitReason.Next);
    expect([rig.r(5), rig.r(6), rig.r(13)]).toEqual([0, 6, DATA + 0x800]);
  });

  it('encodings an IT block makes UNPREDICTABLE are undefined instructions', () => {
    // As raw encodings (GNU as refuses them): ITT EQ 0xbf04, IT EQ 0xbf08, MOV r0, #1 0x2001,
    // B.W to the next instruction 0xf000b800, CBZ r0 0xb100.
    for (const [body, at] of [
      ['.inst.n 0xbf04\n.inst.w 0xf000b800\n.inst.n 0x2001', 2], // a branch before the last slot
      ['.inst.n 0xbf04\n.inst.n 0x2001\n.inst.n 0xbf08', 4], // IT inside a block
      ['.inst.n 0xbf08\n.inst.n 0xb100', 2], // CBZ inside a block
    ] as const) {
      const rig = new ArmRig(kind).load(asm(body, true), true).setFlags({ z: 1 });
      expect(rig.run(), body).toBe(ExitReason.Exception);
      expect([slot(rig, EXCEPTION), rig.pc], body).toEqual([EXC_UDEF, (CODE + at) | 1]);
    }
  });

  it('UDF and BKPT (16 and 32 bits) raise their exceptions', () => {
    for (const [src, exc, info] of [['udf #7', EXC_UDEF, 0xde07], ['udf.w #0x1234', EXC_UDEF, 0xf7f1a234], ['bkpt #42', EXC_BKPT, 42]] as const) {
      const rig = new ArmRig(kind).load(asm(`mov r0, #1\n${src}`, true), true);
      expect(rig.run()).toBe(ExitReason.Exception);
      expect([slot(rig, EXCEPTION), slot(rig, EXC_INFO), rig.pc]).toEqual([exc, info, (CODE + 4) | 1]);
    }
  });

  it('BKPT inside a block runs whatever the condition', () => {
    // IT NE (0xbf18) with BKPT #3 while Z is set.
    const rig = new ArmRig(kind).load(asm('.inst.n 0xbf18\n.inst.n 0xbe03', true), true).setFlags({ z: 1 });
    expect(rig.run()).toBe(ExitReason.Exception);
    expect([slot(rig, EXCEPTION), slot(rig, EXC_INFO)]).toEqual([EXC_BKPT, 3]);
  });

  it('a fault inside a block leaves the faulting instruction and its ITSTATE; it resumes there', () => {
    const UNMAPPED = DATA + 0x1000;
    // ITTE EQ: ITSTATE 0x06, 0x0c, then 0x18 for the last (mask 0110 from firstcond 0000).
    const code = asm('itte eq\nldreq r0, [r1]\naddeq r2, #1\naddne r3, #1\nmov r4, #4', true);
    const rig = new ArmRig(kind).load(code, true).setR(1, UNMAPPED).setFlags({ z: 1 });
    expect(rig.run()).toBe(ExitReason.MemFault);
    expect(rig.pc).toBe((CODE + 2) | 1);
    expect(slot(rig, ITSTATE)).toBe(0x06);
    // The signal handler maps the page and returns: the rest of the block runs under ITSTATE.
    rig.mem.setProt(UNMAPPED, 0x1000, PROT_READ);
    rig.mem.view.setUint32(UNMAPPED, 0xabcd, true);
    const tail = rig.fe.translateInIt(rig.pc, 1, slot(rig, ITSTATE)); // up to the block's end
    expect(rig.be.compile([tail])[0](rig.env)).toBe(ExitReason.Next);
    expect(slot(rig, ITSTATE)).toBe(0);
    expect(rig.run()).toBe(ExitReason.Next);
    expect([rig.r(0), rig.r(2), rig.r(3), rig.r(4)]).toEqual([0xabcd, 1, 0, 4]);
  });

  it('a fault on the last instruction leaves ITSTATE 0 (it re-runs unconditionally)', () => {
    const code = asm('itt ne\naddne r2, #1\nldrne r0, [r1]', true);
    const rig = new ArmRig(kind).load(code, true).setR(1, DATA + 0x1000).setFlags({ z: 0 });
    expect(rig.run()).toBe(ExitReason.MemFault);
    expect([rig.pc, slot(rig, ITSTATE), rig.r(2)]).toEqual([(CODE + 4) | 1, 0, 1]);
  });

  it('SVC inside a block leaves the ITSTATE of the instruction after it', () => {
    // ITT EQ: ITSTATE 0x04, then 0x08; after the SVC the next instruction's state is 0x08.
    const code = asm('itt eq\nsvceq 0\naddeq r2, #1\nmov r4, #4', true);
    for (const z of [1, 0]) {
      const rig = new ArmRig(kind).load(code, true).setFlags({ z });
      if (z === 0) {
        // The condition fails: no syscall, and the block completes.
        expect(rig.run()).toBe(ExitReason.Next);
        expect([rig.r(2), rig.r(4), slot(rig, ITSTATE)]).toEqual([0, 4, 0]);
        continue;
      }
      expect(rig.run()).toBe(ExitReason.Syscall);
      expect([rig.pc, slot(rig, ITSTATE)]).toEqual([(CODE + 2) | 1, 0x08]);
      // linux-user steps over the SVC; a flag change by the kernel's view does not matter here.
      const tail = rig.fe.translateInIt((CODE + 4) | 1, 1, slot(rig, ITSTATE));
      expect(rig.be.compile([tail])[0](rig.env)).toBe(ExitReason.Next);
      expect(rig.run()).toBe(ExitReason.Next);
      expect([rig.r(2), rig.r(4), slot(rig, ITSTATE)]).toEqual([1, 4, 0]);
    }
  });

  it('a block never ends inside an IT block, even at the instruction limit', () => {
    const rig = new ArmRig(kind).load(asm('itete eq\nmoveq r0, #1\nmovne r1, #1\nmoveq r2, #1\nmovne r3, #1', true), true);
    const ir = rig.fe.translate(rig.pc, 1);
    expect(ir.insnCount).toBe(5);
  });
});
