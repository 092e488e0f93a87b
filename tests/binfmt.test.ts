// tsemu-binfmt against a stand-in binfmt_misc directory (a `register` file and entry files, as
// the kernel shows them): the registration line it writes (qemu's magic and mask, flag F), what
// status reports, uninstall, and its one-line refusals. `status` also reads the real
// /proc/sys/fs/binfmt_misc when it is mounted. A real install is not run here: binfmt_misc tries
// the newest entry first, so for its duration every guest binary another test's qemu-user
// hands to the kernel (the exec oracle, scripts/qemu-binfmt.sh) would run under tsemu instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './guest-bins/corpus.js';

const TOOL = join(ROOT, 'dist/src/cli/tsemu-binfmt.js');
const run = (...args: string[]) => {
  const r = spawnSync('node', [TOOL, ...args], { encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr, status: r.status };
};
const fakeDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-binfmt-'));
  writeFileSync(join(dir, 'register'), '');
  writeFileSync(join(dir, 'status'), 'enabled\n');
  return dir;
};
const RISCV_MAGIC = '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xf3\\x00';
const MASK = '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';

describe('tsemu-binfmt', () => {
  it('install writes the registration line: qemu\'s magic and mask, the entry point, flag F', () => {
    const dir = fakeDir();
    const r = run('install', '--arch', 'riscv64', '--dir', dir);
    const entry = join(ROOT, 'dist/src/cli/tsemu-riscv64.js');
    expect(r).toEqual({ out: `tsemu-riscv64: registered (${entry}, flags F)\n`, err: '', status: 0 });
    expect(readFileSync(join(dir, 'register'), 'utf8')).toBe(`:tsemu-riscv64:M:0:${RISCV_MAGIC}:${MASK}:${entry}:F`);
  });

  it('status shows tsemu\'s entry and any other entry with the same magic; uninstall removes it', () => {
    const dir = fakeDir();
    writeFileSync(join(dir, 'tsemu-riscv64'), 'enabled\ninterpreter /x/tsemu-riscv64.js\nflags: F\noffset 0\nmagic 7f454c460201010000000000000000000200f300\n');
    writeFileSync(join(dir, 'qemu-riscv64'), 'enabled\ninterpreter /q\nflags: P\noffset 0\nmagic 7f454c460201010000000000000000000200f300\n');
    expect(run('status', '--dir', dir).out).toBe(
      'tsemu-riscv64: enabled, interpreter /x/tsemu-riscv64.js; also for these binaries: qemu-riscv64\ntsemu-arm: not registered\n');
    expect(run('uninstall', '--arch', 'riscv64', '--dir', dir).out).toBe('tsemu-riscv64: removed\n');
    expect(readFileSync(join(dir, 'tsemu-riscv64'), 'utf8')).toBe('-1');
  });

  it('refuses in one line, changing nothing, when binfmt_misc is not mounted or the arch is unknown', () => {
    expect(run('install', '--dir', '/nonexistent')).toEqual({
      out: '', status: 1,
      err: 'tsemu-binfmt: binfmt_misc is not mounted at /nonexistent (as root: mount -t binfmt_misc binfmt_misc /nonexistent); nothing changed\n',
    });
    expect(run('install', '--arch', 'mips').err).toBe("tsemu-binfmt: unknown arch 'mips' (riscv64, arm or all)\n");
    expect(run('frobnicate').status).toBe(1);
  });

  it.skipIf(!existsSync('/proc/sys/fs/binfmt_misc/register'))('status reads the real binfmt_misc', () => {
    const r = run('status');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^tsemu-riscv64: .*\ntsemu-arm: .*\n$/);
  });
});
