// A whole foreign root filesystem under -L, as `qemu-arm -L rootfs` runs one: Debian's armhf
// C library and coreutils with the libraries its programs link (SELinux and PCRE2 for ls,
// libcrypto for sha256sum, GMP for factor), unpacked by `make rootfs` (not committed). Each
// dynamically linked program is found under the root and started through the root's own
// /lib/ld-linux-armhf.so.3, and the absolute paths it opens (its libraries, the root's
// /usr/lib and /lib) are looked up under the root first. stdout, stderr and the exit status
// must be qemu-arm's. (qemu 7.2 does not redirect statx: `ls -l /lib/ld-linux-armhf.so.3` finds
// the host's path there, and fails, where tsemu, like a chroot, finds the root's; no case here
// stats an absolute path that only the root has.) Debian 12 has no riscv64 port to make such a
// root from.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARM, onPath, ROOT, RUN_TIMEOUT_MS, spawnAsync } from './guest-bins/corpus.js';

const ROOTFS = join(ROOT, 'tests/guest-bins/rootfs-armhf');

/** Program (a path inside the root) and its arguments. */
const CASES: [string, ...string[]][] = [
  ['/bin/ls', '/usr/lib'],
  ['/bin/ls', '-1', '/lib'],
  // -l asks each file for its SELinux label and ACLs (lgetxattr, getxattr).
  ['/bin/ls', '-l', '--time-style=+%Y', 'data.txt'],
  ['/usr/bin/sort', '-r', '-k2,2n', 'data.txt'],
  ['/usr/bin/sha256sum', 'data.txt'],
  ['/usr/bin/factor', '1234567', '600851475143'],
  ['/bin/cat', 'data.txt', 'missing.txt'],
  ['/usr/bin/wc', '-lw', 'data.txt'],
  ['/bin/readlink', '/lib/ld-linux-armhf.so.3'],
  ['/usr/bin/env', '/usr/bin/basename', '/a/b/c.txt', '.txt'],
];

describe('a Debian armhf root filesystem under -L', () => {
  const hasRoot = existsSync(join(ROOTFS, 'usr/bin/sort'));
  const hasQemu = onPath(ARM.qemu);
  if (process.env.CI && !hasQemu) throw new Error(`${ARM.qemu} is required in CI`);
  const skip = !hasRoot ? ` (skipped: ${ROOTFS} is absent; \`make rootfs\` fetches it)` : !hasQemu ? ` (skipped: ${ARM.qemu} is not on PATH)` : '';
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-rootfs-'));
  writeFileSync(join(dir, 'data.txt'), 'pear 3\napple 10\nfig 7\nbanana 1\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(skip !== '').each(CASES)(`%s %s${skip}`, async (prog, ...args) => {
    const run = (cmd: string, pre: string[]) => spawnAsync(cmd, [...pre, '-L', ROOTFS, join(ROOTFS, prog), ...args], { cwd: dir });
    const [oracle, got] = await Promise.all([run(ARM.qemu, []), run('node', [ARM.cli])]);
    expect(got.stdout.toString()).toBe(oracle.stdout.toString());
    expect(got.stderr.toString()).toBe(oracle.stderr.toString());
    expect(got.status).toBe(oracle.status);
    // What makes the comparison worth having: the programs ran, and found their root.
    expect(oracle.stderr.toString()).not.toMatch(/error while loading shared libraries/);
  }, RUN_TIMEOUT_MS + 10_000);
});
