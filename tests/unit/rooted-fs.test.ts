// A directory as the guest's root (src/linux-user/generic/rooted-fs.ts): guest paths are looked
// up inside it as chroot(2) would, whatever `..` and symlinks say.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E, hostErrno } from '../../src/linux-user/generic/errno.js';
import { lookupUnder, rootedFs } from '../../src/linux-user/generic/rooted-fs.js';

const outside = realpathSync(mkdtempSync(join(tmpdir(), 'tsemu-rooted-')));
const top = join(outside, 'root');
mkdirSync(join(top, 'a/b'), { recursive: true });
writeFileSync(join(top, 'file'), 'in the root');
writeFileSync(join(outside, 'file'), 'outside');
symlinkSync('../../../..', join(top, 'a/b/up'));
symlinkSync('/a', join(top, 'abs'));
symlinkSync('loop2', join(top, 'loop1'));
symlinkSync('loop1', join(top, 'loop2'));
symlinkSync('/a/new', join(top, 'dangling'));

const errnoOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (e) {
    return hostErrno(e);
  }
  return undefined;
};

describe('lookupUnder', () => {
  it.each([
    ['/', top],
    ['/..', top],
    ['/a/b/../../..', top],
    ['/a/b/up/file', join(top, 'file')],
    ['/a/b/up/../../file', join(top, 'file')],
    ['/abs/b', join(top, 'a/b')],
    ['/abs/../file', join(top, 'file')],
    ['a/./b//', join(top, 'a/b')],
  ])('%s is %s', (guest, host) => {
    expect(lookupUnder(top, guest, true)).toBe(host);
  });

  it('acts on a last symlink itself unless told to follow it', () => {
    expect(lookupUnder(top, '/abs', false)).toBe(join(top, 'abs'));
    expect(lookupUnder(top, '/abs', true)).toBe(join(top, 'a'));
    // A dangling link leads where its target would be, inside the root.
    expect(lookupUnder(top, '/dangling', true)).toBe(join(top, 'a/new'));
  });

  it('fails as the kernel\'s lookup does: ELOOP, ENOENT and ENOTDIR on the way', () => {
    expect(errnoOf(() => lookupUnder(top, '/loop1', true))).toBe(E.LOOP);
    expect(errnoOf(() => lookupUnder(top, '/missing/x', true))).toBe(E.NOENT);
    expect(errnoOf(() => lookupUnder(top, '/file/x', true))).toBe(E.NOTDIR);
    // `..` after a missing directory does not make it exist.
    expect(errnoOf(() => lookupUnder(top, '/missing/../file', true))).toBe(E.NOENT);
  });
});

describe('rootedFs', () => {
  const fs = rootedFs(top);
  it('reads, lists and links inside the root only', () => {
    expect(fs.readlinkSync('/abs')).toBe('/a');
    expect(fs.lstatSync('/abs').isSymbolicLink()).toBe(true);
    expect(fs.statSync('/abs').isDirectory()).toBe(true);
    expect(fs.existsSync('/a/b/up/../../../file')).toBe(true);
    expect(fs.existsSync('/loop1')).toBe(false);
    const fd = fs.openSync('/a/b/up/file', 'r');
    const buf = Buffer.alloc(32);
    expect(buf.subarray(0, fs.readSync(fd, buf, 0, 32, 0)).toString()).toBe('in the root');
    fs.closeSync(fd);
    fs.symlinkSync('/file', '/a/link');
    expect(fs.readlinkSync('/a/link')).toBe('/file');
    expect(fs.hostPath?.('/a/sock')).toBe(join(top, 'a/sock'));
  });
});
