import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AT_FDCWD, SCRATCH, makeFixture } from './syscalls-fixture.js';

const O_RDWR = 2;
const PROT_RW = 3;
const MAP_SHARED = 1;
const MAP_PRIVATE = 2;
const MS_SYNC = 4;

describe('MAP_SHARED file mappings', () => {
  it('reach the file at msync and munmap, even after close and unlink; private ones never do', () => {
    const f = makeFixture();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-shm-')), 'data');
    fs.writeFileSync(file, 'abcdefgh');
    const fd = f.call('openat', AT_FDCWD, f.str(SCRATCH, file), O_RDWR, 0);
    const shared = f.call('mmap', 0, 4096, PROT_RW, MAP_SHARED, fd, 0);
    const priv = f.call('mmap', 0, 4096, PROT_RW, MAP_PRIVATE, fd, 0);
    expect(f.call('close', fd)).toBe(0);
    f.mem.write(priv, Buffer.from('ZZ'));
    f.mem.write(shared, Buffer.from('AB'));
    expect(fs.readFileSync(file, 'utf8')).toBe('abcdefgh'); // not before msync
    expect(f.call('msync', shared, 4096, MS_SYNC)).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('ABcdefgh');
    f.mem.write(shared + 6, Buffer.from('GH'));
    f.mem.write(shared + 100, Buffer.from('past the end of the file'));
    fs.unlinkSync(file);
    const fd2 = f.call('openat', AT_FDCWD, f.str(SCRATCH, file), O_RDWR | 0o100, 0o600); // O_CREAT: a new file
    expect(f.call('munmap', shared, 4096)).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(''); // the old, unlinked file got the write
    expect(f.call('close', fd2)).toBe(0);
    expect(f.call('munmap', priv, 4096)).toBe(0);
  });
});
