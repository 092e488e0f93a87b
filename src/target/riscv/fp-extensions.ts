// The F and D extensions as the frontend sees them: their decode tables (32-bit and RVC) and
// the registration of their helpers.
import { HelperRegistry } from '../../tcg/frontend.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { CPattern, Pattern } from './decode.js';
import { makeFpHelpers } from './fp-helpers.js';
import { RVF } from './rvf.js';
import { RVD, RVD_RVC } from './rvd.js';

export const RVF_PATTERNS: Pattern[] = RVF;
export const RVD_PATTERNS: Pattern[] = RVD;
/** c.fld, c.fsd, c.fldsp, c.fsdsp: present when both C and D are. */
export const RVD_RVC_PATTERNS: CPattern[] = RVD_RVC;

export function registerFpHelpers(reg: HelperRegistry, mem: GuestMemory): void {
  for (const h of makeFpHelpers(mem.view)) reg.add(h);
}
