// How qemu-arm's listing spells the Advanced SIMD patterns of neon-extensions.ts (ARM ARM A7.4,
// A7.7). One name covers encodings of several shapes (VMLA: three registers of the same
// length, integer or float, or by scalar; VSHL by register or by immediate), so each name's
// entry reads the shape from the bits below the U bit (the same in A32 and T32: A32's U is bit
// 24, T32's bit 28).
import type { Fields } from './decode.js';
import { Formatted, Formatter, InsnInfo, bits, imm, reg, uimm } from './disas-operands.js';
import { vfpImm } from './disas-vfp.js';

const uBit = (x: InsnInfo): number => bits(x, x.thumb ? 28 : 24, 1);
/** A D or Q register from the 4-bit field and its extra bit (A7.3). */
const vr = (q: number, v: number, hi: number): string => (q ? `q${((hi << 4) | v) >>> 1}` : `d${(hi << 4) | v}`);
const dr = (v: number, hi: number): string => `d${(hi << 4) | v}`;

/** Which data types the three-register instructions name, by name. */
const TYPED = new Set(['vhadd', 'vqadd', 'vrhadd', 'vhsub', 'vqsub', 'vcgt', 'vcge', 'vshl', 'vqshl', 'vrshl', 'vqrshl',
  'vmax', 'vmin', 'vabd', 'vaba', 'vpmax', 'vpmin']);
const SIGNED_ONLY = new Set(['vqdmulh', 'vqrdmulh']);
const SHIFT_BY_REG = new Set(['vshl', 'vqshl', 'vrshl', 'vqrshl']);
const BITWISE = [['vand', 'vbic', 'vorr', 'vorn'], ['veor', 'vbsl', 'vbit', 'vbif']];

/** Three registers of the same length (A7.4.1). */
function same(name: string, f: Fields, x: InsnInfo): Formatted {
  const u = uBit(x);
  const [d, n, m] = [vr(f.Q, f.d, f.D), vr(f.Q, f.n, f.N), vr(f.Q, f.m, f.M)];
  if (name === 'vand') return [`${BITWISE[u][f.z]}${x.cond}`, `${d}, ${n}, ${m}`];
  const float = bits(x, 23, 1) === 0 && bits(x, 8, 4) >= 13;
  const size = 8 << f.z;
  const dt = float ? '.f32' : TYPED.has(name) ? `.${u ? 'u' : 's'}${size}` : SIGNED_ONLY.has(name) ? `.s${size}`
    : name === 'vmul' && u ? '.p8' : name === 'vtst' ? `.${size}` : `.i${size}`;
  return [`${name}${x.cond}${dt}`, SHIFT_BY_REG.has(name) && !float ? `${d}, ${m}, ${n}` : `${d}, ${n}, ${m}`];
}

/** Three registers of different lengths (A7.4.2): long (Q = D op D), wide (Q = Q op D),
 *  narrow (D = Q op Q). */
function diff(name: string, f: Fields, x: InsnInfo): Formatted {
  const u = uBit(x);
  const size = 8 << f.z;
  const [qd, qn, dn, dm] = [vr(1, f.d, f.D), vr(1, f.n, f.N), dr(f.n, f.N), dr(f.m, f.M)];
  if (name.endsWith('hn')) return [`${name}${x.cond}.i${size * 2}`, `${dr(f.d, f.D)}, ${qn}, ${vr(1, f.m, f.M)}`];
  const dt = name.startsWith('vqd') ? `.s${size}` : name === 'vmull' && bits(x, 9, 1) ? '.p8' : `.${u ? 'u' : 's'}${size}`;
  return [`${name}${x.cond}${dt}`, `${qd}, ${name.endsWith('w') ? qn : dn}, ${dm}`];
}

/** Two registers and a scalar (A7.4.3): Dm[x] from M:Vm by the size. */
function scalar(name: string, f: Fields, x: InsnInfo): Formatted {
  const u = uBit(x);
  const size = 8 << f.z;
  const sc = f.z === 1 ? `d${f.m & 7}[${(f.M << 1) | (f.m >>> 3)}]` : `d${f.m}[${f.M}]`;
  const op = bits(x, 8, 4);
  if (op & 2 && op < 12) {
    const dt = name.startsWith('vqd') ? `.s${size}` : `.${u ? 'u' : 's'}${size}`;
    return [`${name}${x.cond}${dt}`, `${vr(1, f.d, f.D)}, ${dr(f.n, f.N)}, ${sc}`];
  }
  const float = (op & 3) === 1 && op < 12;
  const dt = float ? '.f32' : name.startsWith('vq') ? `.s${size}` : `.i${size}`;
  return [`${name}${x.cond}${dt}`, `${vr(u, f.d, f.D)}, ${vr(u, f.n, f.N)}, ${sc}`];
}

const SHIFT_TYPES: Record<string, (u: number, size: number) => string> = {
  vshr: (u, s) => `${u ? 'u' : 's'}${s}`, vsra: (u, s) => `${u ? 'u' : 's'}${s}`,
  vrshr: (u, s) => `${u ? 'u' : 's'}${s}`, vrsra: (u, s) => `${u ? 'u' : 's'}${s}`,
  vsri: (_u, s) => `${s}`, vsli: (_u, s) => `${s}`, vshl: (_u, s) => `i${s}`,
  vqshlu: (_u, s) => `s${s}`, vqshl: (u, s) => `${u ? 'u' : 's'}${s}`,
  vshrn: (_u, s) => `i${s * 2}`, vrshrn: (_u, s) => `i${s * 2}`,
  vqshrun: (_u, s) => `s${s * 2}`, vqrshrun: (_u, s) => `s${s * 2}`,
  vqshrn: (u, s) => `${u ? 'u' : 's'}${s * 2}`, vqrshrn: (u, s) => `${u ? 'u' : 's'}${s * 2}`,
  vshll: (u, s) => `${u ? 'u' : 's'}${s}`,
};
const LEFT = new Set(['vsli', 'vshl', 'vqshlu', 'vqshl', 'vshll']);

/** Two registers and a shift amount (A7.4.4): the element size from L:imm6. */
function shift(name: string, f: Fields, x: InsnInfo): Formatted {
  const u = uBit(x);
  const size = f.L ? 64 : f.i >= 32 ? 32 : f.i >= 16 ? 16 : 8;
  if (name === 'vcvt') {
    const to = bits(x, 8, 1) ? `.${u ? 'u' : 's'}32.f32` : `.f32.${u ? 'u' : 's'}32`;
    return [`vcvt${x.cond}${to}`, `${vr(f.Q, f.d, f.D)}, ${vr(f.Q, f.m, f.M)}, ${imm(64 - f.i)}`];
  }
  const amount = LEFT.has(name) ? (f.L ? f.i : f.i - size) : (f.L ? 64 : 2 * size) - f.i;
  const dt = SHIFT_TYPES[name](u, size);
  if (name === 'vshll') {
    if (amount === 0) return [`vmovl${x.cond}.${dt}`, `${vr(1, f.d, f.D)}, ${dr(f.m, f.M)}`];
    return [`vshll${x.cond}.${dt}`, `${vr(1, f.d, f.D)}, ${dr(f.m, f.M)}, ${imm(amount)}`];
  }
  if (bits(x, 8, 4) >= 8) return [`${name}${x.cond}.${dt}`, `${dr(f.d, f.D)}, ${vr(1, f.m, f.M)}, ${imm(amount)}`];
  return [`${name}${x.cond}.${dt}`, `${vr(f.Q, f.d, f.D)}, ${vr(f.Q, f.m, f.M)}, ${imm(amount)}`];
}

/** Two registers, miscellaneous (A7.4.5). */
function misc(name: string, f: Fields, x: InsnInfo): Formatted {
  const size = 8 << f.z;
  const [d, m] = [vr(f.Q ?? 0, f.d, f.D), vr(f.Q ?? 0, f.m, f.M)];
  const float = bits(x, 10, 1) === 1 && bits(x, 16, 2) === 1;
  switch (name) {
    case 'vmvn': case 'vswp': return [`${name}${x.cond}`, `${d}, ${m}`];
    case 'vrev64': case 'vrev32': case 'vrev16': case 'vtrn': case 'vuzp': case 'vzip': case 'vcnt':
      return [`${name}${x.cond}.${size}`, `${d}, ${m}`];
    case 'vpaddl': case 'vpadal': return [`${name}${x.cond}.${bits(x, 7, 1) ? 'u' : 's'}${size}`, `${d}, ${m}`];
    case 'vclz': return [`vclz${x.cond}.i${size}`, `${d}, ${m}`];
    case 'vcgt': case 'vcge': case 'vceq': case 'vcle': case 'vclt':
      return [`${name}${x.cond}.${float ? 'f32' : name === 'vceq' ? `i${size}` : `s${size}`}`, `${d}, ${m}, #0`];
    case 'vabs': case 'vneg': return [`${name}${x.cond}.${float ? 'f32' : `s${size}`}`, `${d}, ${m}`];
    case 'vmovn': return [`vmovn${x.cond}.i${size * 2}`, `${dr(f.d, f.D)}, ${vr(1, f.m, f.M)}`];
    case 'vqmovun': return [`vqmovun${x.cond}.s${size * 2}`, `${dr(f.d, f.D)}, ${vr(1, f.m, f.M)}`];
    case 'vqmovn': return [`vqmovn${x.cond}.${bits(x, 6, 1) ? 'u' : 's'}${size * 2}`, `${dr(f.d, f.D)}, ${vr(1, f.m, f.M)}`];
    case 'vcvt': {
      const op = bits(x, 7, 2);
      return [`vcvt${x.cond}${['.f32.s32', '.f32.u32', '.s32.f32', '.u32.f32'][op]}`, `${d}, ${m}`];
    }
    case 'vrecpe': case 'vrsqrte': return [`${name}${x.cond}.${bits(x, 8, 1) ? 'f' : 'u'}32`, `${d}, ${m}`];
    default: return [`${name}${x.cond}.s${size}`, `${d}, ${m}`]; // vcls, vqabs, vqneg
  }
}

/** VMOV, VMVN, VORR, VBIC with a modified immediate (A7.4.6), by cmode and op. */
function modImm(f: Fields, x: InsnInfo): Formatted | undefined {
  const imm8 = (uBit(x) << 7) | f.i;
  const cmode = f.c, op = f.o;
  const d = vr(f.Q, f.d, f.D);
  const at = (name: string, dt: string, v: string): Formatted => [`${name}${x.cond}.${dt}`, `${d}, ${v}`];
  if (cmode < 8) return at((cmode & 1 ? ['vorr', 'vbic'] : ['vmov', 'vmvn'])[op], 'i32', uimm(imm8 * 2 ** (8 * (cmode >>> 1))));
  if (cmode < 12) return at((cmode & 1 ? ['vorr', 'vbic'] : ['vmov', 'vmvn'])[op], 'i16', uimm(imm8 << (8 * ((cmode >>> 1) & 1))));
  if (cmode < 14) return at(['vmov', 'vmvn'][op], 'i32', uimm(cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff));
  if (cmode === 14 && !op) return at('vmov', 'i8', uimm(imm8));
  if (cmode === 14) {
    let v = 0n;
    for (let b = 7; b >= 0; b--) v = (v << 8n) | ((imm8 >>> b) & 1 ? 0xffn : 0n);
    return at('vmov', 'i64', `#0x${v.toString(16)}`);
  }
  if (!op) return at('vmov', 'f32', vfpImm(imm8));
  return undefined;
}

/** VLDn/VSTn of multiple structures: [registers, spacing] by bits 11:8 (A7.7, table A7-21). */
const MULTIPLE: Record<number, [number, number]> = {
  0b0111: [1, 1], 0b1010: [2, 1], 0b0110: [3, 1], 0b0010: [4, 1], 0b1000: [2, 1], 0b1001: [2, 2], 0b0011: [4, 1],
  0b0100: [3, 1], 0b0101: [3, 2], 0b0000: [4, 1], 0b0001: [4, 2],
};
const ALIGN = ['', ':0x40', ':0x80', ':0x100'];

/** `[rn:align]`, then `!` (Rm = sp) or `, rm` (Rm = pc is no writeback). */
const address = (rn: number, align: string, rm: number): string =>
  `[${reg(rn)}${align}]${rm === 13 ? '!' : rm === 15 ? '' : `, ${reg(rm)}`}`;

/** The alignment in a single lane's index_align (A8.8.322, A8.8.325, A8.8.331): none for
 *  VLD3/VST3; the element times the structure size (four 32-bit elements: 64 or 128). */
function laneAlign(n: number, size: number, ia: number): string {
  if (n === 3) return '';
  const wanted = n === 4 && size === 2 ? ia & 3 : ia & (size === 2 && n === 1 ? 3 : 1);
  if (!wanted) return '';
  const alignBits = n === 4 && size === 2 ? 64 << (wanted - 1) : (8 << size) * n;
  return `:0x${alignBits.toString(16)}`;
}

function structures(n: number, f: Fields, x: InsnInfo): Formatted {
  const op = bits(x, 23, 1) ? -1 : bits(x, 8, 4);
  const mn = `${bits(x, 21, 1) ? 'vld' : 'vst'}${n}${x.cond}`;
  const first = (f.D << 4) | f.d;
  if (op >= 0) {
    const [count, step] = MULTIPLE[op];
    const list = Array.from({ length: count }, (_, k) => `d${first + k * step}`).join(', ');
    return [`${mn}.${8 << f.z}`, `{${list}}, ${address(f.r, ALIGN[f.a], f.w)}`];
  }
  // One lane (A8.8.322 and friends): the index and spacing from index_align.
  const size = bits(x, 10, 2);
  const ia = bits(x, 4, 4);
  const index = ia >>> (size + 1);
  const step = size && (ia >>> size) & 1 ? 2 : 1;
  const list = Array.from({ length: n }, (_, k) => `d${first + k * step}[${index}]`).join(', ');
  return [`${mn}.${8 << size}`, `{${list}}, ${address(f.r, laneAlign(n, size, ia), f.w)}`];
}

/** VLDn to all lanes (A8.8.320 and friends). */
const allLanes = (n: number): Formatter => (f, x) => {
  const first = (f.D << 4) | f.d;
  const count = n === 1 ? f.T + 1 : n;
  const step = n === 1 ? 1 : f.T + 1;
  const list = Array.from({ length: count }, (_, k) => `d${first + k * step}[]`).join(', ');
  // The alignment a = 1 asks for: the element, a pair of them, or for four 32-bit ones 128 bits.
  const bitsOf = n === 4 && f.z === 2 ? 128 : n === 3 ? 0 : (8 << f.z) * (n === 4 ? 4 : n);
  return [`vld${n}${x.cond}.${8 << f.z}`, `{${list}}, ${address(f.r, f.a && bitsOf ? `:0x${bitsOf.toString(16)}` : '', f.w)}`];
};

/** The shapes of A7.4 by bits 23, 21:20, 11:4 of the instruction. */
function shapeOf(x: InsnInfo): 'same' | 'misc' | 'diff' | 'scalar' | 'shift' | 'other' {
  if (!bits(x, 23, 1)) return 'same';
  if (bits(x, 4, 1)) return 'shift';
  if (bits(x, 20, 2) === 3) return 'other';
  return bits(x, 6, 1) ? 'scalar' : 'diff';
}

const dataProcessing = (name: string): Formatter => (f, x) => {
  switch (shapeOf(x)) {
    case 'same': return same(name, f, x);
    case 'shift': return name === 'vmov' ? modImm(f, x) : shift(name, f, x);
    case 'diff': return diff(name, f, x);
    case 'scalar': return scalar(name, f, x);
    // Bits 21:20 = 11 outside the miscellaneous group: a wider shape's size 11 that tsemu
    // does not decode (VSHLL with the largest shift lies there).
    default: return MISC.has(name) ? misc(name, f, x) : undefined;
  }
};

const MISC = new Set(['vrev64', 'vrev32', 'vrev16', 'vpaddl', 'vcls', 'vclz', 'vcnt', 'vmvn', 'vpadal', 'vqabs', 'vqneg',
  'vcgt', 'vcge', 'vceq', 'vcle', 'vclt', 'vabs', 'vneg', 'vswp', 'vtrn', 'vuzp', 'vzip', 'vmovn', 'vqmovun', 'vqmovn',
  'vcvt', 'vrecpe', 'vrsqrte']);
const NAMES = ['vmov', 'vrev64', 'vrev32', 'vrev16', 'vpaddl', 'vcls', 'vclz', 'vcnt', 'vmvn', 'vpadal', 'vqabs', 'vqneg',
  'vcgt', 'vcge', 'vceq', 'vcle', 'vclt', 'vabs', 'vneg', 'vswp', 'vtrn', 'vuzp', 'vzip', 'vmovn', 'vqmovun', 'vqmovn',
  'vcvt', 'vrecpe', 'vrsqrte', 'vaddl', 'vaddw', 'vsubl', 'vsubw', 'vaddhn', 'vraddhn', 'vrsubhn', 'vqdmlal', 'vqdmlsl',
  'vqdmull', 'vmull', 'vabal', 'vsubhn', 'vabdl', 'vmlal', 'vmlsl', 'vmla', 'vmls', 'vmul', 'vqdmulh', 'vqrdmulh', 'vshr',
  'vsra', 'vrshr', 'vrsra', 'vsri', 'vshl', 'vsli', 'vqshlu', 'vqshl', 'vshrn', 'vrshrn', 'vqshrun', 'vqrshrun', 'vqshrn',
  'vqrshrn', 'vshll', 'vhadd', 'vqadd', 'vrhadd', 'vand', 'vhsub', 'vqsub', 'vabd', 'vaba', 'vadd', 'vsub', 'vtst',
  'vpmax', 'vpmin', 'vpadd', 'vmax', 'vmin', 'vacge', 'vacgt', 'vrecps', 'vrsqrts', 'vrshl', 'vqrshl'];

export const NEON_FORMATS: Record<string, Formatter> = {
  ...Object.fromEntries(NAMES.map((n) => [n, dataProcessing(n)])),
  vtbl: (f, x) => {
    const first = (f.N << 4) | f.n;
    const list = Array.from({ length: f.l + 1 }, (_, k) => `d${first + k}`).join(', ');
    return [`vtb${f.o ? 'x' : 'l'}${x.cond}.8`, `${dr(f.d, f.D)}, {${list}}, ${dr(f.m, f.M)}`];
  },
  vdup: (f, x) => {
    if (f.t !== undefined) {
      const size = f.b ? 8 : f.e ? 16 : 32;
      return [`vdup${x.cond}.${size}`, `${vr(f.Q, f.d, f.D)}, ${reg(f.t)}`];
    }
    const [size, index] = f.i & 1 ? [8, f.i >>> 1] : f.i & 2 ? [16, f.i >>> 2] : [32, f.i >>> 3];
    return [`vdup${x.cond}.${size}`, `${vr(f.Q, f.d, f.D)}, ${dr(f.m, f.M)}[${index}]`];
  },
  // The byte index is listed in the largest element size it is a multiple of (64 bits for Q only).
  vext: (f, x) => {
    const size = f.Q && f.i % 8 === 0 ? 64 : f.i % 4 === 0 ? 32 : f.i % 2 === 0 ? 16 : 8;
    return [`vext${x.cond}.${size}`, `${vr(f.Q, f.d, f.D)}, ${vr(f.Q, f.n, f.N)}, ${vr(f.Q, f.m, f.M)}, ${imm(f.i / (size / 8))}`];
  },
  vldst1: (f, x) => structures(1, f, x), vldst2: (f, x) => structures(2, f, x),
  vldst3: (f, x) => structures(3, f, x), vldst4: (f, x) => structures(4, f, x),
  vld1: allLanes(1), vld2: allLanes(2), vld3: allLanes(3), vld4: allLanes(4),
};
