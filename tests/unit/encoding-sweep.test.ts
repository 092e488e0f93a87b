// No guest instruction stream can make tsemu fail inside: every 16-bit encoding (riscv64 C,
// Thumb) and a large seeded sample of 32-bit ones (riscv64, A32, Thumb-2) is translated and run
// as a one-instruction block, from random registers and flags, under the interpreter and the
// wasm backend. Running it may end the block in any way the guest sees (next pc, a branch, an
// exception exit for SIGILL/SIGTRAP, a syscall exit, a memory fault as ExitReason.MemFault or
// GuestFault); what it must never do is throw anything else (an internal error such as
// "setReg(15): use a WritePC method", a TypeError in a helper) or reach an exit reason the cpu
// loops do not know. A failure names the backend and the encoding, so it reproduces alone.
import { describe, expect, it } from 'vitest';
import { CPU_STATE_BASE, GuestFault, GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { Backend, TbCode } from '../../src/tcg/backend.js';
import { Frontend } from '../../src/tcg/frontend.js';
import { InterpBackend } from '../../src/tcg/interp-backend.js';
import { ExitReason } from '../../src/tcg/ir.js';
import { WasmBackend } from '../../src/tcg/wasm-backend.js';
import { createArmFrontend } from '../../src/target/arm/frontend.js';
import { EXCL_ADDR, FPSCR, PC as ARM_PC, REG, cpsrToState } from '../../src/target/arm/cpu-state.js';
import { createRiscvFrontend } from '../../src/target/riscv/frontend.js';
import { FREG, PC as RV_PC, RES_ADDR, XREG } from '../../src/target/riscv/cpu-state.js';
import { Prng } from '../fuzz/prng.js';

/** Code goes at CODE, one instruction per SLOT bytes, so that no block's fall-through pc is
 *  another block of the same batch (the wasm backend would chain them into one region). */
const CODE = 0x100000;
const SLOT = 8;
const BATCH = 4096;
const CODE_SIZE = BATCH * SLOT;
/** A readable and writable area the random registers mostly point into. */
const DATA = 0x400000;
const DATA_SIZE = 0x10000;

/** An encoding as listings show it: a halfword, a word, or a Thumb-2 pair of halfwords. */
function hex(e: Uint8Array, thumb: boolean): string {
  const h = (i: number): string => (e[i] | (e[i + 1] << 8)).toString(16).padStart(4, '0');
  if (e.length === 2) return h(0);
  return thumb ? `${h(0)} ${h(2)}` : `${h(2)}${h(0)}`;
}

const EXITS = new Set<number>(Object.values(ExitReason).filter((v): v is number => typeof v === 'number'));

interface Sweep {
  /** The instruction's bytes (2 or 4, little-endian halfwords as the guest stores them). */
  encodings: Uint8Array[];
  thumb: boolean;
}

interface ArchRig {
  fe: Frontend;
  mem: GuestMemory;
  /** Puts random registers and flags into the state, pc at `pc`. */
  seed(rng: Prng, pc: number, thumb: boolean): void;
}

function riscvRig(): ArchRig {
  const mem = new GuestMemory();
  const fe = createRiscvFrontend(mem);
  const v = mem.view, env = CPU_STATE_BASE;
  return {
    fe, mem,
    seed(rng, pc) {
      mem.u8.fill(0, env, env + fe.layout.size);
      for (let i = 1; i < 32; i++) {
        const near = DATA + rng.below(DATA_SIZE);
        v.setBigUint64(env + XREG(i), rng.below(4) ? BigInt(near) : (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()), true);
        v.setBigUint64(env + FREG(i), (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()), true);
      }
      v.setBigUint64(env + RES_ADDR, -1n & 0xffffffffffffffffn, true);
      v.setBigUint64(env + RV_PC, BigInt(pc), true);
    },
  };
}

function armRig(): ArchRig {
  const mem = new GuestMemory();
  const fe = createArmFrontend(mem);
  const v = mem.view, env = CPU_STATE_BASE;
  return {
    fe, mem,
    seed(rng, pc, thumb) {
      mem.u8.fill(0, env, env + fe.layout.size);
      for (let i = 0; i < 15; i++) v.setUint32(env + REG(i), rng.below(4) ? DATA + rng.below(DATA_SIZE) : rng.u32(), true);
      cpsrToState(v, env, (rng.u32() & 0xf80f0000) | 0x10, false);
      v.setUint32(env + FPSCR, rng.u32() & 0x07c0009f, true);
      v.setInt32(env + EXCL_ADDR, -1, true);
      v.setUint32(env + ARM_PC, pc | (thumb ? 1 : 0), true);
    },
  };
}

/** Runs each encoding of the sweep as a one-instruction block and returns the ones that threw
 *  something other than a guest fault, or exited with a reason no cpu loop knows. */
async function sweep(rig: ArchRig, backendName: 'interp' | 'wasm', s: Sweep, seed: number): Promise<string[]> {
  const { fe, mem } = rig;
  const ctx = { mem, layout: fe.layout, helpers: fe.helpers };
  const be: Backend = backendName === 'wasm' ? new WasmBackend(ctx) : new InterpBackend(ctx);
  mem.setProt(CODE, CODE_SIZE, PROT_READ | PROT_EXEC);
  mem.setProt(DATA, DATA_SIZE, PROT_READ | PROT_WRITE);
  const rng = new Prng(seed);
  const bad: string[] = [];
  for (let from = 0; from < s.encodings.length; from += BATCH) {
    // The test worker answers vitest's calls between batches.
    await new Promise(setImmediate);
    const batch = s.encodings.slice(from, from + BATCH);
    be.flush();
    mem.u8.fill(0, CODE, CODE + CODE_SIZE);
    batch.forEach((e, i) => mem.u8.set(e, CODE + i * SLOT));
    const blocks: (TbCode | undefined)[] = [];
    const irs = batch.map((e, i) => {
      try {
        return fe.translate((CODE + i * SLOT) | (s.thumb ? 1 : 0), 1);
      } catch (err) {
        bad.push(`${hex(e, s.thumb)}: translate: ${(err as Error).message}`);
        return undefined;
      }
    });
    const good = irs.flatMap((b, i) => (b ? [[b, i] as const] : []));
    try {
      be.compile(good.map(([b]) => b)).forEach((code, k) => { blocks[good[k][1]] = code; });
    } catch (err) {
      // One block broke the batch: find it by compiling each alone.
      for (const [b, i] of good) {
        try {
          blocks[i] = be.compile([b])[0];
        } catch (e2) {
          bad.push(`${hex(batch[i], s.thumb)}: compile: ${(e2 as Error).message}`);
        }
      }
    }
    batch.forEach((e, i) => {
      const code = blocks[i];
      if (!code) return;
      rig.seed(rng, CODE + i * SLOT, s.thumb);
      mem.zero(DATA, DATA_SIZE);
      try {
        const r = code(CPU_STATE_BASE) as number;
        if (!EXITS.has(r)) bad.push(`${hex(e, s.thumb)}: exit reason ${r}`);
      } catch (err) {
        if (!(err instanceof GuestFault)) bad.push(`${hex(e, s.thumb)}: run: ${(err as Error).message}`);
      }
    });
  }
  return bad;
}

const half = (h: number): Uint8Array => Uint8Array.of(h & 0xff, h >>> 8);
const word = (w: number): Uint8Array => Uint8Array.of(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
/** A Thumb-2 instruction: its first halfword, then its second. */
const thumb32 = (w: number): Uint8Array => Uint8Array.of((w >>> 16) & 0xff, w >>> 24, w & 0xff, (w >>> 8) & 0xff);
const sample = (seed: number, n: number, make: (rng: Prng) => Uint8Array): Uint8Array[] => {
  const rng = new Prng(seed);
  return Array.from({ length: n }, () => make(rng));
};
const every16 = (keep: (h: number) => boolean, rest: (rng: Prng, h: number) => Uint8Array): Uint8Array[] => {
  const rng = new Prng(16);
  return Array.from({ length: 0x10000 }, (_, h) => h).filter(keep).map((h) => rest(rng, h));
};

/** A Thumb halfword that starts a 32-bit instruction (ARM ARM A6.1: 0b11101, 0b11110, 0b11111). */
const thumbPrefix = (h: number): boolean => h >>> 11 >= 0x1d;

const SAMPLE = 30_000;
const SWEEPS: { name: string; rig: () => ArchRig; sweep: () => Sweep }[] = [
  {
    name: 'riscv64, every 16-bit (C) encoding',
    rig: riscvRig,
    sweep: () => ({ thumb: false, encodings: every16((h) => (h & 3) !== 3, (_, h) => half(h)) }),
  },
  {
    name: `riscv64, ${SAMPLE} random 32-bit words`,
    rig: riscvRig,
    sweep: () => ({ thumb: false, encodings: sample(32, SAMPLE, (r) => word(r.u32() | 3)) }),
  },
  {
    name: `arm, ${SAMPLE} random A32 words`,
    rig: armRig,
    sweep: () => ({ thumb: false, encodings: sample(33, SAMPLE, (r) => word(r.u32())) }),
  },
  {
    name: 'arm, every 16-bit Thumb halfword (a 32-bit prefix with a random second half)',
    rig: armRig,
    sweep: () => ({
      thumb: true,
      encodings: every16(() => true, (r, h) => (thumbPrefix(h) ? thumb32(((h << 16) | (r.u32() & 0xffff)) >>> 0) : half(h))),
    }),
  },
  {
    name: `arm, ${SAMPLE} random 32-bit Thumb-2 words`,
    rig: armRig,
    sweep: () => ({ thumb: true, encodings: sample(34, SAMPLE, (r) => thumb32((((0x1d + r.below(3)) << 27) | (r.u32() >>> 5)) >>> 0)) }),
  },
];

describe('encoding sweep: no JS exception escapes from any instruction', () => {
  for (const s of SWEEPS) {
    for (const backend of ['interp', 'wasm'] as const) {
      it(`${s.name}, -backend ${backend}`, async () => {
        const bad = await sweep(s.rig(), backend, s.sweep(), 7);
        expect(bad.slice(0, 20), `${bad.length} encodings failed`).toEqual([]);
      }, 120_000);
    }
  }
});
