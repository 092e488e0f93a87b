// The 32-bit ARM frontend: the decode tables (A32, Thumb, VFP/NEON), the helpers their IR
// calls, the block translator and the disassembler, behind the tcg layer's Frontend interface.
import { Frontend, HelperRegistry } from '../../tcg/frontend.js';
import { IRBlock } from '../../tcg/ir.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { A32_PATTERNS, A32_UNCOND_PATTERNS } from './a32.js';
import { makeArmHelpers } from './arm-helpers.js';
import { ARM_LAYOUT, ITSTATE } from './cpu-state.js';
import { dumpArmState } from './cpu-dump.js';
import { ArmDisassembler } from './disas.js';
import { T16_PATTERNS } from './t16.js';
import { T32_PATTERNS } from './t32.js';
import { ArmTables, translateBlock } from './translate.js';
import { VFP_A32_PATTERNS, VFP_A32_UNCOND_PATTERNS, VFP_T32_PATTERNS, registerVfpHelpers } from './vfp-extensions.js';
import { NEON_A32_PATTERNS, NEON_A32_UNCOND_PATTERNS, NEON_T32_PATTERNS, registerNeonHelpers } from './neon-extensions.js';

export interface ArmFrontend extends Frontend {
  /** Translates a block that starts inside an IT block (ITSTATE != 0, see thumb-it.ts): the
   *  result depends on more than the key, so the caller runs it without caching it. */
  translateInIt(key: number, maxInsns: number, itState: number): IRBlock;
}

export function createArmFrontend(mem: GuestMemory): ArmFrontend {
  const helpers = new HelperRegistry();
  for (const h of makeArmHelpers(mem.view)) helpers.add(h);
  registerVfpHelpers(helpers, mem);
  registerNeonHelpers(helpers, mem);
  const tables: ArmTables = {
    a32: [A32_PATTERNS, VFP_A32_PATTERNS, NEON_A32_PATTERNS],
    a32Uncond: [A32_UNCOND_PATTERNS, VFP_A32_UNCOND_PATTERNS, NEON_A32_UNCOND_PATTERNS],
    t16: [T16_PATTERNS],
    t32: [T32_PATTERNS, VFP_T32_PATTERNS, NEON_T32_PATTERNS],
  };
  const disas = new ArmDisassembler(tables, mem, helpers);
  return {
    name: 'arm',
    layout: ARM_LAYOUT,
    helpers: helpers.list,
    translate: (key, maxInsns) => translateBlock(tables, helpers, mem, key, maxInsns),
    translateInIt: (key, maxInsns, itState) => translateBlock(tables, helpers, mem, key, maxInsns, itState),
    translateResume: (key, maxInsns, env) => translateBlock(tables, helpers, mem, key, maxInsns, mem.view.getInt32(env + ITSTATE, true)),
    disassemble: (key, size) => disas.lines(key, size),
    dumpState: (env) => dumpArmState(mem, env),
  };
}
