// 32-bit ARM's registers for gdb: the features org.gnu.gdb.arm.core (r0-r12, sp, lr, pc, and
// cpsr as gdb numbers it, 25) and org.gnu.gdb.arm.vfp (d0-d31, fpscr; gdb adds s0-s31 over
// them), as gdb's arm target expects them (gdb/features/arm, gdb/arm-tdep.c).
import { DREG, FPSCR, PC, REG, cpsrFromState, cpsrToState } from '../target/arm/cpu-state.js';
import type { GdbArch, GdbRegister } from './registers.js';

const CORE_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr'];
const CPSR_REGNUM = 25;
const D_REGS = 32;

/** The state's pc slot holds the Thumb bit in bit 0 (src/target/arm/cpu-state.ts): gdb's pc is
 *  the address, and the Thumb state shows in cpsr's T bit. A written pc keeps the state. */
const pc: GdbRegister = {
  name: 'pc', bits: 32, type: 'code_ptr',
  get: (v, env) => BigInt((v.getUint32(env + PC, true) & ~1) >>> 0),
  set: (v, env, x) => v.setUint32(env + PC, ((Number(x) & ~1) | (v.getUint32(env + PC, true) & 1)) >>> 0, true),
};

export const ARM_GDB: GdbArch = {
  architecture: 'arm',
  features: [
    {
      name: 'org.gnu.gdb.arm.core',
      regs: [
        ...CORE_NAMES.map((name, i): GdbRegister => ({ name, bits: 32, type: i === 13 ? 'data_ptr' : 'int', offset: REG(i) })),
        pc,
        {
          name: 'cpsr', bits: 32, type: 'int', regnum: CPSR_REGNUM,
          get: (v, env) => BigInt(cpsrFromState(v, env)),
          set: (v, env, x) => cpsrToState(v, env, Number(x), true),
        },
      ],
    },
    {
      name: 'org.gnu.gdb.arm.vfp',
      // A d register seen as each of the lane shapes NEON gives it.
      types: [
        '    <vector id="neon_uint8x8" type="uint8" count="8"/>',
        '    <vector id="neon_uint16x4" type="uint16" count="4"/>',
        '    <vector id="neon_uint32x2" type="uint32" count="2"/>',
        '    <vector id="neon_float32x2" type="ieee_single" count="2"/>',
        '    <union id="neon_d">',
        '      <field name="u8" type="neon_uint8x8"/>',
        '      <field name="u16" type="neon_uint16x4"/>',
        '      <field name="u32" type="neon_uint32x2"/>',
        '      <field name="u64" type="uint64"/>',
        '      <field name="f32" type="neon_float32x2"/>',
        '      <field name="f64" type="ieee_double"/>',
        '    </union>',
      ].join('\n'),
      regs: [
        ...Array.from({ length: D_REGS }, (_, i): GdbRegister => ({ name: `d${i}`, bits: 64, type: 'neon_d', offset: DREG(i) })),
        { name: 'fpscr', bits: 32, type: 'int', group: 'float', offset: FPSCR },
      ],
    },
  ],
};
