// The F and D extensions as the frontend sees them: their decode tables (32-bit and RVC) and
// the registration of their helpers.
import { HelperRegistry } from '../../tcg/frontend.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { CPattern, Pattern } from './decode.js';
import { makeFpHelpers } from './fp-helpers.js';
import { RVF } from './rvf.js';
import { RVD, RVD_RVC } from './rvd.js';

export const FP_TABLES: Pattern[][] = [RVF, RVD];
export const FP_RVC_PATTERNS: CPattern[] = RVD_RVC;

export function registerFpHelpers(reg: HelperRegistry, mem: GuestMemory): void {
  for (const h of makeFpHelpers(mem.view)) reg.add(h);
}
