// Shared setup for the wasm backend tests: one guest memory with a small state layout, a mapped
// data page, a read-only page and an unmapped one, and a runner that executes the same IR block
// under the interpreter and the wasm backend from the same starting state.
import { expect } from 'vitest';
import { Backend, BackendContext, TbCode } from '../../src/tcg/backend.js';
import { ExitReason, Helper, IRBlock, StateLayout } from '../../src/tcg/ir.js';
import { InterpBackend } from '../../src/tcg/interp-backend.js';
import { WasmBackend } from '../../src/tcg/wasm-backend.js';
import { CPU_STATE_BASE, GuestMemory, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';

export const LAYOUT: StateLayout = {
  size: 0x140, pcOffset: 0x100, pcTy: 'i64', faultAddrOffset: 0x108, faultKindOffset: 0x110, budgetOffset: 0x114,
};
export const ENV = CPU_STATE_BASE;
/** i64 globals at 0, 8, ... 0x78; i32 globals at 0x80, 0x84, ... */
export const G64 = (i: number): number => i * 8;
export const G32 = (i: number): number => 0x80 + i * 4;
export const DATA = 0x10000;     // read/write, two pages
export const RODATA = 0x12000;   // read only
export const UNMAPPED = 0x20000;

export interface Outcome { reason: number | string; state: Uint8Array; data: Uint8Array }

export class Harness {
  readonly mem = new GuestMemory();
  readonly helpers: Helper[];
  readonly ctx: BackendContext;
  readonly interp: InterpBackend;
  readonly wasm: WasmBackend;

  constructor(helpers: Helper[] = []) {
    this.helpers = helpers;
    this.mem.setProt(DATA, 0x2000, PROT_READ | PROT_WRITE);
    this.mem.setProt(RODATA, 0x1000, PROT_READ);
    this.ctx = { mem: this.mem, layout: LAYOUT, helpers };
    this.interp = new InterpBackend(this.ctx);
    this.wasm = new WasmBackend(this.ctx);
  }

  /** Fills the state and data pages deterministically from `seed`, then lets `init` adjust. */
  reset(seed: number, init?: (v: DataView) => void): void {
    const u8 = this.mem.u8;
    u8.set(xorshiftBytes(seed, LAYOUT.size), ENV);
    u8.set(DATA_PATTERN, DATA);
    this.mem.view.setInt32(ENV + LAYOUT.budgetOffset, 1, true);
    init?.(this.mem.view);
  }

  run(code: TbCode): Outcome {
    let reason: number | string;
    try { reason = code(ENV); } catch (e) { reason = `throw ${(e as Error).message}`; }
    const state = this.mem.u8.slice(ENV, ENV + LAYOUT.size);
    state.fill(0, LAYOUT.budgetOffset, LAYOUT.budgetOffset + 4); // only chaining code counts it
    return { reason, state, data: this.mem.u8.slice(DATA, DATA + 0x3000) };
  }

  /** Runs each block under the interpreter, and `got` (by default the same blocks under the wasm
   *  backend), from the same state; expects identical outcomes. */
  compare(blocks: IRBlock[], seeds: number[], init?: (v: DataView, seed: number) => void,
    got: { blocks: IRBlock[]; backend: Backend } = { blocks, backend: this.wasm }): void {
    const ic = this.interp.compile(blocks);
    const wc = got.backend.compile(got.blocks);
    blocks.forEach((b, i) => {
      for (const seed of seeds) {
        this.reset(seed, init && ((v) => init(v, seed)));
        const want = this.run(ic[i]);
        this.reset(seed, init && ((v) => init(v, seed)));
        const got = this.run(wc[i]);
        if (got.reason !== want.reason || !equalBytes(got.state, want.state) || !equalBytes(got.data, want.data)) {
          expect({ block: i, seed, reason: got.reason, state: hex(got.state) },
            `block at 0x${b.pc.toString(16)}:\n${this.listingOf(b)}`)
            .toEqual({ block: i, seed, reason: want.reason, state: hex(want.state) });
          expect(got.data, 'data pages').toEqual(want.data);
        }
      }
    });
  }

  /** Runs `blocks` as a program from the first block under the interpreter and `backend`, each
   *  following Next exits to the block at the new pc as the cpu loop does, with `budget` per
   *  entry into compiled code; expects identical outcomes. The backend compiles the blocks in
   *  `batches` batches (block i in batch i % batches; later batches pull earlier regions in),
   *  and the code each batch returns is what the loop keeps, as the cpu loop does. */
  compareProgram(blocks: IRBlock[], seeds: number[], budget: number, init: (v: DataView, seed: number) => void,
    backend: Backend = this.wasm, batches = 1): void {
    const byPc = (codes: TbCode[]): Map<number, TbCode> => new Map(blocks.map((b, i) => [b.pc, codes[i]]));
    const ic = byPc(this.interp.compile(blocks));
    backend.flush();
    const wc = new Map<number, TbCode>();
    for (let k = 0; k < batches; k++) {
      const batch = blocks.filter((_, i) => i % batches === k);
      backend.compile(batch).forEach((code, i) => wc.set(batch[i].pc, code));
    }
    const drive = (codes: Map<number, TbCode>, seed: number): Outcome => {
      this.reset(seed, (v) => {
        init(v, seed);
        v.setBigUint64(ENV + LAYOUT.pcOffset, BigInt(blocks[0].pc), true);
      });
      for (let out: Outcome | undefined; ;) {
        const code = codes.get(Number(this.mem.view.getBigUint64(ENV + LAYOUT.pcOffset, true)));
        if (!code) return out!;
        this.mem.view.setInt32(ENV + LAYOUT.budgetOffset, budget, true);
        out = this.run(code);
        if (out.reason !== ExitReason.Next) return out;
      }
    };
    for (const seed of seeds) {
      const want = drive(ic, seed);
      const got = drive(wc, seed);
      if (got.reason !== want.reason || !equalBytes(got.state, want.state) || !equalBytes(got.data, want.data)) {
        expect({ seed, reason: got.reason, state: hex(got.state) }, `program at 0x${blocks[0].pc.toString(16)}:\n${this.wasm.listing()}`)
          .toEqual({ seed, reason: want.reason, state: hex(want.state) });
        expect(got.data, 'data pages').toEqual(want.data);
      }
    }
  }

  private listingOf(b: IRBlock): string {
    const all = this.wasm.listing().split(';; TB ');
    return all.find((s) => s.startsWith(`pc=0x${b.pc.toString(16)}\n`)) ?? '';
  }
}

function xorshiftBytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; out[i] = x & 0xff; }
  return out;
}
const DATA_PATTERN = xorshiftBytes(12345, 0x3000);

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;
const hex = (a: Uint8Array): string[] => {
  const out: string[] = [];
  for (let i = 0; i < a.length; i += 8) out.push(Buffer.from(a.subarray(i, i + 8)).toString('hex'));
  return out;
};
