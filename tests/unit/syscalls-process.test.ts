import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { GuestExit, GuestSignal } from '../../src/linux-user/generic/process.js';
import { AT_FDCWD, Fixture, SCRATCH, makeFixture } from './syscalls-fixture.js';

const BUF = SCRATCH + 0x1000;
const ENOENT = 2, EINVAL = 22, ENOSYS = 38;
let f: Fixture;
beforeEach(() => { f = makeFixture(); });

describe('process, time and identity calls', () => {
  it('returns -ENOSYS for unknown numbers and logs each number once', () => {
    expect(f.p.syscall(999, [])).toBe(BigInt.asUintN(64, BigInt(-ENOSYS)));
    f.p.syscall(999, []);
    f.p.syscall(998, []);
    expect(f.logs).toEqual(['Unsupported syscall: 999', 'Unsupported syscall: 998']);
    expect(f.call('rseq', 0, 0, 0, 0)).toBe(-ENOSYS);
  });

  it('throws GuestExit for exit_group and GuestSignal for a fatal self-signal', () => {
    expect(() => f.call('exit_group', 259)).toThrow(GuestExit);
    try { f.call('exit', 7); } catch (e) { expect((e as GuestExit).status).toBe(7); }
    try {
      f.call('tgkill', process.pid, process.pid, 6);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GuestSignal);
      expect((e as GuestSignal).signo).toBe(6);
    }
    expect(f.call('kill', process.pid, 0)).toBe(0);
    expect(f.call('kill', process.pid, 17)).toBe(0); // SIGCHLD: ignored by default
  });

  it('records sigaction dispositions in the riscv layout and the signal mask', () => {
    const act = BUF, old = BUF + 64;
    f.mem.writeU64(act, 1n); // SIG_IGN
    f.mem.writeU64(act + 8, 0x4000000n);
    f.mem.writeU64(act + 16, 0x5n);
    expect(f.call('rt_sigaction', 6, act, 0, 8)).toBe(0);
    expect(f.call('rt_sigaction', 6, 0, old, 8)).toBe(0);
    expect([f.mem.readU64(old), f.mem.readU64(old + 8), f.mem.readU64(old + 16)]).toEqual([1n, 0x4000000n, 5n]);
    expect(f.call('tgkill', process.pid, process.pid, 6)).toBe(0); // now ignored
    expect(f.call('rt_sigaction', 9, act, 0, 8)).toBe(-EINVAL);
    expect(f.call('rt_sigaction', 6, act, 0, 16)).toBe(-EINVAL);
    f.mem.writeU64(act, (1n << 8n) | (1n << 1n));
    expect(f.call('rt_sigprocmask', 0, act, 0, 8)).toBe(0);
    expect(f.call('rt_sigprocmask', 2, 0, old, 8)).toBe(0);
    expect(f.mem.readU64(old)).toBe(1n << 1n); // SIGINT kept, SIGKILL's bit dropped
  });

  it('fills utsname, rlimits and hwprobe pairs', () => {
    expect(f.call('uname', BUF)).toBe(0);
    expect(f.mem.readCString(BUF)).toBe('Linux');
    expect(f.mem.readCString(BUF + 260)).toBe('riscv64');
    expect(f.mem.readCString(BUF + 65)).toBe(os.hostname());
    expect(f.call('prlimit64', 0, 3, 0, BUF)).toBe(0); // RLIMIT_STACK
    expect(f.mem.readU64(BUF)).toBe(8n << 20n);
    f.mem.writeU64(BUF, 1000n); f.mem.writeU64(BUF + 8, 2000n);
    expect(f.call('setrlimit', 7, BUF)).toBe(0);
    expect(f.call('getrlimit', 7, BUF + 32)).toBe(0);
    expect(f.mem.readU64(BUF + 40)).toBe(2000n);
    // keys 4 (IMA_EXT_0), 3 (BASE_BEHAVIOR), 99 (unknown)
    f.mem.writeU64(BUF, 4n); f.mem.writeU64(BUF + 16, 3n); f.mem.writeU64(BUF + 32, 99n);
    expect(f.call('riscv_hwprobe', BUF, 3, 0, 0, 0)).toBe(0);
    expect(f.mem.readU64(BUF + 8)).toBe(0b111011n); // FD C ZBA ZBB ZBS
    expect(f.mem.readU64(BUF + 24)).toBe(1n);
    expect([f.mem.readU64(BUF + 32), f.mem.readU64(BUF + 40)]).toEqual([2n ** 64n - 1n, 0n]);
  });

  it('describes the machine: sysinfo, statfs, affinity, randomness', () => {
    expect(f.call('sysinfo', BUF)).toBe(0);
    expect(f.mem.readU64(BUF + 32)).toBe(BigInt(os.totalmem()));
    expect(f.mem.readU32(BUF + 104)).toBe(1); // mem_unit
    expect(f.call('statfs', f.str(BUF + 512, '/'), BUF)).toBe(0);
    expect(f.mem.readU64(BUF + 8)).toBe(BigInt(fs.statfsSync('/').bsize));
    expect(f.call('statfs', f.str(BUF + 512, '/no/such/dir'), BUF)).toBe(-ENOENT);
    const cpus = os.availableParallelism();
    expect(f.call('sched_getaffinity', 0, 128, BUF)).toBe(8);
    expect(f.mem.readU64(BUF)).toBe((1n << BigInt(cpus)) - 1n);
    expect(f.call('sched_getaffinity', 0, 4, BUF)).toBe(-EINVAL);
    f.mem.write(BUF, new Uint8Array(64));
    expect(f.call('getrandom', BUF, 64, 0)).toBe(64);
    expect(f.mem.read(BUF, 64).some((b) => b !== 0)).toBe(true);
    expect(f.call('getrandom', BUF, 8, 0x100)).toBe(-EINVAL);
    // a path without a NUL in its first 4096 bytes
    f.mem.write(BUF, new Uint8Array(5000).fill(0x61));
    expect(f.call('chdir', BUF)).toBe(-36);
  });

  it('reads the clocks and sleeps', () => {
    const before = BigInt(Date.now()) / 1000n;
    expect(f.call('clock_gettime', 0, BUF)).toBe(0);
    const sec = f.mem.readU64(BUF);
    expect(sec >= before && sec <= before + 1n).toBe(true);
    expect(f.mem.readU64(BUF + 8) < 1000000000n).toBe(true);
    expect(f.call('clock_gettime', 99, BUF)).toBe(-EINVAL);
    expect(f.call('clock_gettime', 1, 0)).toBe(-14);
    f.mem.writeU64(BUF, 0n); f.mem.writeU64(BUF + 8, 20000000n);
    const t0 = performance.now();
    expect(f.call('nanosleep', BUF, 0)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    f.mem.writeU64(BUF + 8, 1000000000n);
    expect(f.call('nanosleep', BUF, 0)).toBe(-EINVAL);
    expect(f.call('getpid')).toBe(process.pid);
    expect(f.call('set_tid_address', BUF)).toBe(process.pid);
  });

  it('keeps the thread name for prctl and answers futex like a single thread', () => {
    expect(f.call('prctl', 16, BUF)).toBe(0);
    expect(f.mem.readCString(BUF)).toBe('prog');
    f.mem.write(BUF, Buffer.from('a-very-long-thread-name\0'));
    expect(f.call('prctl', 15, BUF)).toBe(0);
    expect(f.call('prctl', 16, BUF + 64)).toBe(0);
    expect(f.mem.readCString(BUF + 64)).toBe('a-very-long-thr');
    f.mem.writeU32(BUF, 5);
    expect(f.call('futex', BUF, 128, 4, 0, 0, 0)).toBe(-11); // value changed: EAGAIN
    expect(f.call('futex', BUF, 129, 1, 0, 0, 0)).toBe(0);
  });

  it('prints qemu-style -strace lines', () => {
    const s = makeFixture({ strace: true });
    const pid = process.pid;
    s.call('openat', AT_FDCWD, s.str(BUF, '/nonexistent/x'), 0o2000000, 0);
    s.call('mmap', 0, 8192, 3, 0x22, -1, 0);
    s.call('clock_gettime', 1, BUF);
    s.call('openat', AT_FDCWD, s.str(BUF, '/nonexistent/y'), 0o1101, 0o644);
    expect(() => s.call('exit_group', 3)).toThrow(GuestExit);
    expect(s.logs[0]).toBe(`${pid} openat(AT_FDCWD,"/nonexistent/x",O_RDONLY|O_CLOEXEC) = -1 errno=${ENOENT} (No such file or directory)`);
    expect(s.logs[1]).toBe(`${pid} mmap(NULL,8192,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x00000000efffe000`);
    expect(s.logs[2]).toMatch(new RegExp(`^${pid} clock_gettime\\(CLOCK_MONOTONIC,0x0000000000201000\\) = 0 \\(\\{tv_sec = \\d+,tv_nsec = \\d+\\}\\)$`));
    expect(s.logs[3]).toBe(`${pid} openat(AT_FDCWD,"/nonexistent/y",O_WRONLY|O_CREAT|O_TRUNC,0644) = -1 errno=2 (No such file or directory)`);
    expect(s.logs[4]).toBe(`${pid} exit_group(3)`);
  });

  it('-strace prints a call before it runs and its result after, as qemu does', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-strace-')), 'out');
    // Each piece of log text with what the guest's write had put in the file by then.
    const seen: [string, string][] = [];
    const s = makeFixture({ strace: true, log: (text) => seen.push([text, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '-']) });
    const fd = s.call('openat', AT_FDCWD, s.str(BUF, file), 0o101, 0o644);
    s.call('write', fd, s.str(BUF, 'guest'), 5);
    fs.rmSync(path.dirname(file), { recursive: true });
    const pid = process.pid;
    expect(seen.slice(2)).toEqual([[`${pid} write(${fd},0x201000,5)`, ''], [' = 5\n', 'guest']]);
  });

  it('decodes enumerated arguments and prints raw registers where qemu has no printer', () => {
    const s = makeFixture({ strace: true });
    const pid = process.pid;
    s.call('lseek', 1, -60, 1);
    s.call('fcntl', 1, 3, 77);
    s.call('faccessat', AT_FDCWD, s.str(BUF, '/'), 6, 0);
    s.call('set_tid_address', 0x7ff0, 5, -32);
    s.call('rt_sigprocmask', 0, BUF, 0, 8);
    expect(s.logs[0].startsWith(`${pid} lseek(1,-60,SEEK_CUR) = `)).toBe(true);
    expect(s.logs[1]).toMatch(/^\d+ fcntl\(1,F_GETFL\) = \d+$/);
    expect(s.logs[2].startsWith(`${pid} faccessat(AT_FDCWD,"/",R_OK|W_OK,0) = `)).toBe(true);
    expect(s.logs[3]).toBe(`${pid} set_tid_address(32752,5,-32,0,0,0) = ${pid}`);
    expect(s.logs[4]).toBe(`${pid} rt_sigprocmask(SIG_BLOCK,0x0000000000201000,NULL) = 0`);
  });

  it('raises SIGPIPE on a write to a pipe without readers, or returns EPIPE when it is ignored', () => {
    const fds = BUF;
    expect(f.call('pipe2', fds, 0)).toBe(0);
    const [r, w] = [f.mem.readU32(fds), f.mem.readU32(fds + 4)];
    expect(f.call('close', r)).toBe(0);
    let caught: unknown;
    try { f.call('write', w, fds, 4); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(GuestSignal);
    expect((caught as GuestSignal).signo).toBe(13);
    f.mem.writeU64(BUF + 64, 1n); // SIG_IGN
    f.mem.writeU64(BUF + 72, 0n);
    f.mem.writeU64(BUF + 80, 0n);
    expect(f.call('rt_sigaction', 13, BUF + 64, 0, 8)).toBe(0);
    expect(f.call('write', w, fds, 4)).toBe(-32);
  });
});
