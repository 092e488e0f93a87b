// Random riscv64 instructions per extension, each a valid encoding with no reserved field
// values: integer results go to any register but sp (x2), which holds the scratch buffer's
// address; memory accesses stay inside that buffer; branches jump forward by whole items.
import { Prng } from './prng.js';
import { Insn, Item, half16, word32 } from './sequence.js';
import * as E from './riscv-encode.js';

export const SCRATCH = 256;
export const SP = 2;

export const RISCV_EXTS = ['I', 'M', 'A', 'F', 'D', 'C', 'Zba', 'Zbb', 'Zbs'] as const;
export type RiscvExt = (typeof RISCV_EXTS)[number];

type Gen = (p: Prng) => Item;

const x = (n: number): string => `x${n}`;
const f = (n: number): string => `f${n}`;
/** A destination register: any but sp, x0 now and then. */
const rd = (p: Prng): number => (p.chance(0.03) ? 0 : p.pick(WRITABLE));
const WRITABLE = [...Array(32).keys()].filter((n) => n !== 0 && n !== SP);
/** A source register: any, sp included (its value is the same under every emulator). */
const rs = (p: Prng): number => p.below(32);
/** A register for an address, set from sp by the item itself. */
const base = (p: Prng): number => p.pick(WRITABLE);
const rvc = (p: Prng): number => p.range(8, 15);
const one = (w: number, text: string): Item => ({ insns: [word32(w, text)] });
const oneC = (h: number, text: string): Item => ({ insns: [half16(h, text)] });
const RM = ['rne', 'rtz', 'rdn', 'rup', 'rmm', '', '', 'dyn'];
const rm = (p: Prng): number => (p.chance(0.5) ? 7 : p.range(0, 4));
/** An offset into the scratch buffer for an access of `size` bytes, usually aligned. */
const offset = (p: Prng, size: number): number =>
  p.chance(0.85) ? p.below(SCRATCH / size) * size : p.below(SCRATCH - size + 1);

function r3(op: number, f3: number, f7: number, name: string): Gen {
  return (p) => { const [d, a, c] = [rd(p), rs(p), rs(p)]; return one(E.r(op, f3, f7, d, a, c), `${name} ${x(d)},${x(a)},${x(c)}`); };
}
/** rs2 is part of the opcode (clz, sext.b, ...). */
function r2(op: number, f3: number, f7: number, rs2: number, name: string): Gen {
  return (p) => { const [d, a] = [rd(p), rs(p)]; return one(E.r(op, f3, f7, d, a, rs2), `${name} ${x(d)},${x(a)}`); };
}
function imm12(op: number, f3: number, name: string): Gen {
  return (p) => {
    const [d, a, v] = [rd(p), rs(p), p.chance(0.3) ? p.range(-4, 4) : p.range(-2048, 2047)];
    return one(E.i(op, f3, d, a, v), `${name} ${x(d)},${x(a)},${v}`);
  };
}
/** A shift by immediate: funct6/funct7 `hi` above a `bits`-wide shamt. */
function shift(op: number, f3: number, hi: number, bits: 5 | 6, name: string): Gen {
  return (p) => {
    const [d, a, sh] = [rd(p), rs(p), p.bits(bits)];
    return one(E.i(op, f3, d, a, (hi << bits) | sh), `${name} ${x(d)},${x(a)},${sh}`);
  };
}

/** Loads and stores at sp + offset, or through another register set from sp by the item. */
function access(name: string, size: number, enc: (reg: number, baseReg: number, off: number) => number, regName: (n: number) => string, isFpOrStore: boolean): Gen {
  return (p) => {
    const at = offset(p, size);
    const reg = isFpOrStore ? p.below(32) : rd(p);
    if (p.chance(0.6)) return one(enc(reg, SP, at), `${name} ${regName(reg)},${at}(sp)`);
    const r = base(p), off = p.range(-64, 64);
    return {
      insns: [word32(E.i(E.OPIMM, 0, r, SP, at - off), `addi ${x(r)},sp,${at - off}`),
        word32(enc(reg, r, off), `${name} ${regName(reg)},${off}(${x(r)})`)],
    };
  };
}
const load = (f3: number, name: string, size: number): Gen =>
  access(name, size, (d, b, o) => E.i(E.LOAD, f3, d, b, o), x, false);
const store = (f3: number, name: string, size: number): Gen =>
  access(name, size, (v, b, o) => E.s(E.STORE, f3, v, b, o), x, true);

const BRANCHES: [string, number][] = [['beq', 0], ['bne', 1], ['blt', 4], ['bge', 5], ['bltu', 6], ['bgeu', 7]];

/** A forward branch item skipping 0-3 items; `enc` gives its instructions for a distance. */
const branch = (p: Prng, enc: (distance: number) => Insn[]): Item => ({ insns: enc(0), skip: p.below(4), retarget: enc });

const I: Gen[] = [
  ...([['add', 0, 0], ['sub', 0, 0x20], ['sll', 1, 0], ['slt', 2, 0], ['sltu', 3, 0], ['xor', 4, 0], ['srl', 5, 0],
    ['sra', 5, 0x20], ['or', 6, 0], ['and', 7, 0]] as const).map(([n, f3, f7]) => r3(E.OP, f3, f7, n)),
  ...([['addw', 0, 0], ['subw', 0, 0x20], ['sllw', 1, 0], ['srlw', 5, 0], ['sraw', 5, 0x20]] as const).map(([n, f3, f7]) => r3(E.OP32, f3, f7, n)),
  ...([['addi', 0], ['slti', 2], ['sltiu', 3], ['xori', 4], ['ori', 6], ['andi', 7]] as const).map(([n, f3]) => imm12(E.OPIMM, f3, n)),
  imm12(E.OPIMM32, 0, 'addiw'),
  shift(E.OPIMM, 1, 0, 6, 'slli'), shift(E.OPIMM, 5, 0, 6, 'srli'), shift(E.OPIMM, 5, 0x10, 6, 'srai'),
  shift(E.OPIMM32, 1, 0, 5, 'slliw'), shift(E.OPIMM32, 5, 0, 5, 'srliw'), shift(E.OPIMM32, 5, 0x20, 5, 'sraiw'),
  (p) => { const [d, v] = [rd(p), p.bits(20)]; return one(E.u(E.LUI, d, v), `lui ${x(d)},0x${v.toString(16)}`); },
  (p) => { const [d, v] = [rd(p), p.bits(20)]; return one(E.u(E.AUIPC, d, v), `auipc ${x(d)},0x${v.toString(16)}`); },
  ...([['lb', 0, 1], ['lh', 1, 2], ['lw', 2, 4], ['ld', 3, 8], ['lbu', 4, 1], ['lhu', 5, 2], ['lwu', 6, 4]] as const).map(([n, f3, sz]) => load(f3, n, sz)),
  ...([['sb', 0, 1], ['sh', 1, 2], ['sw', 2, 4], ['sd', 3, 8]] as const).map(([n, f3, sz]) => store(f3, n, sz)),
  (p) => {
    const [[n, f3], a, c] = [p.pick(BRANCHES), rs(p), p.chance(0.2) ? 0 : rs(p)];
    return branch(p, (d) => [word32(E.b(f3, a, c, d), `${n} ${x(a)},${x(c)},.+${d}`)]);
  },
  (p) => { const d = rd(p); return branch(p, (dist) => [word32(E.j(d, dist), `jal ${x(d)},.+${dist}`)]); },
  (p) => {
    // auipc then jalr through it: the target is the auipc's address plus the distance.
    const [t, d] = [base(p), rd(p)];
    return branch(p, (dist) => [word32(E.u(E.AUIPC, t, 0), `auipc ${x(t)},0`), word32(E.i(E.JALR, 0, d, t, dist), `jalr ${x(d)},${dist}(${x(t)})`)]);
  },
  (p) => one(E.i(E.MISCMEM, 0, 0, 0, p.pick([0x0ff, 0x033, 0x833])), 'fence'),
];

const M: Gen[] = [
  ...(['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'] as const).map((n, f3) => r3(E.OP, f3, 1, n)),
  ...([['mulw', 0], ['divw', 4], ['divuw', 5], ['remw', 6], ['remuw', 7]] as const).map(([n, f3]) => r3(E.OP32, f3, 1, n)),
];

const AMOS: [string, number][] = [['amoswap', 1], ['amoadd', 0], ['amoxor', 4], ['amoand', 12], ['amoor', 8],
  ['amomin', 16], ['amomax', 20], ['amominu', 24], ['amomaxu', 28]];
const amo = (f5: number, aqrl: number, rdN: number, rs1: number, rs2: number, f3: number): number =>
  E.r(E.AMO, f3, (f5 << 2) | aqrl, rdN, rs1, rs2);
const A: Gen[] = [
  (p) => {
    const [[n, f5], d64, t, d, v, aqrl] = [p.pick(AMOS), p.chance(0.5), base(p), rd(p), rs(p), p.bits(2)];
    const at = offset(p, d64 ? 8 : 4) & ~(d64 ? 7 : 3);
    const name = `${n}.${d64 ? 'd' : 'w'}`;
    return { insns: [word32(E.i(E.OPIMM, 0, t, SP, at), `addi ${x(t)},sp,${at}`), word32(amo(f5, aqrl, d, t, v, d64 ? 3 : 2), `${name} ${x(d)},${x(v)},(${x(t)})`)] };
  },
  (p) => {
    // LR and its SC at the same address: the SC succeeds (single thread, nothing in between).
    const [d64, t, v, aqrl] = [p.chance(0.5), base(p), rs(p), p.bits(2)];
    const d1 = p.pick(WRITABLE.filter((r) => r !== t)), d2 = rd(p);
    const at = offset(p, d64 ? 8 : 4) & ~(d64 ? 7 : 3), sz = d64 ? 'd' : 'w', f3 = d64 ? 3 : 2;
    return {
      insns: [word32(E.i(E.OPIMM, 0, t, SP, at), `addi ${x(t)},sp,${at}`),
        word32(amo(2, aqrl, d1, t, 0, f3), `lr.${sz} ${x(d1)},(${x(t)})`),
        word32(amo(3, aqrl, d2, t, v, f3), `sc.${sz} ${x(d2)},${x(v)},(${x(t)})`)],
    };
  },
];

/** OP-FP ops of one format (fmt 0 single, 1 double). */
function fpOps(fmt: 0 | 1): Gen[] {
  const sfx = fmt ? 'd' : 's';
  const f7 = (f5: number): number => (f5 << 2) | fmt;
  const arith = (f5: number, name: string): Gen => (p) => {
    const [d, a, c, m] = [p.below(32), p.below(32), p.below(32), rm(p)];
    return one(E.r(E.OPFP, m, f7(f5), d, a, c), `${name}.${sfx} ${f(d)},${f(a)},${f(c)},${RM[m]}`);
  };
  const fixed3 = (f5: number, f3: number, name: string): Gen => (p) => {
    const [d, a, c] = [p.below(32), p.below(32), p.below(32)];
    return one(E.r(E.OPFP, f3, f7(f5), d, a, c), `${name}.${sfx} ${f(d)},${f(a)},${f(c)}`);
  };
  const cmp = (f3: number, name: string): Gen => (p) => {
    const [d, a, c] = [rd(p), p.below(32), p.below(32)];
    return one(E.r(E.OPFP, f3, f7(0x14), d, a, c), `${name}.${sfx} ${x(d)},${f(a)},${f(c)}`);
  };
  const fma = (op: number, name: string): Gen => (p) => {
    const [d, a, c, e, m] = [p.below(32), p.below(32), p.below(32), p.below(32), rm(p)];
    return one(E.r4(op, fmt, m, d, a, c, e), `${name}.${sfx} ${f(d)},${f(a)},${f(c)},${f(e)},${RM[m]}`);
  };
  const INT = ['w', 'wu', 'l', 'lu'];
  return [
    arith(0, 'fadd'), arith(1, 'fsub'), arith(2, 'fmul'), arith(3, 'fdiv'),
    (p) => { const [d, a, m] = [p.below(32), p.below(32), rm(p)]; return one(E.r(E.OPFP, m, f7(0x0b), d, a, 0), `fsqrt.${sfx} ${f(d)},${f(a)},${RM[m]}`); },
    fixed3(4, 0, 'fsgnj'), fixed3(4, 1, 'fsgnjn'), fixed3(4, 2, 'fsgnjx'), fixed3(5, 0, 'fmin'), fixed3(5, 1, 'fmax'),
    cmp(2, 'feq'), cmp(1, 'flt'), cmp(0, 'fle'),
    fma(0x43, 'fmadd'), fma(0x47, 'fmsub'), fma(0x4b, 'fnmsub'), fma(0x4f, 'fnmadd'),
    (p) => { const [d, a, k, m] = [rd(p), p.below(32), p.below(4), rm(p)]; return one(E.r(E.OPFP, m, f7(0x18), d, a, k), `fcvt.${INT[k]}.${sfx} ${x(d)},${f(a)},${RM[m]}`); },
    (p) => { const [d, a, k, m] = [p.below(32), rs(p), p.below(4), rm(p)]; return one(E.r(E.OPFP, m, f7(0x1a), d, a, k), `fcvt.${sfx}.${INT[k]} ${f(d)},${x(a)},${RM[m]}`); },
    // fcvt.s.d (fmt S, rs2 = 1) and fcvt.d.s (fmt D, rs2 = 0).
    (p) => { const [d, a, m] = [p.below(32), p.below(32), rm(p)]; return one(E.r(E.OPFP, m, f7(0x08), d, a, fmt ? 0 : 1), `fcvt.${sfx}.${fmt ? 's' : 'd'} ${f(d)},${f(a)},${RM[m]}`); },
    (p) => { const [d, a] = [rd(p), p.below(32)]; return one(E.r(E.OPFP, 1, f7(0x1c), d, a, 0), `fclass.${sfx} ${x(d)},${f(a)}`); },
    (p) => { const [d, a] = [rd(p), p.below(32)]; return one(E.r(E.OPFP, 0, f7(0x1c), d, a, 0), `fmv.x.${fmt ? 'd' : 'w'} ${x(d)},${f(a)}`); },
    (p) => { const [d, a] = [p.below(32), rs(p)]; return one(E.r(E.OPFP, 0, f7(0x1e), d, a, 0), `fmv.${fmt ? 'd' : 'w'}.x ${f(d)},${x(a)}`); },
    access(`fl${fmt ? 'd' : 'w'}`, fmt ? 8 : 4, (d, b, o) => E.i(E.LOADFP, fmt ? 3 : 2, d, b, o), f, true),
    access(`fs${fmt ? 'd' : 'w'}`, fmt ? 8 : 4, (v, b, o) => E.s(E.STOREFP, fmt ? 3 : 2, v, b, o), f, true),
  ];
}

const CSRS: [string, number][] = [['fflags', 1], ['frm', 2], ['fcsr', 3]];
/** The FP CSRs: any access to fflags; frm and fcsr only written with a valid rounding mode
 *  (an invalid one would make the next dynamic-rounding instruction illegal). */
const FCSR: Gen[] = [
  (p) => {
    const [[n, csr], d, k] = [p.pick(CSRS), rd(p), p.below(6)];
    const [op, f3] = k < 3 ? [['csrrw', 'csrrs', 'csrrc'][k], k + 1] : [['csrrwi', 'csrrsi', 'csrrci'][k - 3], k + 2];
    if (csr !== 1 && op !== 'csrrs' && op !== 'csrrc') {
      // A write of frm or fcsr: an immediate, or a register loaded with a valid value first.
      const v = csr === 2 ? p.range(0, 4) : (p.range(0, 4) << 5) | p.bits(5);
      if (op === 'csrrwi' && v < 32) return one(E.i(E.SYSTEM, 5, d, v, csr), `csrrwi ${x(d)},${n},${v}`);
      const t = base(p);
      return { insns: [word32(E.i(E.OPIMM, 0, t, 0, v), `addi ${x(t)},x0,${v}`), word32(E.i(E.SYSTEM, 1, d, t, csr), `csrrw ${x(d)},${n},${x(t)}`)] };
    }
    const src = csr === 1 ? (f3 >= 5 ? p.bits(5) : rs(p)) : 0;
    return one(E.i(E.SYSTEM, f3, d, src, csr), `${op} ${x(d)},${n},${f3 >= 5 ? src : x(src)}`);
  },
];

const Zba: Gen[] = [
  r3(E.OP, 2, 0x10, 'sh1add'), r3(E.OP, 4, 0x10, 'sh2add'), r3(E.OP, 6, 0x10, 'sh3add'),
  r3(E.OP32, 0, 0x04, 'add.uw'), r3(E.OP32, 2, 0x10, 'sh1add.uw'), r3(E.OP32, 4, 0x10, 'sh2add.uw'), r3(E.OP32, 6, 0x10, 'sh3add.uw'),
  shift(E.OPIMM32, 1, 0x02, 6, 'slli.uw'),
];
const Zbb: Gen[] = [
  r3(E.OP, 7, 0x20, 'andn'), r3(E.OP, 6, 0x20, 'orn'), r3(E.OP, 4, 0x20, 'xnor'),
  r3(E.OP, 6, 0x05, 'max'), r3(E.OP, 7, 0x05, 'maxu'), r3(E.OP, 4, 0x05, 'min'), r3(E.OP, 5, 0x05, 'minu'),
  r3(E.OP, 1, 0x30, 'rol'), r3(E.OP, 5, 0x30, 'ror'), r3(E.OP32, 1, 0x30, 'rolw'), r3(E.OP32, 5, 0x30, 'rorw'),
  shift(E.OPIMM, 5, 0x18, 6, 'rori'), shift(E.OPIMM32, 5, 0x30, 5, 'roriw'),
  r2(E.OPIMM, 1, 0x30, 0, 'clz'), r2(E.OPIMM, 1, 0x30, 1, 'ctz'), r2(E.OPIMM, 1, 0x30, 2, 'cpop'),
  r2(E.OPIMM, 1, 0x30, 4, 'sext.b'), r2(E.OPIMM, 1, 0x30, 5, 'sext.h'),
  r2(E.OPIMM32, 1, 0x30, 0, 'clzw'), r2(E.OPIMM32, 1, 0x30, 1, 'ctzw'), r2(E.OPIMM32, 1, 0x30, 2, 'cpopw'),
  r2(E.OP32, 4, 0x04, 0, 'zext.h'), r2(E.OPIMM, 5, 0x14, 7, 'orc.b'), r2(E.OPIMM, 5, 0x35, 0x18, 'rev8'),
];
const Zbs: Gen[] = [
  r3(E.OP, 1, 0x24, 'bclr'), r3(E.OP, 5, 0x24, 'bext'), r3(E.OP, 1, 0x34, 'binv'), r3(E.OP, 1, 0x14, 'bset'),
  shift(E.OPIMM, 1, 0x12, 6, 'bclri'), shift(E.OPIMM, 5, 0x12, 6, 'bexti'), shift(E.OPIMM, 1, 0x1a, 6, 'binvi'), shift(E.OPIMM, 1, 0x0a, 6, 'bseti'),
];

/** The compressed loads and stores through x8-x15 (offset scaled by the size, 5 bits). */
function cMem(f3: number, name: string, size: 4 | 8, fp: boolean): Gen {
  const imm = (o: number): number => size === 4 ? E.scatter(o, [[5, 3, 10], [2, 2, 6], [6, 6, 5]]) : E.scatter(o, [[5, 3, 10], [7, 6, 5]]);
  return (p) => {
    const [t, v] = [rvc(p), rvc(p)];
    // The item's c.addi4spn adds a nonzero multiple of 4 (of the size, usually) to sp; the
    // access's own offset is a multiple of the size below 32 of them.
    const o = p.below(Math.min(32, (SCRATCH - 8) / size)) * size;
    const step = p.chance(0.8) ? size : 4;
    const at = step * p.range(1, Math.floor((SCRATCH - size - o) / step));
    const h = (f3 << 13) | imm(o) | (E.rc(t) << 7) | (E.rc(v) << 2);
    const spn = E.scatter(at, [[5, 4, 11], [9, 6, 7], [2, 2, 6], [3, 3, 5]]) | (E.rc(t) << 2);
    return {
      insns: [half16(spn, `c.addi4spn ${x(t)},sp,${at}`),
        half16(h, `${name} ${fp ? f(v) : x(v)},${o}(${x(t)})`)],
    };
  };
}
/** The sp-relative compressed loads and stores. */
function cSp(name: string, size: 4 | 8, load: boolean, fp: boolean, f3: number): Gen {
  return (p) => {
    const o = p.below(SCRATCH / size) * size;
    const reg = load && !fp ? rd(p) || 1 : p.below(32);
    const imm = load
      ? (size === 4 ? E.scatter(o, [[5, 5, 12], [4, 2, 4], [7, 6, 2]]) : E.scatter(o, [[5, 5, 12], [4, 3, 5], [8, 6, 2]]))
      : (size === 4 ? E.scatter(o, [[5, 2, 9], [7, 6, 7]]) : E.scatter(o, [[5, 3, 10], [8, 6, 7]]));
    const h = (f3 << 13) | imm | (reg << (load ? 7 : 2)) | 2;
    return oneC(h, `${name} ${fp ? f(reg) : x(reg)},${o}(sp)`);
  };
}
const C: Gen[] = [
  (p) => { const [d, v] = [p.pick(WRITABLE), p.range(-32, 31) || 1]; return oneC(E.ci(0, 1, d, v), `c.addi ${x(d)},${v}`); },
  (p) => { const [d, v] = [p.pick(WRITABLE), p.range(-32, 31)]; return oneC(E.ci(1, 1, d, v), `c.addiw ${x(d)},${v}`); },
  (p) => { const [d, v] = [p.pick(WRITABLE), p.range(-32, 31)]; return oneC(E.ci(2, 1, d, v), `c.li ${x(d)},${v}`); },
  (p) => { const [d, v] = [p.pick(WRITABLE), p.range(-32, 31) || 1]; return oneC(E.ci(3, 1, d, v), `c.lui ${x(d)},${v & 0x3f}`); },
  (p) => { const [d, sh] = [p.pick(WRITABLE), p.range(1, 63)]; return oneC(E.ci(0, 2, d, sh), `c.slli ${x(d)},${sh}`); },
  (p) => {
    const [d, k] = [rvc(p), p.below(3)];
    const v = k === 2 ? p.range(-32, 31) : p.range(1, 63);
    return oneC((4 << 13) | (((v >> 5) & 1) << 12) | (k << 10) | (E.rc(d) << 7) | ((v & 0x1f) << 2) | 1, `${['c.srli', 'c.srai', 'c.andi'][k]} ${x(d)},${v}`);
  },
  (p) => {
    const [d, s2, k] = [rvc(p), rvc(p), p.below(6)];
    return oneC((4 << 13) | ((k >> 2) << 12) | (3 << 10) | (E.rc(d) << 7) | ((k & 3) << 5) | (E.rc(s2) << 2) | 1,
      `${['c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw'][k]} ${x(d)},${x(s2)}`);
  },
  (p) => { const [d, s2] = [p.pick(WRITABLE), p.range(1, 31)]; return oneC((4 << 13) | (d << 7) | (s2 << 2) | 2, `c.mv ${x(d)},${x(s2)}`); },
  (p) => { const [d, s2] = [p.pick(WRITABLE), p.range(1, 31)]; return oneC((4 << 13) | (1 << 12) | (d << 7) | (s2 << 2) | 2, `c.add ${x(d)},${x(s2)}`); },
  (p) => {
    const d = rvc(p), at = (p.range(1, 63) * 4) % SCRATCH || 4;
    return oneC(E.scatter(at, [[5, 4, 11], [9, 6, 7], [2, 2, 6], [3, 3, 5]]) | (E.rc(d) << 2), `c.addi4spn ${x(d)},sp,${at}`);
  },
  cMem(2, 'c.lw', 4, false), cMem(3, 'c.ld', 8, false), cMem(6, 'c.sw', 4, false), cMem(7, 'c.sd', 8, false),
  cMem(1, 'c.fld', 8, true), cMem(5, 'c.fsd', 8, true),
  cSp('c.lwsp', 4, true, false, 2), cSp('c.ldsp', 8, true, false, 3), cSp('c.fldsp', 8, true, true, 1),
  cSp('c.swsp', 4, false, false, 6), cSp('c.sdsp', 8, false, false, 7), cSp('c.fsdsp', 8, false, true, 5),
  (p) => branch(p, (d) => [half16(E.scatter(d, [[11, 11, 12], [4, 4, 11], [9, 8, 9], [10, 10, 8], [6, 6, 7], [7, 7, 6], [3, 1, 3], [5, 5, 2]]) | (5 << 13) | 1, `c.j .+${d}`)]),
  (p) => {
    const [a, ne] = [rvc(p), p.below(2)];
    return branch(p, (d) => [half16(((6 + ne) << 13) | E.scatter(d, [[8, 8, 12], [4, 3, 10], [7, 6, 5], [2, 1, 3], [5, 5, 2]]) | (E.rc(a) << 7) | 1,
      `${ne ? 'c.bnez' : 'c.beqz'} ${x(a)},.+${d}`)]);
  },
  (p) => {
    // auipc, addi, then c.jr / c.jalr through the register.
    const [t, link] = [base(p), p.below(2)];
    return branch(p, (d) => [word32(E.u(E.AUIPC, t, 0), `auipc ${x(t)},0`), word32(E.i(E.OPIMM, 0, t, t, d), `addi ${x(t)},${x(t)},${d}`),
      half16((4 << 13) | (link << 12) | (t << 7) | 2, `${link ? 'c.jalr' : 'c.jr'} ${x(t)}`)]);
  },
];

export const RISCV_GENERATORS: Record<RiscvExt, Gen[]> = {
  I, M, A, F: [...fpOps(0), ...FCSR], D: fpOps(1), C, Zba, Zbb, Zbs,
};
