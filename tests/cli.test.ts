// The command line as a user meets it: bad input gives one line with the tsemu-<arch> prefix and
// qemu's status (never a stack trace), and the logging options show the guest's syscalls, code,
// IR and generated wasm.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, TSEMU_CLI } from './guest-bins/corpus.js';

const HELLO = 'tests/guest-bins/riscv64/hello';
const run = (...args: string[]) => spawnSync('node', [TSEMU_CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });

describe('tsemu-riscv64 command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-cli-'));
  const text = join(dir, 'text');
  writeFileSync(text, 'not an ELF file\n');
  chmodSync(text, 0o755);
  const x86 = process.execPath; // node itself: an ELF for another machine

  it.each([
    ['/nonexistent/prog', 'Error while loading /nonexistent/prog: No such file or directory', 1],
    [text, `Error while loading ${text}: Exec format error`, 1],
    [x86, `${x86}: Invalid ELF image for this architecture`, 255],
  ])('refuses %s with one line and qemu\'s status', (file, line, status) => {
    const r = run(file);
    expect(r.stderr).toBe(`tsemu-riscv64: ${line}\n`);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(status);
  });

  // A program whose PT_LOADs are listed in reverse: Linux runs it, and so does tsemu; one with no
  // program headers it refuses (ENOEXEC), with qemu's words for the refusal.
  it('runs a program with its PT_LOADs out of order, refuses one with e_phnum 0', () => {
    const hello = readFileSync(join(ROOT, HELLO));
    const phoff = Number(hello.readBigUInt64LE(32));
    const loads = Array.from({ length: hello.readUInt16LE(56) }, (_, i) => phoff + i * 56).filter((at) => hello.readUInt32LE(at) === 1);
    const [a, b] = loads.map((at) => Buffer.from(hello.subarray(at, at + 56)));
    const swapped = Buffer.from(hello);
    swapped.set(b, loads[0]);
    swapped.set(a, loads[1]);
    const unordered = join(dir, 'unordered');
    writeFileSync(unordered, swapped, { mode: 0o755 });
    const ok = run(unordered, 'x');
    expect([ok.status, ok.stdout]).toEqual([0, 'Hello, world!\nunordered\nx\n']);
    const none = join(dir, 'phnum0');
    writeFileSync(none, Buffer.from(hello).fill(0, 56, 58), { mode: 0o755 });
    const r = run(none);
    expect([r.status, r.stderr]).toEqual([255, `tsemu-riscv64: ${none}: Invalid ELF image for this architecture\n`]);
  });

  it('says when no program is given', () => {
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each(['riscv64/proc_fork', 'riscv64/proc_forkloop', 'arm/proc_forkloop'])('forked children writing to a stdout redirected to a file share the parent\'s offset (%s)', (prog) => {
    // As `prog > out 2>/dev/null`: the shell opens the file once and parent and children write
    // at one offset (a child served by a spare uses the spare's copy of the parent's stdout,
    // inherited when it booted; proc_forkloop's children mostly run in reused spares).
    const out = join(dir, 'fork-out');
    const fd = openSync(out, 'w');
    const r = spawnSync('node', [join(ROOT, `dist/src/cli/tsemu-${prog.split('/')[0]}.js`), `tests/guest-bins/${prog}`], { cwd: ROOT, stdio: ['ignore', fd, 'ignore'] });
    closeSync(fd);
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, `tests/guest-bins/${prog}.stdout`), 'utf8'));
  });

  it('-strace prints each syscall with decoded arguments and its result', () => {
    const r = run('-strace', HELLO, 'x');
    expect(r.stdout).toBe('Hello, world!\nhello\nx\n');
    expect(r.stderr).toMatch(/^\d+ write\(1,0x[0-9a-f]+,22\) = 22$/m);
    expect(r.stderr).toMatch(/^\d+ readlinkat\(AT_FDCWD,"\/proc\/self\/exe",0x[0-9a-f]+,4096\) = \d+$/m);
    expect(r.stderr).toMatch(/^\d+ exit_group\(0\)$/m);
  });

  it('-d in_asm,op,out_asm logs guest code, IR and generated wasm to -D', () => {
    const log = join(dir, 'log');
    const r = run('-d', 'in_asm,op,out_asm', '-D', log, '-backend', 'wasm', HELLO);
    expect(r.status).toBe(0);
    const text = readFileSync(log, "utf8");
    expect(text).toMatch(/^IN: $/m);
    expect(text).toMatch(/^0x[0-9a-f]{8,16}:  [0-9a-f]{4,8}\s+\S+/m); // address, bits, mnemonic
    expect(text).toMatch(/^OP:$/m);
    expect(text).toMatch(/insn_start|---- 0x/);
    expect(text).toMatch(/^OUT: \[wasm/m);
  });

  it('-d cpu,exec traces each block with the registers before it', () => {
    const r = run('-d', 'cpu,exec', HELLO);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ pc {7}00000000000[0-9a-f]{5}\n x0\/zero {2}0{16} x1\/ra/m);
    expect(r.stderr).toMatch(/^Trace 0: \[[0-9a-f]{16}\]$/m);
  });

  it('-d page shows the mappings as the program starts', () => {
    const r = run('-d', 'page', HELLO);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^0{11}10000-[0-9a-f]{16} [0-9a-f]{16} r-x$/m);
    expect(r.stderr).toMatch(/^entry {7}0x[0-9a-f]{16}$/m);
  });

  it('-cpu switches extensions: without C, a compressed program dies of SIGILL', () => {
    expect(run('-cpu', 'rv64,zbb=off', HELLO).status).toBe(0);
    const r = run('-cpu', 'rv64,c=off', HELLO);
    expect(r.signal).toBe('SIGILL'); // the emulator dies of the guest's signal
    expect(r.stderr).toBe('tsemu-riscv64: uncaught target signal 4 (Illegal instruction) - core dumped\n');
  });
});
