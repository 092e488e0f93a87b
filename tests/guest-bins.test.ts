// Runs every committed guest program under each backend and checks stdout and exit status
// against the outputs recorded from qemu-riscv64 (tests/guest-bins/riscv64/NAME.stdout, .status).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expected, programs, RUN_TIMEOUT_MS, runProgram, TSEMU_CLI } from './guest-bins/corpus.js';

const BACKENDS = ['interp', 'wasm', 'tiered'] as const;
const names = programs('riscv64');

describe('guest corpus', () => {
  it('has programs with recorded expectations, including hello', () => {
    expect(names).toContain('hello');
    expect(names.length).toBeGreaterThanOrEqual(28);
  });
});

for (const backend of BACKENDS) {
  describe(`guest programs, -backend ${backend}`, () => {
    it.each(names)('%s', (name) => {
      if (!existsSync(TSEMU_CLI)) throw new Error(`${TSEMU_CLI} is missing: run \`npm run build\` first`);
      const got = runProgram('node', [TSEMU_CLI, '-backend', backend], name);
      const want = expected(name);
      expect(got.stdout).toBe(want.stdout);
      expect(got.status, `exit status; stderr was:\n${got.stderr}`).toBe(want.status);
    }, RUN_TIMEOUT_MS + 10_000);
  });
}
