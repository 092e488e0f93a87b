import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROT_WRITE } from '../../src/memory/guest-memory.js';
import { AT_FDCWD, SCRATCH, makeFixture } from './syscalls-fixture.js';

const O_RDWR = 2;
const PROT_RW = 3;
const MAP_SHARED = 1;
const MAP_PRIVATE = 2;
const MS_SYNC = 4;

/** A fixture whose process has a new file holding "abcdefgh" open read-write. */
function openedFile(): { f: ReturnType<typeof makeFixture>; file: string; fd: number } {
  const f = makeFixture();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-shm-')), 'data');
  fs.writeFileSync(file, 'abcdefgh');
  return { f, file, fd: f.call('openat', AT_FDCWD, f.str(SCRATCH, file), O_RDWR, 0) };
}

describe('MAP_SHARED file mappings', () => {
  it('reach the file at msync and munmap, even after close and unlink; private ones never do', () => {
    const { f, file, fd } = openedFile();
    const shared = f.call('mmap', 0, 4096, PROT_RW, MAP_SHARED, fd, 0);
    const priv = f.call('mmap', 0, 4096, PROT_RW, MAP_PRIVATE, fd, 0);
    expect(f.call('close', fd)).toBe(0);
    f.mem.write(priv, Buffer.from('ZZ'));
    f.mem.write(shared, Buffer.from('AB'));
    expect(fs.readFileSync(file, 'utf8')).toBe('abcdefgh'); // not before the next syscall
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

  it('take stores at the next syscall of any kind, and show writes to the file at once', () => {
    const { f, file, fd } = openedFile();
    const map = f.call('mmap', 0, 4096, PROT_RW, MAP_SHARED, fd, 0);
    // A syscall's store into the mapping (the checked writer) is noted and goes at the next call.
    f.mem.write(map, Buffer.from('AB'));
    expect(fs.readFileSync(file, 'utf8')).toBe('abcdefgh');
    expect(f.call('getpid')).toBeGreaterThan(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('ABcdefgh');
    // Written back, the page is tracked again: guest code's next store faults, and the fault
    // notes it (what vcpu-host's memoryFault does before running the instruction again).
    expect(f.mem.accessible(map, 1, PROT_WRITE)).toBe(false);
    expect(f.mem.noteWrite(map + 2)).toBe(true);
    expect(f.mem.accessible(map, 1, PROT_WRITE)).toBe(true);
    f.mem.u8[map + 2] = 'C'.charCodeAt(0);
    // mprotect keeps it noted for write-back, and tracked afterwards.
    expect(f.call('mprotect', map, 4096, 1)).toBe(0);
    expect(f.call('mprotect', map, 4096, PROT_RW)).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('ABCdefgh');
    expect(f.mem.accessible(map, 1, PROT_WRITE)).toBe(false);
    // pwrite through another fd shows in the mapping, and munmap does not put the old bytes back.
    const fd2 = f.call('openat', AT_FDCWD, f.str(SCRATCH, file), O_RDWR, 0);
    const buf = f.str(SCRATCH + 256, 'xy');
    expect(f.call('pwrite64', fd2, buf, 2, 6)).toBe(2);
    expect(Buffer.from(f.mem.read(map, 8)).toString()).toBe('ABCdefxy');
    expect(f.call('munmap', map, 4096)).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('ABCdefxy');
    expect(f.call('close', fd)).toBe(0);
    expect(f.call('close', fd2)).toBe(0);
  });
});
