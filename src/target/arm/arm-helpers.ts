// Helpers the A32 and Thumb IR calls for the APSR moves (MRS, MSR), which are rare and pack or
// unpack every flag (cpu-state.ts); every other integer instruction is inline IR.
// Semantics: ARM ARM A8.8 (each instruction's pseudocode).
import { Helper, HelperFlags } from '../../tcg/ir.js';
import { cpsrFromState, cpsrToState } from './cpu-state.js';

const RW = HelperFlags.ReadsGlobals | HelperFlags.WritesGlobals;

export function makeArmHelpers(view: DataView): Helper[] {
  return [
    {
      name: 'arm_mrs_apsr', args: [], ret: 'i32', flags: HelperFlags.ReadsGlobals,
      // The CPSR as user mode reads it (B1.3.3): NZCVQ, GE and the mode (User, 0x10); the
      // execution state bits (IT, T) read as zero. This is what qemu-arm returns too.
      fn: (env: number): number => ((cpsrFromState(view, env) & 0xf80f0000) | 0x10) | 0,
    },
    {
      // MSR APSR_<fields>: mask bit 1 writes NZCVQ, bit 0 writes GE (A8.8.104).
      name: 'arm_msr_apsr', args: ['i32', 'i32'], ret: null, flags: RW,
      fn: (env: number, v: number, mask: number): void => {
        const old = cpsrFromState(view, env);
        let keep = 0xffffffff;
        if (mask & 2) keep &= ~0xf8000000;
        if (mask & 1) keep &= ~0x000f0000;
        cpsrToState(view, env, ((old & keep) | (v & ~keep)) >>> 0, false);
      },
    },
  ];
}
