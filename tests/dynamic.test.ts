// Dynamically linked programs (tests/guest-bins/src/dynamic: built the cross compiler's default
// way, one with a library of its own): with no option the dynamic loader and the libraries come
// from the Debian cross sysroot; their output is what qemu-user gave with -L (recorded, and
// compared live when qemu is installed). Also QEMU_LD_PREFIX, -E LD_PRELOAD and LD_LIBRARY_PATH,
// the dynamic loader run as a program, and the one-line error when no sysroot has the
// interpreter.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARM, RISCV64, ROOT, expected, onPath, programPath, runProgram, spawnAsync } from './guest-bins/corpus.js';

const SYSROOT = { riscv64: '/usr/riscv64-linux-gnu', arm: '/usr/arm-linux-gnueabihf' };
const INTERP = { riscv64: '/lib/ld-linux-riscv64-lp64d.so.1', arm: '/lib/ld-linux-armhf.so.3' };
const PACKAGES = { riscv64: 'libc6-riscv64-cross libstdc++6-riscv64-cross', arm: 'libc6-armhf-cross libstdc++6-armhf-cross' };
const PROGRAMS = ['dynamic/dyn_hello', 'dynamic/dyn_cxx', 'dynamic/dyn_plugin'];

describe.each([RISCV64, ARM])('dynamically linked programs ($name)', (arch) => {
  const root = SYSROOT[arch.name];
  const has = existsSync(join(root, INTERP[arch.name])) && existsSync(join(root, 'lib/libstdc++.so.6'));
  if (process.env.CI && !has) throw new Error(`${root} with libc and libstdc++ is required in CI`);
  const note = has ? '' : ` (skipped: no sysroot at ${root}; apt-get install ${PACKAGES[arch.name]})`;
  const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnAsync('node', [arch.cli, ...args], { cwd: ROOT, env }).then((r) => ({ out: r.stdout.toString(), err: r.stderr.toString(), status: r.status }));

  it.skipIf(!has).each(PROGRAMS)(`%s runs with no option${note}`, async (name) => {
    const r = await runProgram('node', [arch.cli], name, arch.name);
    expect({ stdout: r.stdout, status: r.status }).toEqual(expected(name, arch.name));
    expect(r.stderr).toBe('');
  }, 60_000);

  it.skipIf(!has || !onPath(arch.qemu)).each(PROGRAMS)(`%s gives qemu-user's output (-L ${root})${note}`, async (name) => {
    const [oracle, got] = await Promise.all([
      runProgram(arch.qemu, ['-L', root], name, arch.name),
      runProgram('node', [arch.cli, '-L', root], name, arch.name),
    ]);
    expect(got).toEqual(oracle);
  }, 60_000);

  it.skipIf(!has)(`QEMU_LD_PREFIX names the sysroot, and the loader runs as a program${note}`, async () => {
    const prog = programPath('dynamic/dyn_hello', arch.name);
    const viaEnv = await run([prog, 'x'], { ...process.env, QEMU_LD_PREFIX: root });
    expect(viaEnv.out.split('\n')[0]).toBe('hello from a dynamic program, argc=2');
    const listed = await run([join(root, INTERP[arch.name]), '--list', prog]);
    expect(listed.status).toBe(0);
    expect(listed.out).toMatch(/^\tlibc\.so\.6 => \/lib\/libc\.so\.6 \(0x[0-9a-f]+\)$/m);
  }, 60_000);

  it.skipIf(!has)(`-E LD_PRELOAD reaches the guest's dynamic loader, as under qemu -L${note}`, async () => {
    const pre = join(ROOT, programPath('dynamic/libdynpre.so', arch.name));
    const prog = programPath('dynamic/dyn_hello', arch.name);
    const got = await run(['-E', `LD_PRELOAD=${pre}`, prog]);
    expect(got.status).toBe(0);
    expect(got.out).toBe(`preloaded: its constructor ran before main\n${expected('dynamic/dyn_hello', arch.name).stdout}`);
    if (onPath(arch.qemu)) {
      const oracle = await spawnAsync(arch.qemu, ['-L', root, '-E', `LD_PRELOAD=${pre}`, prog], { cwd: ROOT });
      expect(got.out).toBe(oracle.stdout.toString());
    }
  }, 60_000);

  it.skipIf(!has)(`-E LD_LIBRARY_PATH is where the loader finds a library named without a path, as under qemu -L${note}`, async () => {
    const dir = join(ROOT, 'tests/guest-bins', arch.name, 'dynamic');
    const prog = programPath('dynamic/dyn_hello', arch.name);
    const args = ['-E', `LD_LIBRARY_PATH=${dir}`, '-E', 'LD_PRELOAD=libdynpre.so', prog];
    const got = await run(args);
    expect(got.status).toBe(0);
    expect(got.out.split('\n')[0]).toBe('preloaded: its constructor ran before main');
    const without = await run(['-E', 'LD_PRELOAD=libdynpre.so', prog]);
    expect(without.out.split('\n')[0]).toBe('hello from a dynamic program, argc=1');
    if (onPath(arch.qemu)) {
      const oracle = await spawnAsync(arch.qemu, ['-L', root, ...args], { cwd: ROOT });
      expect(got.out).toBe(oracle.stdout.toString());
    }
  }, 60_000);

  it.skipIf(!has)(`-d in_asm logs the blocks of the loader and libc, mapped high, and the program runs${note}`, async () => {
    const prog = programPath('dynamic/dyn_hello', arch.name);
    const r = await run(['-d', 'in_asm', prog]);
    expect(r.status, r.err.split('\n').slice(-3).join('\n')).toBe(0);
    expect(r.out).toBe(expected('dynamic/dyn_hello', arch.name).stdout);
    // Blocks above 2 GiB (libc is mapped near the top; on arm it is Thumb code there).
    expect(r.err).toMatch(/^0x(0{8})?[89a-f][0-9a-f]{7}: /m);
  }, 60_000);

  it('with no sysroot that has the interpreter: one line naming what was tried, qemu\'s status 255', async () => {
    const r = await run(['-L', '/nonexistent', programPath('dynamic/dyn_hello', arch.name)]);
    expect(r.status).toBe(255);
    expect(r.out).toBe('');
    expect(r.err).toBe(`tsemu-${arch.name}: Could not open '${INTERP[arch.name]}': No such file or directory `
      + `(tried /nonexistent${INTERP[arch.name]}; give the guest's sysroot with -L or QEMU_LD_PREFIX)\n`);
  }, 60_000);
});
