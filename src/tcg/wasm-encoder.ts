// WebAssembly binary encoding, written from the WebAssembly Core Specification 2.0, chapter 5
// (Binary Format): LEB128 integers, sections, types, imports, functions, exports and code; plus
// the threads proposal's shared memory limits and atomic read-modify-write instructions, and the
// few SIMD instructions of the fused multiply-add (host-fma.ts).
// No external library: the backend emits bytes straight into a growable buffer.

/** Value types (spec 5.3.1). */
export const enum ValType { I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c }
/** Block type of a block/loop/if without results (spec 5.4.1). */
export const BLOCK_VOID = 0x40;

/** Opcodes used by the backends (spec 5.4). Keys are the text-format mnemonics with the first
 *  '.' written '_' (see mnemonic()), so the same table serves the encoder and the listing. */
export const O = {
  unreachable: 0x00, nop: 0x01, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b,
  br: 0x0c, br_if: 0x0d, br_table: 0x0e, return: 0x0f, call: 0x10, call_indirect: 0x11,
  return_call: 0x12, return_call_indirect: 0x13, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i64_load: 0x29,
  i32_load8_s: 0x2c, i32_load8_u: 0x2d, i32_load16_s: 0x2e, i32_load16_u: 0x2f,
  i64_load8_s: 0x30, i64_load8_u: 0x31, i64_load16_s: 0x32, i64_load16_u: 0x33,
  i64_load32_s: 0x34, i64_load32_u: 0x35,
  i32_store: 0x36, i64_store: 0x37, i32_store8: 0x3a, i32_store16: 0x3b,
  i64_store8: 0x3c, i64_store16: 0x3d, i64_store32: 0x3e,
  i32_const: 0x41, i64_const: 0x42,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_s: 0x48, i32_lt_u: 0x49, i32_gt_s: 0x4a,
  i32_gt_u: 0x4b, i32_le_s: 0x4c, i32_le_u: 0x4d, i32_ge_s: 0x4e, i32_ge_u: 0x4f,
  i64_eqz: 0x50, i64_eq: 0x51, i64_ne: 0x52, i64_lt_s: 0x53, i64_lt_u: 0x54, i64_gt_s: 0x55,
  i64_gt_u: 0x56, i64_le_s: 0x57, i64_le_u: 0x58, i64_ge_s: 0x59, i64_ge_u: 0x5a,
  i32_clz: 0x67, i32_ctz: 0x68, i32_popcnt: 0x69, i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c,
  i32_div_s: 0x6d, i32_div_u: 0x6e, i32_rem_s: 0x6f, i32_rem_u: 0x70, i32_and: 0x71,
  i32_or: 0x72, i32_xor: 0x73, i32_shl: 0x74, i32_shr_s: 0x75, i32_shr_u: 0x76,
  i32_rotl: 0x77, i32_rotr: 0x78,
  i64_clz: 0x79, i64_ctz: 0x7a, i64_popcnt: 0x7b, i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e,
  i64_div_s: 0x7f, i64_div_u: 0x80, i64_rem_s: 0x81, i64_rem_u: 0x82, i64_and: 0x83,
  i64_or: 0x84, i64_xor: 0x85, i64_shl: 0x86, i64_shr_s: 0x87, i64_shr_u: 0x88,
  i64_rotl: 0x89, i64_rotr: 0x8a,
  f32_sqrt: 0x91, f32_add: 0x92, f32_sub: 0x93, f32_mul: 0x94, f32_div: 0x95,
  f64_sqrt: 0x9f, f64_add: 0xa0, f64_sub: 0xa1, f64_mul: 0xa2, f64_div: 0xa3,
  i32_wrap_i64: 0xa7, i64_extend_i32_s: 0xac, i64_extend_i32_u: 0xad,
  i32_reinterpret_f32: 0xbc, i64_reinterpret_f64: 0xbd, f32_reinterpret_i32: 0xbe, f64_reinterpret_i64: 0xbf,
  i32_extend8_s: 0xc0, i32_extend16_s: 0xc1, i64_extend8_s: 0xc2, i64_extend16_s: 0xc3,
  i64_extend32_s: 0xc4,
} as const;
export type OpName = keyof typeof O;

/** The threads proposal's atomic read-modify-write operations (the memory must be shared). */
export type AtomicRmwName = 'add' | 'sub' | 'and' | 'or' | 'xor' | 'xchg' | 'cmpxchg';
/** Their opcodes, after the 0xfe prefix: for each operation the first of seven forms, in the
 *  order i32, i64, i32 8-bit, i32 16-bit, i64 8-bit, i64 16-bit, i64 32-bit. */
const ATOMIC_RMW_BASE: Record<AtomicRmwName, number> = {
  add: 0x1e, sub: 0x25, and: 0x2c, or: 0x33, xor: 0x3a, xchg: 0x41, cmpxchg: 0x48,
};
const ATOMIC_PREFIX = 0xfe;
/** The form (see ATOMIC_RMW_BASE) by value type, [i32, i64], and access size in bytes. */
const ATOMIC_FORM: Record<number, number>[] = [{ 4: 0, 1: 2, 2: 3 }, { 8: 1, 1: 4, 2: 5, 4: 6 }];

/** SIMD instructions, after the 0xfd prefix (the SIMD and relaxed SIMD proposals). */
export const SIMD = { f64x2_splat: 0x14, f64x2_extract_lane: 0x21, f64x2_relaxed_madd: 0x107 } as const;
const SIMD_PREFIX = 0xfd;

const NAMES: string[] = [];
for (const [k, v] of Object.entries(O)) NAMES[v] = k.replace(/^(i32|i64|f32|f64|local)_/, '$1.');
/** The text-format mnemonic of an opcode. */
export const mnemonic = (code: number): string => NAMES[code] ?? `op_${code.toString(16)}`;

/** A growable byte buffer with the spec's integer encodings (spec 5.2.2). */
export class ByteWriter {
  buf = new Uint8Array(256);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    bigger.set(this.buf.subarray(0, this.len));
    this.buf = bigger;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  /** Unsigned LEB128 of a number below 2^32. */
  uleb(v: number): void {
    v >>>= 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v !== 0 ? b | 0x80 : b);
    } while (v !== 0);
  }
  /** Signed LEB128 of a 32-bit integer (any number is taken modulo 2^32 as signed). */
  sleb32(v: number): void {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { this.byte(b); return; }
      this.byte(b | 0x80);
    }
  }
  /** Signed LEB128 of a 64-bit pattern (taken modulo 2^64 as signed). */
  sleb64(v: bigint): void {
    v = BigInt.asIntN(64, v);
    if (v >= -0x80000000n && v < 0x80000000n) { this.sleb32(Number(v)); return; }
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { this.byte(b); return; }
      this.byte(b | 0x80);
    }
  }
  name(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.uleb(b.length);
    this.bytes(b);
  }
  /** Appends `w` prefixed with its byte length (sections, function bodies). */
  sized(w: ByteWriter): void {
    this.uleb(w.len);
    this.bytes(w.buf.subarray(0, w.len));
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** A function body under construction, with an optional WAT-like listing of what it emits. */
export class CodeWriter extends ByteWriter {
  private depth = 1;
  constructor(readonly listing: string[] | null = null) { super(); }

  /** Adds a line to the listing; callers build the text only when there is one (compiling
   *  without a listing is the common case, and its strings would be garbage). */
  private line(text: string): void {
    this.listing!.push('  '.repeat(this.depth) + text);
  }
  op(code: number): void {
    this.byte(code);
    if (this.listing) {
      if (code === O.end || code === O.else) this.depth--;
      this.line(mnemonic(code));
      if (code === O.else) this.depth++;
    }
  }
  /** An op with one unsigned immediate (local index, branch depth, function index). */
  opU(code: number, imm: number): void {
    this.byte(code);
    this.uleb(imm);
    if (this.listing) this.line(`${mnemonic(code)} ${imm}`);
  }
  /** block / loop / if with a block type. */
  open(code: number, blockType: number): void {
    this.byte(code);
    this.byte(blockType);
    if (this.listing) this.line(blockType === BLOCK_VOID ? mnemonic(code) : `${mnemonic(code)} (result ${blockType === ValType.I64 ? 'i64' : 'i32'})`);
    this.depth++;
  }
  /** A load or store with its memarg: alignment exponent 0 (the guest may be unaligned). */
  mem(code: number, offset: number): void {
    this.byte(code);
    this.byte(0);
    this.uleb(offset);
    if (this.listing) this.line(`${mnemonic(code)} offset=0x${(offset >>> 0).toString(16)}`);
  }
  /** An atomic read-modify-write or cmpxchg of `size` bytes on an i32 or i64 value: the narrow
   *  forms zero-extend the old value. Its memarg must state the natural alignment. */
  atomicRmw(op: AtomicRmwName, is64: boolean, size: 1 | 2 | 4 | 8, offset: number): void {
    this.byte(ATOMIC_PREFIX);
    this.uleb(ATOMIC_RMW_BASE[op] + ATOMIC_FORM[is64 ? 1 : 0][size]);
    this.uleb(Math.log2(size));
    this.uleb(offset);
    if (this.listing) {
      const full = size === (is64 ? 8 : 4);
      this.line(`i${is64 ? 64 : 32}.atomic.rmw${full ? '' : size * 8}.${op}${full ? '' : '_u'} offset=0x${(offset >>> 0).toString(16)}`);
    }
  }
  /** A SIMD instruction (SIMD), with its lane index for an extract. */
  simd(name: keyof typeof SIMD, lane?: number): void {
    this.byte(SIMD_PREFIX);
    this.uleb(SIMD[name]);
    if (lane !== undefined) this.byte(lane);
    if (this.listing) this.line(`${name.replace('_', '.')}${lane !== undefined ? ` ${lane}` : ''}`);
  }
  i32c(v: number): void {
    this.byte(O.i32_const);
    this.sleb32(v);
    if (this.listing) this.line(`i32.const ${v | 0}`);
  }
  i64c(v: bigint): void {
    this.byte(O.i64_const);
    this.sleb64(v);
    if (this.listing) this.line(`i64.const ${BigInt.asIntN(64, v)}`);
  }
  brTable(depths: number[], dflt: number): void {
    this.byte(O.br_table);
    this.uleb(depths.length);
    for (const d of depths) this.uleb(d);
    this.uleb(dflt);
    if (this.listing) this.line(`br_table ${depths.join(' ')} ${dflt}`);
  }
  /** call_indirect / return_call_indirect through table 0. */
  indirect(code: number, typeIdx: number): void {
    this.byte(code);
    this.uleb(typeIdx);
    this.byte(0);
    if (this.listing) this.line(`${mnemonic(code)} (type ${typeIdx})`);
  }
}

export interface FuncType { params: ValType[]; results: ValType[] }
export type Import =
  | { module: string; name: string; kind: 'func'; type: number }
  | { module: string; name: string; kind: 'memory'; min: number; max: number; shared: boolean }
  | { module: string; name: string; kind: 'table'; min: number };

export interface LocalDecl { count: number; type: ValType }
export interface FuncBody { locals: LocalDecl[]; code: CodeWriter }

const SEC = { custom: 0, type: 1, import: 2, function: 3, export: 7, code: 10 };
/** The function-names subsection of the custom `name` section. */
const NAME_SUB_FUNCTIONS = 1;
const FUNCREF = 0x70;

/** Assembles a module: types, imports, functions (all exported as `names`), code, and a name
 *  section when `debugNames` (one per function) are given: profilers (node --cpu-prof) show
 *  those instead of wasm-function[N]. */
export function encodeModule(types: FuncType[], imports: Import[], funcTypes: number[],
  names: string[], bodies: FuncBody[], debugNames?: string[]): Uint8Array {
  const out = new ByteWriter();
  out.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  const section = (id: number, fill: (w: ByteWriter) => void): void => {
    const w = new ByteWriter();
    fill(w);
    out.byte(id);
    out.sized(w);
  };
  section(SEC.type, (w) => {
    w.uleb(types.length);
    for (const t of types) {
      w.byte(0x60);
      w.uleb(t.params.length);
      for (const p of t.params) w.byte(p);
      w.uleb(t.results.length);
      for (const r of t.results) w.byte(r);
    }
  });
  section(SEC.import, (w) => {
    w.uleb(imports.length);
    for (const im of imports) {
      w.name(im.module);
      w.name(im.name);
      if (im.kind === 'func') { w.byte(0x00); w.uleb(im.type); }
      else if (im.kind === 'table') { w.byte(0x01); w.byte(FUNCREF); w.byte(0x00); w.uleb(im.min); }
      else {
        // Limits flag: bit 0 = has max, bit 1 = shared (threads proposal, 0x03 = shared with max).
        w.byte(0x02);
        w.byte(im.shared ? 0x03 : 0x01);
        w.uleb(im.min);
        w.uleb(im.max);
      }
    }
  });
  section(SEC.function, (w) => {
    w.uleb(funcTypes.length);
    for (const t of funcTypes) w.uleb(t);
  });
  const funcImports = imports.filter((i) => i.kind === 'func').length;
  section(SEC.export, (w) => {
    w.uleb(names.length);
    names.forEach((n, i) => { w.name(n); w.byte(0x00); w.uleb(funcImports + i); });
  });
  section(SEC.code, (w) => {
    w.uleb(bodies.length);
    for (const b of bodies) {
      const fw = new ByteWriter();
      fw.uleb(b.locals.length);
      for (const l of b.locals) { fw.uleb(l.count); fw.byte(l.type); }
      fw.bytes(b.code.buf.subarray(0, b.code.len));
      w.sized(fw);
    }
  });
  if (debugNames) {
    section(SEC.custom, (w) => {
      w.name('name');
      const sub = new ByteWriter();
      sub.uleb(debugNames.length);
      debugNames.forEach((n, i) => { sub.uleb(funcImports + i); sub.name(n); });
      w.byte(NAME_SUB_FUNCTIONS);
      w.sized(sub);
    });
  }
  return out.result();
}
