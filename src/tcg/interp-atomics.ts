// The interpreter's atomic memory operations (ir.ts AtomicCmpxchg, AtomicRmw): JS Atomics on
// views of the shared guest memory, so they are atomic against vCPUs running in other threads,
// interpreted or as wasm (JS Atomics and wasm atomics on one SharedArrayBuffer share one
// sequentially consistent memory model). Operands and results are int32 halves, as in the
// interpreter's frame; the 8-byte ops go through BigInt64Array, JS's only 64-bit atomic view,
// which is acceptable because atomics are rare next to plain loads and stores.

/** The operation of an atomic record: an RmwOp, or this for a compare-and-exchange. */
export const CMPXCHG = 6;

type View = Uint8Array | Uint16Array | Int32Array | BigInt64Array;
type Value = number | bigint;
// Atomics' functions take numbers on the narrow views and BigInts on BigInt64Array; every call
// below passes the kind that matches its view, which TypeScript's overloads cannot say for a union.
/** By RmwOp. */
const RMW = [Atomics.add, Atomics.sub, Atomics.and, Atomics.or, Atomics.xor, Atomics.exchange] as unknown as
  ((view: View, i: number, v: Value) => Value)[];
const compareExchange = Atomics.compareExchange as unknown as (view: View, i: number, expected: Value, desired: Value) => Value;

const apply = (view: View, i: number, op: number, a: Value, b: Value): Value =>
  op === CMPXCHG ? compareExchange(view, i, a, b) : RMW[op](view, i, a);

export class AtomicMemory {
  private readonly u8: Uint8Array;
  private readonly u16: Uint16Array;
  private readonly i32: Int32Array;
  private readonly i64: BigInt64Array;
  /** The old value read by the last op, zero-extended from its size: low and high words. */
  lo = 0;
  hi = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.i64 = new BigInt64Array(buffer);
  }

  /** Runs `op` (an RmwOp or CMPXCHG) on the `size` bytes at the naturally aligned host address
   *  e. Operand a is the RmwOp's value or the expected value, b the value a cmpxchg stores;
   *  each is a (low, high) pair and only its low `size` bytes count (the typed array's element
   *  conversion cuts it, as wasm's narrow atomics do). */
  run(op: number, size: number, e: number, al: number, ah: number, bl: number, bh: number): void {
    if (size === 8) {
      const r = apply(this.i64, e >>> 3, op, pair(al, ah), pair(bl, bh)) as bigint;
      this.lo = Number(BigInt.asIntN(32, r));
      this.hi = Number(r >> 32n);
      return;
    }
    const view = size === 1 ? this.u8 : size === 2 ? this.u16 : this.i32;
    this.lo = apply(view, size === 1 ? e : size === 2 ? e >>> 1 : e >>> 2, op, al, bl) as number;
    this.hi = 0;
  }
}

const pair = (l: number, h: number): bigint => (BigInt(h) << 32n) | BigInt(l >>> 0);
