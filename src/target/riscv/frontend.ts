// The RISC-V 64 frontend: the decode tables of every extension, the helpers their IR calls, the
// block translator and the disassembler, behind the tcg layer's Frontend interface.
import { Frontend, HelperRegistry } from '../../tcg/frontend.js';
import { Helper } from '../../tcg/ir.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { RISCV_LAYOUT } from './cpu-state.js';
import { Disassembler } from './disas.js';
import { dumpRiscvState } from './cpu-dump.js';
import { RVD_PATTERNS, RVD_RVC_PATTERNS, RVF_PATTERNS, registerFpHelpers } from './fp-extensions.js';
import { CPattern, Pattern } from './decode.js';
import { RVA_PATTERNS } from './rva.js';
import { RVC_PATTERNS } from './rvc.js';
import { RVI_PATTERNS } from './rvi.js';
import { RVM_PATTERNS } from './rvm.js';
import { DecodeTables, Fetch16, translateBlock } from './translate.js';
import { PRIV_PATTERNS } from './privileged.js';
import { ZBA_PATTERNS, ZBB_PATTERNS, ZBS_PATTERNS } from './zb.js';
import { CSR_HELPERS, CSR_NAMES, ZICSR_PATTERNS } from './zicsr.js';
import { ZIFENCEI_PATTERNS } from './zifencei.js';

/** The decode tables by the extensions they need (qemu's -cpu property names), most frequent
 *  first: the tables do not overlap, so order only affects speed. */
const EXTENSIONS: { needs: string[]; insn32?: Pattern[]; insn16?: CPattern[] }[] = [
  { needs: [], insn32: RVI_PATTERNS },
  { needs: ['m'], insn32: RVM_PATTERNS },
  { needs: ['a'], insn32: RVA_PATTERNS },
  { needs: ['zicsr'], insn32: ZICSR_PATTERNS },
  { needs: ['zifencei'], insn32: ZIFENCEI_PATTERNS },
  { needs: ['zba'], insn32: ZBA_PATTERNS },
  { needs: ['zbb'], insn32: ZBB_PATTERNS },
  { needs: ['zbs'], insn32: ZBS_PATTERNS },
  { needs: ['f'], insn32: RVF_PATTERNS },
  { needs: ['f', 'd'], insn32: RVD_PATTERNS },
  { needs: ['c'], insn16: RVC_PATTERNS },
  { needs: ['c', 'f', 'd'], insn16: RVD_RVC_PATTERNS },
];

/** What system mode (src/system) changes: code is fetched through its MMU, the privileged
 *  instructions (privileged.ts) replace Zicsr's user-mode translators, its own helpers (the
 *  softmmu's loads and stores) join the frontend's, and while mstatus.FS is Off the F and D
 *  instructions are illegal (privileged ISA 3.1.6.6): `fpEnabled` says which, at translation. */
export interface SystemModeHooks {
  fetch16: Fetch16;
  helpers: Helper[];
  fpEnabled: () => boolean;
  /** The privileged CSRs' names, for the disassembler (qemu's names every CSR). */
  csrNames: Record<number, string>;
}

/** `ext` holds -cpu's extension switches; an extension not named stays on. */
export function createRiscvFrontend(
  mem: GuestMemory, ext: Record<string, boolean> = {}, system?: SystemModeHooks,
): Frontend {
  const helpers = new HelperRegistry();
  for (const h of CSR_HELPERS) helpers.add(h);
  registerFpHelpers(helpers, mem);
  for (const h of system?.helpers ?? []) helpers.add(h);
  const chosen = EXTENSIONS.filter((e) => e.needs.every((name) => ext[name] !== false));
  const tablesOf = (exts: typeof EXTENSIONS): DecodeTables => {
    const insn32 = exts.flatMap((e) => (e.insn32 ? [e.insn32] : []));
    return {
      insn32: system ? [...insn32.filter((t) => t !== ZICSR_PATTERNS), PRIV_PATTERNS] : insn32,
      insn16: exts.flatMap((e) => e.insn16 ?? []),
      fetch16: system?.fetch16,
    };
  };
  const tables = tablesOf(chosen);
  const noFp = system && tablesOf(chosen.filter((e) => !e.needs.includes('f')));
  const disas = new Disassembler(tables, mem, system && { ...CSR_NAMES, ...system.csrNames });
  return {
    name: 'riscv64',
    layout: RISCV_LAYOUT,
    helpers: helpers.list,
    translate: noFp
      ? (pc, maxInsns) => translateBlock(system.fpEnabled() ? tables : noFp, helpers, mem, pc, maxInsns)
      : (pc, maxInsns) => translateBlock(tables, helpers, mem, pc, maxInsns),
    disassemble: (pc, size) => disas.lines(pc, size),
    dumpState: (env) => dumpRiscvState(mem, env),
  };
}
