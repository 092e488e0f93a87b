// Assembly for the VFP tests: GNU as through the ARM rig's assembleElf/textBytes with the VFPv4
// D32 unit enabled (the rig's default is VFPv3-D16), and a committed cache of the encodings of
// its own (tests/unit/data/arm-vfp-asm-cache.json), so the tests run without the toolchain.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleElf, textBytes } from './arm-rig.js';

const CACHE = join(import.meta.dirname, 'data', 'arm-vfp-asm-cache.json');
let cache: Record<string, string> | undefined;
let dirty = false;

/** Assembles `body` (unified syntax, ARM state unless `thumb`) at the rig's CODE address. */
export function vfpAsm(body: string, thumb = false): Uint8Array {
  const source = `.syntax unified\n.fpu vfpv4\n.${thumb ? 'thumb' : 'arm'}\n.globl _start\n_start:\n${body}\n`;
  cache ??= existsSync(CACHE) ? JSON.parse(readFileSync(CACHE, 'utf8')) as Record<string, string> : {};
  const hit = cache[source];
  if (hit !== undefined) return Buffer.from(hit, 'hex');
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-vfp-asm-'));
  try {
    const bytes = textBytes(dir, assembleElf(dir, source));
    cache[source] = Buffer.from(bytes).toString('hex');
    dirty = true;
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes new encodings back to the cache file (call from afterAll). */
export function saveVfpAsmCache(): void {
  if (!dirty || !cache) return;
  const sorted = Object.fromEntries(Object.entries(cache).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(CACHE, `${JSON.stringify(sorted, null, 1)}\n`);
  dirty = false;
}
