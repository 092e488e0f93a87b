// The README's CMake recipe, run for real: a small C project (tests/recipes/cmake) configured
// with a cross toolchain file and CMAKE_CROSSCOMPILING_EMULATOR set to tsemu, built (dynamically
// linked, the compiler's default), and its three tests run by ctest, one failing on purpose:
// ctest must see two passes and that one failure, as the programs' exit statuses say.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARM, RISCV64, ROOT, onPath, spawnAsync } from './guest-bins/corpus.js';

const CC = { riscv64: 'riscv64-linux-gnu-gcc', arm: 'arm-linux-gnueabihf-gcc' };

describe.each([RISCV64, ARM])('CMake and ctest with tsemu as the emulator ($name)', (arch) => {
  const tools = onPath('cmake') && onPath('ctest') && onPath(CC[arch.name]);
  if (process.env.CI && !tools) throw new Error(`cmake and ${CC[arch.name]} are required in CI`);
  const note = tools ? '' : ` (skipped: needs cmake and ${CC[arch.name]}; apt-get install cmake gcc-${arch.name === 'arm' ? 'arm-linux-gnueabihf' : 'riscv64-linux-gnu'})`;

  it.skipIf(!tools)(`configures, builds and runs 3 tests, 1 failing on purpose${note}`, async () => {
    const src = join(ROOT, 'tests/recipes/cmake');
    const build = mkdtempSync(join(tmpdir(), `tsemu-cmake-${arch.name}-`));
    try {
      const step = async (cmd: string, args: string[]): Promise<{ out: string; status: number | null }> => {
        const r = await spawnAsync(cmd, args, { cwd: build });
        return { out: r.stdout.toString() + r.stderr.toString(), status: r.status };
      };
      const configure = await step('cmake', ['-S', src, '-B', build, `-DCMAKE_TOOLCHAIN_FILE=${join(src, `${arch.name}.cmake`)}`,
        `-DCMAKE_CROSSCOMPILING_EMULATOR=${process.execPath};${arch.cli}`]);
      expect(configure.status, configure.out).toBe(0);
      const made = await step('cmake', ['--build', build]);
      expect(made.status, made.out).toBe(0);
      const ctest = await step('ctest', ['--output-on-failure']);
      expect(ctest.status).not.toBe(0);
      expect(ctest.out).toMatch(/Test #1: adds \.+ +Passed/);
      expect(ctest.out).toMatch(/Test #2: multiplies \.+ +Passed/);
      expect(ctest.out).toMatch(/Test #3: fails_on_purpose \.+\*+Failed/);
      // The failing test's own output (stdout is a pipe there, so its line comes at exit).
      expect(ctest.out).toContain('add 2 2 = 4\n');
      expect(ctest.out).toContain('expected 5\n');
      expect(ctest.out).toContain('67% tests passed, 1 tests failed out of 3');
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }, 120_000);
});
