// The README's recipes, run for real. CMake: a small C project (tests/recipes/cmake) configured
// with a cross toolchain file and CMAKE_CROSSCOMPILING_EMULATOR set to tsemu, built (dynamically
// linked, the compiler's default), and its three tests run by ctest, one failing on purpose:
// ctest must see two passes and that one failure, as the programs' exit statuses say. Meson:
// the same project and tests (tests/recipes/meson) with a cross file whose exe_wrapper is
// tsemu, run by `meson test`. Go: a package (tests/recipes/go) whose tests `go test -exec`
// runs under tsemu, cross-compiled for the guest (goroutines on threads; one test fails). A CI
// shell step (tests/recipes/ci-step.sh): the statuses a shell sees, 139 for a crash included.
// Cargo: a crate (tests/recipes/cargo) whose tests `cargo test --target` runs through
// CARGO_TARGET_<TRIPLE>_RUNNER set to tsemu, where a standard library for the target exists
// (rustup's, or Debian's armhf one from `make rust-std-armhf`; none for riscv64 here).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
      const configure = await step('cmake', ['-S', src, '-B', build, `-DCMAKE_TOOLCHAIN_FILE=${join(src, `${arch.name}.cmake`)}`,
        `-DCMAKE_CROSSCOMPILING_EMULATOR=${process.execPath};${arch.cli}`], build);
      expect(configure.status, configure.out).toBe(0);
      const made = await step('cmake', ['--build', build], build);
      expect(made.status, made.out).toBe(0);
      const ctest = await step('ctest', ['--output-on-failure'], build);
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

/** Runs `cmd` in `cwd`, stdout and stderr together. */
async function step(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<{ out: string; status: number | null }> {
  const r = await spawnAsync(cmd, args, { cwd, env });
  return { out: r.stdout.toString() + r.stderr.toString(), status: r.status };
}

describe.each([RISCV64, ARM])('Meson with tsemu as the exe_wrapper ($name)', (arch) => {
  const tools = onPath('meson') && onPath('ninja') && onPath(CC[arch.name]);
  if (process.env.CI && !tools) throw new Error(`meson, ninja and ${CC[arch.name]} are required in CI`);
  const note = tools ? '' : ` (skipped: needs meson, ninja and ${CC[arch.name]}; apt-get install meson)`;

  it.skipIf(!tools)(`sets up, builds and runs 3 tests, 1 failing on purpose${note}`, async () => {
    const build = mkdtempSync(join(tmpdir(), `tsemu-meson-${arch.name}-`));
    try {
      // The committed cross file names tsemu-<arch> as on an install; this one, read after it,
      // points exe_wrapper at this checkout's build instead.
      const wrapper = join(build, 'wrapper.ini');
      writeFileSync(wrapper, `[binaries]\nexe_wrapper = ['${process.execPath}', '${arch.cli}']\n`);
      const src = join(ROOT, 'tests/recipes/meson');
      const setup = await step('meson', ['setup', join(build, 'b'), src, '--cross-file', join(src, `${arch.name}.ini`), '--cross-file', wrapper], build);
      expect(setup.status, setup.out).toBe(0);
      const made = await step('meson', ['compile', '-C', join(build, 'b')], build);
      expect(made.status, made.out).toBe(0);
      const test = await step('meson', ['test', '-C', join(build, 'b'), '--print-errorlogs'], build);
      expect(test.status).not.toBe(0);
      expect(test.out).toMatch(/adds +OK/);
      expect(test.out).toMatch(/multiplies +OK/);
      expect(test.out).toMatch(/fails_on_purpose +FAIL .*exit status 1/);
      expect(test.out).toMatch(/Ok: +2 /);
      expect(test.out).toMatch(/Fail: +1 /);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.each([RISCV64, ARM])('go test -exec with tsemu ($name)', (arch) => {
  const tools = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
  const note = tools ? '' : ' (skipped: needs Go; apt-get install golang-go)';

  it.skipIf(!tools)(`runs a package's tests, 1 failing on purpose${note}`, async () => {
    const env = { ...process.env, GOARCH: arch.name, GOARM: '7', CGO_ENABLED: '0', GOFLAGS: '-count=1' };
    const r = await step('go', ['test', '-v', '-exec', `${process.execPath} ${arch.cli}`, '.'], join(ROOT, 'tests/recipes/go'), env);
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain('--- PASS: TestAdd');
    expect(r.out).toContain('--- PASS: TestMulParallel');
    expect(r.out).toContain('--- FAIL: TestFailsOnPurpose');
    expect(r.out).toContain('expected 5, got 4');
    expect(r.out).toMatch(/^FAIL\texample\.com\/calc/m);
  }, 180_000);
});

// Rust's target names; the runner and linker variables are CARGO_TARGET_<TRIPLE>_RUNNER/_LINKER.
const TRIPLE = { riscv64: 'riscv64gc-unknown-linux-gnu', arm: 'armv7-unknown-linux-gnueabihf' };
// Debian's armhf standard library, unpacked by `make rust-std-armhf`: Debian's own rustc (the
// same release) cross-compiles with it as --sysroot when rustup has no std for the target
// (`rustup target add` needs static.rust-lang.org).
const DEBIAN_STD = join(ROOT, 'tests/guest-bins/rust-std-armhf/usr');

/** The Rust standard library for `triple` is in `libdir`. */
function hasStd(libdir: string | undefined): boolean {
  return !!libdir && existsSync(libdir) && readdirSync(libdir).some((f) => /^libstd-.*\.rlib$/.test(f));
}

/** The cargo, rustc and extra RUSTFLAGS that build for `triple`, or why none can. */
function rustFor(triple: string): { cargo: string; rustc: string; flags: string } | string {
  if (onPath('rustc') && onPath('cargo')) {
    const libdir = spawnSync('rustc', ['--print', 'target-libdir', '--target', triple], { encoding: 'utf8' }).stdout?.trim();
    if (hasStd(libdir)) return { cargo: 'cargo', rustc: 'rustc', flags: '' };
  }
  if (existsSync('/usr/bin/rustc') && existsSync('/usr/bin/cargo') && hasStd(join(DEBIAN_STD, 'lib/rustlib', triple, 'lib'))) {
    return { cargo: '/usr/bin/cargo', rustc: '/usr/bin/rustc', flags: `--sysroot ${DEBIAN_STD}` };
  }
  return triple.startsWith('armv7')
    ? `no Rust standard library for ${triple}: rustup target add ${triple}, or apt-get install rustc cargo and make rust-std-armhf`
    : `no Rust standard library for ${triple}: rustup target add ${triple} (Debian 12 packages none)`;
}

describe.each([RISCV64, ARM])('cargo test with tsemu as the target runner ($name)', (arch) => {
  const triple = TRIPLE[arch.name];
  const rust = onPath(CC[arch.name]) ? rustFor(triple) : `needs ${CC[arch.name]}`;
  const note = typeof rust === 'string' ? ` (skipped: ${rust})` : '';

  it.skipIf(typeof rust === 'string')(`builds and runs a crate's 3 tests, 1 failing on purpose${note}`, async () => {
    if (typeof rust === 'string') return;
    // Built in a copy, so that Cargo.lock and target/ stay out of the source tree.
    const dir = mkdtempSync(join(tmpdir(), `tsemu-cargo-${arch.name}-`));
    try {
      cpSync(join(ROOT, 'tests/recipes/cargo'), dir, { recursive: true });
      const key = triple.toUpperCase().replace(/-/g, '_');
      const env: NodeJS.ProcessEnv = {
        ...process.env, RUSTC: rust.rustc, RUSTFLAGS: rust.flags, RUST_BACKTRACE: '0',
        [`CARGO_TARGET_${key}_LINKER`]: CC[arch.name],
        [`CARGO_TARGET_${key}_RUNNER`]: `${process.execPath} ${arch.cli}`,
      };
      const r = await step(rust.cargo, ['test', '--lib', '--target', triple], dir, env);
      expect(r.status, r.out).toBe(101);
      expect(r.out).toMatch(/^test tests::adds \.\.\. ok$/m);
      expect(r.out).toMatch(/^test tests::multiplies_on_threads \.\.\. ok$/m);
      expect(r.out).toMatch(/^test tests::fails_on_purpose \.\.\. FAILED$/m);
      expect(r.out).toContain('expected 5');
      expect(r.out).toContain('test result: FAILED. 2 passed; 1 failed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.each([RISCV64, ARM])('a CI shell step running test binaries under tsemu ($name)', (arch) => {
  it('sees each status as natively: 0, 42, and 139 for a SIGSEGV', async () => {
    const bin = (name: string): string => `tests/guest-bins/${arch.name}/${name}`;
    const env = { ...process.env, TSEMU: `${process.execPath} ${arch.cli}` };
    const r = await step('sh', [join(ROOT, 'tests/recipes/ci-step.sh'), bin('hello'), bin('return42'), bin('null_deref')], ROOT, env);
    expect(r.out).toBe(`${bin('hello')}: exit 0\n${bin('return42')}: exit 42\n${bin('null_deref')}: exit 139\n`);
    expect(r.status).toBe(1);
  }, 60_000);
});
