// The F and D extensions as the frontend sees them: their decode tables (32-bit and RVC) and
// the registration of their helpers.
import { HelperRegistry } from '../../tcg/frontend.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { CPattern, Pattern } from './decode.js';

export const FP_TABLES: Pattern[][] = [];
export const FP_RVC_PATTERNS: CPattern[] = [];

export function registerFpHelpers(reg: HelperRegistry, mem: GuestMemory): void {
  void reg;
  void mem;
}
