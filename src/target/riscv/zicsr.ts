// Zicsr (RISC-V unprivileged ISA, chapter 7) for the CSRs a user program can reach: the FP
// status CSRs (chapter 11.2: fcsr = frm << 5 | fflags) and the read-only counters (chapter 8).
// Any other CSR, or a write to a read-only one (csr[11:10] = 3, privileged spec 2.1), is illegal.
import { HelperFlags, Helper, Opc } from '../../tcg/ir.js';
import type { TransFn } from './decode.js';
import type { DisasContext } from './disas-context.js';
import { FFLAGS, FRM } from './cpu-state.js';
import { M_F3, Row, enc, table } from './int-emit.js';
import { OP_SYSTEM } from './rvi.js';

const CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003;
const CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02;

/** Names for the disassembler. */
export const CSR_NAMES: Record<number, string> = {
  [CSR_FFLAGS]: 'fflags', [CSR_FRM]: 'frm', [CSR_FCSR]: 'fcsr',
  [CSR_CYCLE]: 'cycle', [CSR_TIME]: 'time', [CSR_INSTRET]: 'instret',
};

// time counts at 10 MHz, the timebase of qemu's virt machine; cycle and instret count host
// nanoseconds. All three are monotonic.
const counterBase = process.hrtime.bigint();
export const CSR_HELPERS: Helper[] = [{
  name: 'csr_counter',
  args: ['i32'],
  ret: 'i64',
  flags: HelperFlags.None,
  fn: (_env: number, csr: number): bigint => {
    const ns = process.hrtime.bigint() - counterBase;
    return csr === CSR_TIME ? ns / 100n : ns;
  },
}];

interface Csr {
  /** Emits the read; returns an i64 temp. */
  read(s: DisasContext): number;
  /** Emits the write of an i64 value; absent for read-only CSRs. */
  write?(s: DisasContext, v: number): void;
}

const fflags = (s: DisasContext): number => s.b.global('i32', FFLAGS, 'fflags');
const frm = (s: DisasContext): number => s.b.global('i32', FRM, 'frm');

function widen(s: DisasContext, v32: number): number {
  const t = s.b.temp('i64');
  s.b.unop(Opc.ExtUI32I64, t, v32);
  return t;
}
/** Stores bits [shift, shift+width) of the i64 `v` into the i32 global `g`. */
function setField(s: DisasContext, g: number, v: number, shift: number, width: number): void {
  const t = s.b.temp('i32');
  s.b.unop(Opc.TruncI64I32, t, v);
  if (shift) s.b.shr(t, t, s.b.c32(shift));
  s.b.and(g, t, s.b.c32((1 << width) - 1));
}
const counter = (csr: number): Csr => ({
  read: (s) => {
    const t = s.b.temp('i64');
    s.b.call(s.helper('csr_counter'), t, s.b.c32(csr));
    return t;
  },
});

const CSRS: Record<number, Csr> = {
  [CSR_FFLAGS]: {
    read: (s) => widen(s, fflags(s)),
    write: (s, v) => setField(s, fflags(s), v, 0, 5),
  },
  [CSR_FRM]: {
    read: (s) => widen(s, frm(s)),
    write: (s, v) => setField(s, frm(s), v, 0, 3),
  },
  [CSR_FCSR]: {
    read: (s) => {
      const t = s.b.temp('i32');
      s.b.shl(t, frm(s), s.b.c32(5));
      s.b.or(t, t, fflags(s));
      return widen(s, t);
    },
    write: (s, v) => {
      setField(s, fflags(s), v, 0, 5);
      setField(s, frm(s), v, 5, 3);
    },
  },
  [CSR_CYCLE]: counter(CSR_CYCLE),
  [CSR_TIME]: counter(CSR_TIME),
  [CSR_INSTRET]: counter(CSR_INSTRET),
};

type Kind = 'w' | 's' | 'c';

/** csrrw/csrrs/csrrc and their immediate forms (the 5-bit uimm sits in the rs1 field). csrrw
 *  with rd = x0 does not read; csrrs/csrrc with rs1 = x0 (or uimm = 0) do not write (7.1). */
const csrOp = (kind: Kind, imm: boolean): TransFn => (s, a) => {
  const csr = CSRS[a.csr];
  if (!csr) return false;
  const writes = kind === 'w' || a.rs1 !== 0;
  if (writes && (!csr.write || a.csr >>> 10 === 3)) return false;
  const old = kind !== 'w' || a.rd !== 0 ? csr.read(s) : undefined;
  if (writes && csr.write) {
    const src = imm ? s.b.c64(a.rs1) : s.gpr(a.rs1);
    let v = src;
    if (kind !== 'w' && old !== undefined) {
      v = s.b.temp('i64');
      if (kind === 's') {
        s.b.or(v, old, src);
      } else {
        s.b.unop(Opc.Not, v, src);
        s.b.and(v, v, old);
      }
    }
    csr.write(s, v);
  }
  if (old !== undefined) s.setGpr(a.rd, old);
  return true;
};

const trans: Record<string, TransFn> = {};
/** The six Zicsr encodings (system mode decodes them with its own translators). */
export const ZICSR_ROWS: Row[] = [];
for (const [kind, f3] of [['w', 1], ['s', 2], ['c', 3]] as const) {
  for (const imm of [false, true]) {
    const name = `csrr${kind}${imm ? 'i' : ''}`;
    trans[name] = csrOp(kind, imm);
    ZICSR_ROWS.push([name, M_F3, enc(0, f3 | (imm ? 4 : 0), OP_SYSTEM), 'CSR']);
  }
}

export const ZICSR_PATTERNS = table(trans, ZICSR_ROWS);
