// The fixed-seed fuzz batch the normal test run includes, once per guest arch (the test files
// instantiate it): random sequences under every backend against qemu-user, no mismatch allowed
// but the recorded qemu differences. Skipped with a note where qemu is not installed, except in
// CI, which must have it.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onPath } from '../guest-bins/corpus.js';
import { FuzzArch } from './arch.js';
import { formatMismatch, fuzz } from './fuzz.js';
import { BACKENDS, cliOf } from './runner.js';

export function describeFuzzBatch(arch: FuzzArch, seed: number, count: number): void {
  const hasQemu = onPath(arch.qemu);
  if (process.env.CI && !hasQemu) throw new Error(`${arch.qemu} is required in CI`);
  describe(`random ${arch.name} instructions against ${arch.qemu}`, () => {
    it.skipIf(!hasQemu)(`seed ${seed}, ${count} instructions, -backend ${BACKENDS.join('/')}${hasQemu ? '' : ` (skipped: ${arch.qemu} is not on PATH)`}`, async () => {
      if (!existsSync(cliOf(arch))) throw new Error(`${cliOf(arch)} is missing: run \`npm run build\` first`);
      const report = await fuzz({ arch, seed, count, length: 20, batch: 100, exts: arch.exts, backends: BACKENDS });
      expect(report.qemuFailures).toEqual([]);
      const unknown = report.mismatches.filter((m) => !m.known);
      expect(unknown.length, unknown.map(formatMismatch).join('\n')).toBe(0);
      expect(report.instructions).toBeGreaterThanOrEqual(count);
    }, 240_000);
  });
}
