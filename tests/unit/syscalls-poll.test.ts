// poll, ppoll, pselect6 through the riscv64 numbers: readiness of files, in-process pipes and
// bad fds, the sleep when nothing is ready, and a wait without a deadline that lasts until an fd is
// ready or a signal is to be handled (as on Linux).
import { beforeEach, describe, expect, it } from 'vitest';
import { AT_FDCWD, Fixture, SCRATCH, makeFixture, nr } from './syscalls-fixture.js';

const POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20;
const EBADF = 9, EINVAL = 22, ERESTARTNOHAND = 514;
const SIGUSR1 = 10;
const PFDS = SCRATCH + 0x1000;
const TS = SCRATCH + 0x2000;
const SETS = SCRATCH + 0x3000;

let f: Fixture;
let rd: number, wr: number, file: number;
beforeEach(() => {
  f = makeFixture();
  expect(f.call('pipe2', SCRATCH, 0)).toBe(0);
  [rd, wr] = [f.mem.readU32(SCRATCH), f.mem.readU32(SCRATCH + 4)];
  file = f.call('openat', AT_FDCWD, f.str(SCRATCH + 0x100, '/etc/hostname'), 0, 0);
  expect(file).toBeGreaterThan(0);
});

function pollfds(entries: [number, number][]): void {
  entries.forEach(([fd, events], i) => {
    f.mem.writeU32(PFDS + 8 * i, fd >>> 0);
    f.mem.writeU32(PFDS + 8 * i + 4, events | 0xbeef0000); // revents garbage to be replaced
  });
}
const revents = (i: number): number => f.mem.readU16(PFDS + 8 * i + 6);

describe('poll family', () => {
  it('has the asm-generic numbers', () => {
    expect([nr('pselect6'), nr('ppoll')]).toEqual([72, 73]);
  });

  it('reports files ready, a pipe by its buffered bytes and peers, bad fds as POLLNVAL', () => {
    pollfds([[rd, POLLIN], [wr, POLLOUT], [file, POLLIN | POLLOUT], [77, POLLIN], [-1, POLLIN]]);
    expect(f.call('ppoll', PFDS, 5, 0, 0, 8)).toBe(3);
    expect([0, 1, 2, 3, 4].map(revents)).toEqual([0, POLLOUT, POLLIN | POLLOUT, POLLNVAL, 0]);
    expect(f.call('write', wr, SCRATCH, 1)).toBe(1);
    pollfds([[rd, POLLIN]]);
    expect(f.call('ppoll', PFDS, 1, 0, 0, 8)).toBe(1);
    expect(revents(0)).toBe(POLLIN);
    f.call('close', wr);
    expect(f.call('ppoll', PFDS, 1, 0, 0, 8)).toBe(1);
    expect(revents(0)).toBe(POLLIN | POLLHUP); // data left, and no writer
    f.call('read', rd, SCRATCH + 0x200, 1);
    pollfds([[rd, 0]]);
    expect(f.call('ppoll', PFDS, 1, 0, 0, 8)).toBe(1);
    expect(revents(0)).toBe(POLLHUP); // reported even when not asked for
  });

  it('a write end without readers has POLLERR', () => {
    f.call('close', rd);
    pollfds([[wr, POLLOUT]]);
    expect(f.call('ppoll', PFDS, 1, 0, 0, 8)).toBe(1);
    expect(revents(0)).toBe(POLLOUT | POLLERR);
  });

  it('sleeps out the timeout when nothing is ready', () => {
    pollfds([[rd, POLLIN]]);
    f.mem.writeU64(TS, 0n);
    f.mem.writeU64(TS + 8, 30000000n);
    const t0 = performance.now();
    expect(f.call('ppoll', PFDS, 1, TS, 0, 8)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(f.mem.readU64(TS + 8)).toBe(0n); // the time left is written back
    expect(f.call('ppoll', PFDS, 1, TS, 0, 8)).toBe(0); // a zero timeout returns at once
    expect(f.call('ppoll', PFDS, 1, 0, SCRATCH, 4)).toBe(-EINVAL); // wrong sigset size
  });

  it('waits without a deadline until an fd is ready, or a signal with a handler is pending', () => {
    f.call('write', wr, SCRATCH, 1);
    pollfds([[rd, POLLIN]]);
    expect(f.call('ppoll', PFDS, 1, 0, 0, 8)).toBe(1);
    f.call('read', rd, SCRATCH + 0x200, 1);
    const act = SCRATCH + 0x400; // riscv's kernel sigaction: handler, flags, mask
    f.mem.write(act, new Uint8Array(24));
    f.mem.writeU64(act, 0x1000n);
    expect(f.call('rt_sigaction', SIGUSR1, act, 0, 8)).toBe(0);
    expect(f.call('kill', f.call('getpid'), SIGUSR1)).toBe(0);
    // The kernel's internal restart code: delivery turns it into EINTR once the handler has run.
    expect(f.call('ppoll', PFDS, 1, 0, 0, 8)).toBe(-ERESTARTNOHAND);
  });

  it('pselect6 keeps the ready fds of each set; a closed fd in a set is EBADF', () => {
    f.call('write', wr, SCRATCH, 1);
    const [r, w, x] = [SETS, SETS + 0x100, SETS + 0x200];
    const set = (at: number, fds: number[]): void => {
      f.mem.write(at, new Uint8Array(128));
      for (const fd of fds) f.mem.writeU8(at + (fd >> 3), f.mem.readU8(at + (fd >> 3)) | (1 << (fd & 7)));
    };
    const nfds = Math.max(rd, wr, file) + 1;
    set(r, [rd, file]); set(w, [wr]); set(x, [rd]);
    f.mem.writeU64(TS, 0n);
    f.mem.writeU64(TS + 8, 0n);
    expect(f.call('pselect6', nfds, r, w, x, TS, 0)).toBe(3);
    const bitsOf = (at: number): number => Number(f.mem.readU64(at));
    expect(bitsOf(r)).toBe((1 << rd) | (1 << file));
    expect(bitsOf(w)).toBe(1 << wr);
    expect(bitsOf(x)).toBe(0);
    set(r, [100]);
    expect(f.call('pselect6', 101, r, 0, 0, TS, 0)).toBe(-EBADF);
  });

});
