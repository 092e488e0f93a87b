// Guest atomics are atomic across vCPUs running truly in parallel: worker threads, each with its
// own state area and backend (the interpreter, wasm, or a mix of both: JS Atomics and wasm
// atomics on one memory), run over one shared guest memory, released together, and increment
// the same counters many times each; the final counts must be exact (a plain load-add-store loses
// updates here). At the IR level: rmw add/sub of 2, 4 and 8 bytes and cmpxchg retry loops of
// 4 and 8 bytes; as guest code: RISC-V LR/SC and AMOADD loops, ARM LDREX/STREX and
// LDREXD/STREXD loops. The worker (atomics-threads-worker.ts) is bundled with esbuild first,
// so that it runs without a TypeScript loader and independently of dist/.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cond, ExitReason, IRBlock, MemOp, RmwOp, Ty } from '../../src/tcg/ir.js';
import { IRBuilder } from '../../src/tcg/ir-builder.js';
import {
  CPU_STATE_BASE, CPU_STATE_STRIDE, GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE,
} from '../../src/memory/guest-memory.js';
import * as rv from '../../src/target/riscv/cpu-state.js';
import * as arm from '../../src/target/arm/cpu-state.js';
import type { Job } from './atomics-threads-worker.js';
import { G64, LAYOUT } from './wasm-harness.js';
import { B, I, R, ecall, jal } from './riscv-int-rig.js';
import { asm, saveAsmCache } from './arm-rig.js';

afterAll(saveAsmCache);

/** Iterations per thread: wasm runs them some 10x faster, and must still overlap the others
 *  (and its own threads' start-up, which compiles guest code after the release). */
const ITERATIONS: Record<Job['backend'], number> = { interp: 20_000, wasm: 200_000 };

const DATA = 0x10000;
const START = DATA + 0xff0; // the start flag
const RV_CODE = 0x11000;
const ARM_CODE = 0x12000;
const mem = new GuestMemory();
mem.setProt(DATA, 0x1000, PROT_READ | PROT_WRITE);
mem.setProt(RV_CODE, 0x2000, PROT_READ | PROT_EXEC); // RV_CODE and ARM_CODE
const v = mem.view;
const envOf = (i: number): number => CPU_STATE_BASE + i * CPU_STATE_STRIDE;

/** The counters' addresses in DATA, their size in bytes in their name. */
const C = {
  add8: DATA, sub4: DATA + 8, add2: DATA + 12, cas4: DATA + 16, cas8: DATA + 24,
  lrsc8: DATA + 32, amo4: DATA + 40, excl4: DATA + 44, excl8: DATA + 48,
};
/** The 8-byte counters' start: their low word wraps, carrying into the high one. */
const INIT8 = 0xffff_fff0n;

let source = '';
beforeAll(async () => {
  const out = await build({
    entryPoints: [join(import.meta.dirname, 'atomics-threads-worker.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent',
  });
  source = out.outputFiles[0].text;
});

function resetCounters(): void {
  mem.u8.fill(0, DATA, DATA + 0x1000);
  for (const a of [C.add8, C.cas8, C.lrsc8, C.excl8]) v.setBigUint64(a, INIT8, true);
}

/** Starts one worker per backend (thread i on state area i), releases them together once all
 *  are ready, and resolves to their exit reasons. */
async function runThreads(backends: Job['backend'][], run: Job['run']): Promise<number[]> {
  const flags = new Int32Array(mem.buffer);
  Atomics.store(flags, START >>> 2, 0);
  const workers = backends.map((backend, i) => {
    const job: Job = { memory: mem.memory, backend, env: envOf(i), startFlag: START, run };
    return new Worker(source, { eval: true, workerData: job });
  });
  const next = (w: Worker): Promise<unknown> => new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  try {
    await Promise.all(workers.map(next)); // 'ready'
    const done = workers.map(next);
    Atomics.store(flags, START >>> 2, 1);
    Atomics.notify(flags, START >>> 2);
    return (await Promise.all(done)) as number[];
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const CONFIGS: Job['backend'][][] = [['interp', 'interp', 'interp'], ['wasm', 'wasm', 'wasm'], ['interp', 'wasm', 'interp']];
const totalOf = (backends: Job['backend'][]): bigint => BigInt(backends.reduce((n, b) => n + ITERATIONS[b], 0));
const u64 = (a: number): bigint => v.getBigUint64(a, true);

/** An IR block that loops state.g0 times over every kind of counter; cmpxchg retries count in g1. */
function counterBlock(): IRBlock {
  const b = new IRBuilder([]);
  const n = b.global('i64', G64(0), 'n'), retries = b.global('i64', G64(1), 'retries');
  const mop = (size: MemOp['size']): MemOp => ({ size, signed: false });
  const casIncrement = (ty: Ty, addr: number, size: MemOp['size']): void => {
    const seen = b.temp(ty), expected = b.temp(ty), next = b.temp(ty), again = b.label(), done = b.label();
    b.ld(seen, b.c64(addr), 0, mop(size));
    b.setLabel(again);
    b.mov(expected, seen);
    b.addi(next, expected, 1);
    b.atomicCmpxchg(seen, b.c64(addr), 0, expected, next, mop(size));
    b.brcond(Cond.EQ, seen, expected, done);
    b.addi(retries, retries, 1);
    b.br(again);
    b.setLabel(done);
  };
  b.insnStart(0x1000);
  const top = b.label();
  b.setLabel(top);
  b.atomicRmw(RmwOp.Add, b.temp('i64'), b.c64(C.add8), 0, b.c64(1), mop(8));
  b.atomicRmw(RmwOp.Sub, b.temp('i32'), b.c64(C.sub4), 0, b.c32(1), mop(4));
  b.atomicRmw(RmwOp.Add, b.temp('i32'), b.c64(C.add2), 0, b.c32(1), mop(2));
  casIncrement('i32', C.cas4, 4);
  casIncrement('i64', C.cas8, 8);
  b.addi(n, n, -1);
  b.brcond(Cond.NE, n, b.c64(0), top);
  b.exitTb(ExitReason.Next, 0x1004);
  return b.finish(0x1000, 4, 1);
}

// RISC-V: a0 iterations of an LR/SC increment of the doubleword at a1 (SC failures count in s0)
// and an AMOADD.W of a3 to the word at a2.
const RV_LOOP = [
  R(0x2f, 3, 0x02 << 2)(5, 11, 0), // 0: lr.d t0, (a1)
  I(0x13, 0)(5, 5, 1), //              addi t0, t0, 1
  R(0x2f, 3, 0x03 << 2)(6, 11, 5), //  sc.d t1, t0, (a1)
  B(0)(6, 0, 12), //                   beqz t1, 1f
  I(0x13, 0)(8, 8, 1), //              addi s0, s0, 1
  jal(0, -20), //                      j 0b
  R(0x2f, 2, 0)(0, 12, 13), //      1: amoadd.w zero, a3, (a2)
  I(0x13, 0)(10, 10, -1), //           addi a0, a0, -1
  B(1)(10, 0, -32), //                 bnez a0, 0b
  ecall,
];

// ARM: r0 iterations of an LDREX/STREX increment of the word at r1 and an LDREXD/STREXD one of
// the doubleword at r2 (STREX failures count in r8).
const ARM_LOOP = [
  '1: ldrex r4, [r1]', 'add r4, r4, #1', 'strex r5, r4, [r1]', 'cmp r5, #0', 'addne r8, r8, #1', 'bne 1b',
  '2: ldrexd r6, r7, [r2]', 'adds r6, r6, #1', 'adc r7, r7, #0', 'strexd r5, r6, r7, [r2]',
  'cmp r5, #0', 'addne r8, r8, #1', 'bne 2b',
  'subs r0, r0, #1', 'bne 1b', 'svc #0',
].join('\n');

describe('atomics from vCPUs in parallel threads', () => {
  for (const backends of CONFIGS) {
    const name = backends.join(' + ');
    const TOTAL = totalOf(backends);

    it(`IR block: rmw add/sub and cmpxchg retry loops (${name})`, async () => {
      resetCounters();
      backends.forEach((backend, i) => {
        mem.u8.fill(0, envOf(i), envOf(i) + LAYOUT.size);
        v.setBigUint64(envOf(i) + G64(0), BigInt(ITERATIONS[backend]), true);
      });
      expect(await runThreads(backends, { block: counterBlock(), layout: LAYOUT })).toEqual(backends.map(() => ExitReason.Next));
      const retries = backends.map((_, i) => u64(envOf(i) + G64(1)));
      expect({
        add8: u64(C.add8), sub4: v.getUint32(C.sub4, true), add2: v.getUint16(C.add2, true),
        cas4: v.getUint32(C.cas4, true), cas8: u64(C.cas8),
      }, `cmpxchg retries: ${retries}`).toEqual({
        add8: INIT8 + TOTAL, sub4: Number(BigInt.asUintN(32, -TOTAL)), add2: Number(TOTAL % 65536n),
        cas4: Number(TOTAL), cas8: INIT8 + TOTAL,
      });
    });

    it(`riscv64 guest: LR/SC and AMOADD loops (${name})`, async () => {
      resetCounters();
      RV_LOOP.forEach((w, k) => v.setUint32(RV_CODE + 4 * k, w, true));
      backends.forEach((backend, i) => {
        const env = envOf(i);
        mem.u8.fill(0, env, env + rv.STATE_SIZE);
        const set = (off: number, x: bigint | number): void => v.setBigUint64(env + off, BigInt.asUintN(64, BigInt(x)), true);
        set(rv.PC, RV_CODE);
        set(rv.RES_ADDR, -1);
        [[10, ITERATIONS[backend]], [11, C.lrsc8], [12, C.amo4], [13, 1]].forEach(([r, x]) => set(rv.XREG(r), x));
      });
      expect(await runThreads(backends, { arch: 'riscv64' })).toEqual(backends.map(() => ExitReason.Syscall));
      const failures = backends.map((_, i) => u64(envOf(i) + rv.XREG(8)));
      expect([u64(C.lrsc8), v.getUint32(C.amo4, true)], `SC failures: ${failures}`).toEqual([INIT8 + TOTAL, Number(TOTAL)]);
    });

    it(`arm guest: LDREX/STREX and LDREXD/STREXD loops (${name})`, async () => {
      resetCounters();
      mem.u8.set(asm(ARM_LOOP), ARM_CODE);
      backends.forEach((backend, i) => {
        const env = envOf(i);
        mem.u8.fill(0, env, env + arm.STATE_SIZE);
        v.setUint32(env + arm.PC, ARM_CODE, true);
        v.setInt32(env + arm.EXCL_ADDR, -1, true);
        [[0, ITERATIONS[backend]], [1, C.excl4], [2, C.excl8]].forEach(([r, x]) => v.setUint32(env + arm.REG(r), x, true));
      });
      expect(await runThreads(backends, { arch: 'arm' })).toEqual(backends.map(() => ExitReason.Syscall));
      const failures = backends.map((_, i) => v.getUint32(envOf(i) + arm.REG(8), true));
      expect([v.getUint32(C.excl4, true), u64(C.excl8)], `STREX failures: ${failures}`).toEqual([Number(TOTAL), INIT8 + TOTAL]);
    });
  }
});
