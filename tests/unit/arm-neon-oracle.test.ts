// NEON against qemu-arm: data/arm-neon-intrinsics.c (arm_neon.h intrinsics on pseudo-random
// operands, A32 and Thumb builds; every implemented data-processing form, VLD1-4/VST1-4 in each
// addressing form, the float lanes and FPSCR's cumulative flags, with inline asm for the float
// compares gcc does not emit from intrinsics) and data/arm-neon-vectorize.c (loops gcc -O3
// -ftree-vectorize turns into NEON, strided ones included) run under qemu-arm and under tsemu-arm with
// each backend: stdout and the exit status must agree. data/arm-neon-strings.c runs glibc's NEON
// memcpy and memchr (AT_HWCAP has the NEON bit). Needs the cross toolchain, qemu-user and
// the built CLI (dist/).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARM, spawnAsync } from '../guest-bins/corpus.js';
import { hasTool } from './arm-rig.js';

const READY = hasTool('arm-linux-gnueabihf-gcc') && hasTool('qemu-arm') && existsSync(ARM.cli);

const PROGRAMS: [string, string, string[]][] = [
  ['intrinsics-arm', 'arm-neon-intrinsics.c', ['-O2', '-marm']],
  ['intrinsics-thumb', 'arm-neon-intrinsics.c', ['-O2', '-mthumb']],
  ['vectorize', 'arm-neon-vectorize.c', ['-O3', '-ftree-vectorize']],
  ['strings', 'arm-neon-strings.c', ['-O2', '-D_GNU_SOURCE']],
];

describe.skipIf(!READY)('NEON programs against qemu-arm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-arm-neon-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe.each(PROGRAMS)('%s', (name, src, flags) => {
    const elf = join(dir, name);
    let oracle = '';
    // Asynchronous runs: a worker blocked in spawnSync cannot answer vitest's RPC.
    it('builds and runs under qemu-arm', async () => {
      const cc = await spawnAsync('arm-linux-gnueabihf-gcc', [...flags, '-mfpu=neon', '-static', '-o', elf,
        join(import.meta.dirname, 'data', src)], { cwd: dir });
      expect(cc.status, cc.stderr.toString()).toBe(0);
      const q = await spawnAsync('qemu-arm', [elf], { cwd: dir });
      expect(q.status).toBe(0);
      oracle = q.stdout.toString('utf8');
      expect(oracle.split('\n').length).toBeGreaterThan(5);
    });
    it.each(['interp', 'wasm'])('tsemu-arm -backend %s', async (backend) => {
      const t = await spawnAsync('node', [ARM.cli, '-backend', backend, elf], { cwd: dir });
      expect(t.stderr.toString('utf8')).toBe('');
      expect(t.status).toBe(0);
      expect(t.stdout.toString('utf8')).toBe(oracle);
    }, 300_000);
  });
});
