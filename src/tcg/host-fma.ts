// The host's fused multiply-add, for the IR's FMulAdd. WebAssembly has no deterministic fma;
// relaxed SIMD's f64x2.relaxed_madd computes a * b + c either fused (one rounding) or not, as the
// host chooses, and V8 fuses it where the CPU has an fma instruction (x86-64's FMA3, arm64). A
// probe with operands whose two answers differ tells which this host gives: only a fused one
// is used (the frontends fall back on their exact integer expansion otherwise). On Node 20 the
// instruction is behind V8's --experimental-wasm-relaxed-simd (on by default from Node 22),
// which the probe turns on for the process first: it changes nothing else.
import { setFlagsFromString } from 'node:v8';
import { CodeWriter, O, ValType, encodeModule } from './wasm-encoder.js';

export type MaddFn = (a: number, b: number, c: number) => number;

let madd: MaddFn | null | undefined;

/** a * b + c rounded once to nearest even, by the host's fused instruction; null when the host
 *  has none (then no FMulAdd op may be made). */
export function hostFusedMadd(): MaddFn | null {
  if (madd === undefined) madd = probe();
  return madd;
}

function probe(): MaddFn | null {
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // An embedder that forbids flags: the probe below fails to validate, and says no.
  }
  const code = new CodeWriter();
  for (let i = 0; i < 3; i++) {
    code.opU(O.local_get, i);
    code.simd('f64x2_splat');
  }
  code.simd('f64x2_relaxed_madd');
  code.simd('f64x2_extract_lane', 0);
  code.op(O.end);
  const bytes = encodeModule([{ params: [ValType.F64, ValType.F64, ValType.F64], results: [ValType.F64] }], [], [0], ['madd'],
    [{ locals: [], code }]);
  if (!WebAssembly.validate(bytes)) return null;
  const f = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.madd as MaddFn;
  // (1 + 2^-52)(1 - 2^-52) - 1 is -2^-104 exactly; with the product rounded first (to 1) it is 0.
  return f(1 + 2 ** -52, 1 - 2 ** -52, -1) === -(2 ** -104) ? f : null;
}

/** Runs `fn` as on a host without a fused multiply-add, so that what it translates takes the
 *  frontends' integer expansion: how tests reach that path on a host that has one. */
export function withoutHostFma<T>(fn: () => T): T {
  const saved = hostFusedMadd();
  madd = null;
  try {
    return fn();
  } finally {
    madd = saved;
  }
}
