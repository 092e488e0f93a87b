// The RISC-V 64 frontend: the decode tables of every extension, the helpers their IR calls, the
// block translator and the disassembler, behind the tcg layer's Frontend interface.
import { Frontend, HelperRegistry } from '../../tcg/frontend.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { RISCV_LAYOUT } from './cpu-state.js';
import { Disassembler } from './disas.js';
import { dumpRiscvState } from './cpu-dump.js';
import { FP_RVC_PATTERNS, FP_TABLES, registerFpHelpers } from './fp-extensions.js';
import { RVA_PATTERNS } from './rva.js';
import { RVC_PATTERNS } from './rvc.js';
import { RVI_PATTERNS } from './rvi.js';
import { RVM_PATTERNS } from './rvm.js';
import { DecodeTables, translateBlock } from './translate.js';
import { ZB_PATTERNS } from './zb.js';
import { CSR_HELPERS, ZICSR_PATTERNS } from './zicsr.js';
import { ZIFENCEI_PATTERNS } from './zifencei.js';

export function createRiscvFrontend(mem: GuestMemory): Frontend {
  const helpers = new HelperRegistry();
  for (const h of CSR_HELPERS) helpers.add(h);
  registerFpHelpers(helpers, mem);
  // Each integer pattern's mask covers all its fixed bits, so these tables do not overlap and
  // their order only matters for decoding speed: the most frequent extensions first.
  const tables: DecodeTables = {
    insn32: [RVI_PATTERNS, RVM_PATTERNS, RVA_PATTERNS, ZICSR_PATTERNS, ZIFENCEI_PATTERNS, ZB_PATTERNS, ...FP_TABLES],
    insn16: [...RVC_PATTERNS, ...FP_RVC_PATTERNS],
  };
  const disas = new Disassembler(tables, mem);
  return {
    name: 'riscv64',
    layout: RISCV_LAYOUT,
    helpers: helpers.list,
    translate: (pc, maxInsns) => translateBlock(tables, helpers, mem, pc, maxInsns),
    disassemble: (pc, size) => disas.lines(pc, size),
    dumpState: (env) => dumpRiscvState(mem, env),
  };
}
