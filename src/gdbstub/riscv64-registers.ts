// riscv64's registers for gdb: the features org.gnu.gdb.riscv.cpu (x0-x31 by ABI name, pc) and
// org.gnu.gdb.riscv.fpu (f0-f31, and fflags, frm, fcsr numbered as gdb numbers CSRs: 65 + the
// CSR number), as gdb's riscv target expects them (gdb/features/riscv, gdb/riscv-tdep.c).
import { FFLAGS, FREG, FRM, PC, XREG } from '../target/riscv/cpu-state.js';
import type { GdbArch, GdbRegister } from './registers.js';

const X_NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6',
  'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const F_NAMES = ['ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4',
  'fa5', 'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11'];

/** gdb's number of a CSR register. */
const CSR_REGNUM_BASE = 65;
const CSR_FFLAGS = 1, CSR_FRM = 2, CSR_FCSR = 3;
/** fcsr is frm (bits 7:5) over fflags (bits 4:0), RISC-V unprivileged ISA, "F" chapter. */
const FRM_SHIFT = 5, FFLAGS_MASK = 0x1f, FRM_MASK = 0x7;

const fcsr: GdbRegister = {
  name: 'fcsr', bits: 32, type: 'int', group: 'float', regnum: CSR_REGNUM_BASE + CSR_FCSR,
  get: (v, env) => BigInt((v.getInt32(env + FRM, true) << FRM_SHIFT) | v.getInt32(env + FFLAGS, true)),
  set: (v, env, x) => {
    v.setInt32(env + FFLAGS, Number(x) & FFLAGS_MASK, true);
    v.setInt32(env + FRM, (Number(x) >> FRM_SHIFT) & FRM_MASK, true);
  },
};

export const RISCV64_GDB: GdbArch = {
  architecture: 'riscv:rv64',
  features: [
    {
      name: 'org.gnu.gdb.riscv.cpu',
      regs: [
        ...X_NAMES.map((name, i): GdbRegister => ({
          name, bits: 64, type: i === 2 ? 'data_ptr' : 'int', offset: XREG(i), readOnly: i === 0,
        })),
        { name: 'pc', bits: 64, type: 'code_ptr', offset: PC },
      ],
    },
    {
      name: 'org.gnu.gdb.riscv.fpu',
      types: [
        '    <union id="riscv_double">',
        '      <field name="float" type="ieee_single"/>',
        '      <field name="double" type="ieee_double"/>',
        '    </union>',
      ].join('\n'),
      regs: [
        ...F_NAMES.map((name, i): GdbRegister => ({ name, bits: 64, type: 'riscv_double', offset: FREG(i) })),
        {
          name: 'fflags', bits: 32, type: 'int', group: 'float', regnum: CSR_REGNUM_BASE + CSR_FFLAGS,
          get: (v, env) => BigInt(v.getInt32(env + FFLAGS, true)),
          set: (v, env, x) => v.setInt32(env + FFLAGS, Number(x) & FFLAGS_MASK, true),
        },
        {
          name: 'frm', bits: 32, type: 'int', group: 'float', regnum: CSR_REGNUM_BASE + CSR_FRM,
          get: (v, env) => BigInt(v.getInt32(env + FRM, true)),
          set: (v, env, x) => v.setInt32(env + FRM, Number(x) & FRM_MASK, true),
        },
        fcsr,
      ],
    },
  ],
};
