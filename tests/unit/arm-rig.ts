// Test rig for the ARM frontend: assembly through GNU as (with a committed cache of the
// encodings, so the tests run without the cross toolchain), guest memory with a code area and
// a data page, and a run loop that translates and runs blocks until the end of the code or a
// non-Next exit, under the interpreter or the wasm backend.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GuestMemory, CPU_STATE_BASE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { Backend, TbCode } from '../../src/tcg/backend.js';
import { InterpBackend } from '../../src/tcg/interp-backend.js';
import { WasmBackend } from '../../src/tcg/wasm-backend.js';
import { ExitReason } from '../../src/tcg/ir.js';
import { createArmFrontend } from '../../src/target/arm/frontend.js';
import { EXCL_ADDR, PC, REG, cpsrFromState, cpsrToState } from '../../src/target/arm/cpu-state.js';

export const CODE = 0x10000;
export const CODE_SIZE = 0x10000;
export const DATA = 0x40000;

const CACHE = join(import.meta.dirname, 'data', 'arm-asm-cache.json');
let cache: Record<string, string> | undefined;
let cacheDirty = false;

export const hasTool = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;

/** Runs GNU as and ld on a source (text at CODE, data at DATA) and returns the linked ELF's path in `dir`. */
export function assembleElf(dir: string, source: string): string {
  const s = join(dir, 'a.s'), o = join(dir, 'a.o'), elf = join(dir, 'a.elf');
  writeFileSync(s, source);
  const as = spawnSync('arm-linux-gnueabihf-as', ['-march=armv7-a', '-mfpu=vfpv3-d16', '-o', o, s], { encoding: 'utf8' });
  if (as.status !== 0) throw new Error(`as failed:\n${as.stderr}\n${source}`);
  const ld = spawnSync('arm-linux-gnueabihf-ld', ['-static', `-Ttext=0x${CODE.toString(16)}`, `-Tdata=0x${DATA.toString(16)}`, '-o', elf, o], { encoding: 'utf8' });
  if (ld.status !== 0) throw new Error(`ld failed:\n${ld.stderr}`);
  return elf;
}

/** The .text bytes of a linked ELF. */
export function textBytes(dir: string, elf: string): Uint8Array {
  const bin = join(dir, 'a.bin');
  const r = spawnSync('arm-linux-gnueabihf-objcopy', ['-O', 'binary', '-j', '.text', elf, bin], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`objcopy failed:\n${r.stderr}`);
  return readFileSync(bin);
}

/** Assembles `body` (unified syntax, ARM state unless `thumb`) at CODE; cached by source. */
export function asm(body: string, thumb = false): Uint8Array {
  const source = `.syntax unified\n.arch_extension idiv\n.${thumb ? 'thumb' : 'arm'}\n.globl _start\n_start:\n${body}\n`;
  cache ??= existsSync(CACHE) ? JSON.parse(readFileSync(CACHE, 'utf8')) as Record<string, string> : {};
  const hit = cache[source];
  if (hit !== undefined) return Buffer.from(hit, 'hex');
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-arm-asm-'));
  try {
    const bytes = textBytes(dir, assembleElf(dir, source));
    cache[source] = Buffer.from(bytes).toString('hex');
    cacheDirty = true;
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes new encodings back to the cache file (call from afterAll). */
export function saveAsmCache(): void {
  if (!cacheDirty || !cache) return;
  const sorted = Object.fromEntries(Object.entries(cache).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(CACHE, `${JSON.stringify(sorted, null, 1)}\n`);
  cacheDirty = false;
}

export const BACKENDS = ['interp', 'wasm'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface Flags { n: number; z: number; c: number; v: number }

export class ArmRig {
  readonly mem = new GuestMemory();
  readonly fe = createArmFrontend(this.mem);
  readonly be: Backend;
  readonly env = CPU_STATE_BASE;
  /** Address (without the Thumb bit) where the loaded code ends. */
  end = CODE;
  private thumb = false;
  private readonly tbs = new Map<number, TbCode>();

  constructor(backend: BackendName = 'interp') {
    const ctx = { mem: this.mem, layout: this.fe.layout, helpers: this.fe.helpers };
    this.be = backend === 'wasm' ? new WasmBackend(ctx) : new InterpBackend(ctx);
    this.mem.setProt(CODE, CODE_SIZE, PROT_READ | PROT_EXEC);
    this.mem.setProt(DATA, 0x1000, PROT_READ | PROT_WRITE);
  }

  /** Places code at CODE followed by UDF (so a block cannot run past the end) and resets. */
  load(code: Uint8Array, thumb = false): this {
    this.tbs.clear();
    this.be.flush();
    const v = this.mem.view;
    for (let a = CODE; a < CODE + CODE_SIZE; a += 4) v.setUint32(a, thumb ? 0xde00de00 : 0xe7f000f0, true);
    this.mem.u8.set(code, CODE);
    this.end = CODE + code.length;
    this.thumb = thumb;
    return this.reset();
  }

  /** Registers and flags 0, pc at CODE, the exclusive monitor open, the data page zeroed. */
  reset(): this {
    this.mem.u8.fill(0, this.env, this.env + this.fe.layout.size);
    this.mem.zero(DATA, 0x1000);
    this.mem.view.setUint32(this.env + PC, CODE | (this.thumb ? 1 : 0), true);
    this.mem.view.setInt32(this.env + EXCL_ADDR, -1, true);
    return this;
  }

  r(i: number): number { return this.mem.view.getUint32(this.env + REG(i), true); }
  setR(i: number, v: number): this { this.mem.view.setUint32(this.env + REG(i), v >>> 0, true); return this; }
  /** The pc slot (address | Thumb bit). */
  get pc(): number { return this.mem.view.getUint32(this.env + PC, true); }
  get cpsr(): number { return cpsrFromState(this.mem.view, this.env); }
  set cpsr(v: number) { cpsrToState(this.mem.view, this.env, v, false); }
  get flags(): Flags {
    const p = this.cpsr;
    return { n: (p >>> 31) & 1, z: (p >>> 30) & 1, c: (p >>> 29) & 1, v: (p >>> 28) & 1 };
  }
  setFlags(f: Partial<Flags>): this {
    const p = this.cpsr & 0x0fffffff;
    this.cpsr = (p | ((f.n ?? 0) << 31) | ((f.z ?? 0) << 30) | ((f.c ?? 0) << 29) | ((f.v ?? 0) << 28)) >>> 0;
    return this;
  }
  u32(addr: number): number { return this.mem.view.getUint32(addr, true); }

  /** Runs until pc reaches the end of the loaded code (returns Next) or a block exits for
   *  another reason. */
  run(maxBlocks = 10000): ExitReason {
    for (let n = 0; n < maxBlocks; n++) {
      const pc = this.pc;
      if ((pc & ~1) === this.end) return ExitReason.Next;
      let code = this.tbs.get(pc);
      if (!code) {
        [code] = this.be.compile([this.fe.translate(pc, 32)]);
        this.tbs.set(pc, code);
      }
      const r = code(this.env) as ExitReason;
      // A block runs on into the UDF after the code: its exception at the end is the end.
      if (r !== ExitReason.Next && (this.pc & ~1) !== this.end) return r;
    }
    throw new Error('guest code did not finish');
  }
}
