// VFPv3 and Advanced SIMD as the frontend sees them: their decode tables and the registration
// of their helpers. The tables are searched after the integer ones:
//   VFP_A32_PATTERNS        A32 with a condition (cond != 1111; the block loop applies it)
//   VFP_A32_UNCOND_PATTERNS A32 with cond = 1111 (the Advanced SIMD data-processing and
//                           element/structure load/store spaces, A7.4 / A7.7)
//   VFP_T32_PATTERNS        32-bit Thumb encodings (IT blocks apply the condition)
// Empty until the VFP/NEON decoders land: those instructions are UNDEFINED (SIGILL) meanwhile.
import { HelperRegistry } from '../../tcg/frontend.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { ArmPattern } from './decode.js';

export const VFP_A32_PATTERNS: ArmPattern[] = [];
export const VFP_A32_UNCOND_PATTERNS: ArmPattern[] = [];
export const VFP_T32_PATTERNS: ArmPattern[] = [];

export function registerVfpHelpers(_reg: HelperRegistry, _mem: GuestMemory): void {
  // No VFP helpers yet.
}
