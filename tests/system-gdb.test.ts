// The gdbstub of tsemu-system-riscv64 (-S, -gdb tcp::PORT), driven by gdb-multiarch in batch
// mode: frozen at start (at the reset vector, which runs as qemu's), a breakpoint, a step, integer registers and CSRs, memory, a second
// breakpoint in S-mode code, and the machine's end told to gdb; then attaching to a running
// machine (which stops it, as qemu does) and gdb's kill; with -smp 2, each hart a thread. Where qemu-system-riscv64 is installed
// the same session runs under it and gdb must print the same, but for what the test lists.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, freePort } from './gdb-driver.js';
import { onPath, ROOT } from './guest-bins/corpus.js';

const GDB = 'gdb-multiarch';
const QEMU = 'qemu-system-riscv64';
const hasGdb = onPath(GDB);
if (process.env.CI && !hasGdb) throw new Error(`${GDB} is required in CI`);
const hasQemu = onPath(QEMU);
const note = hasGdb ? '' : ` (skipped: ${GDB} is not on PATH)`;
const CLI = join(ROOT, 'dist/src/cli/tsemu-system-riscv64.js');
const elf = (name: string): string => join(ROOT, 'tests/system-bins/virt', name);

/** Starts the machine with the gdbstub on a free port and runs gdb's commands against it. */
async function session(emulator: string[], program: string, frozen: boolean, commands: string[], harts = 1) {
  const port = await freePort();
  const machine = collect(emulator[0], [...emulator.slice(1), '-M', 'virt', '-smp', String(harts), '-bios', 'none', '-kernel', elf(program), '-nographic',
    ...(frozen ? ['-S'] : []), '-gdb', `tcp::${port}`]);
  // Without -S the machine must be running when gdb attaches.
  if (!frozen) await new Promise((r) => setTimeout(r, 500));
  const gdb = await collect(GDB, ['-batch', '-nx', '-ex', 'set pagination off', '-ex', `file ${elf(program)}`,
    '-ex', `target remote 127.0.0.1:${port}`, ...commands.flatMap((c) => ['-ex', c])]);
  return { gdb: gdb.stdout + gdb.stderr, machine: await machine };
}

const tsemu = [process.execPath, CLI];

describe('tsemu-system-riscv64 -gdb', () => {
  it.skipIf(!hasGdb)(`-S: breakpoints, a step, registers and CSRs, memory, the machine's end${note}`, async () => {
    const commands = ['break main', 'continue', 'p/x $pc', 'stepi', 'p/x $pc', 'p/x $mstatus', 'p/x $mhartid',
      'x/2wx 0x80000000', 'break supervisor', 'continue', 'p/x $mcounteren', 'delete', 'continue'];
    const t = await session(tsemu, 'sstc', true, commands);
    expect(t.machine.status).toBe(0);
    expect(t.machine.stdout).toContain('  read without STCE: illegal instructions 0x1\n');
    expect(t.gdb).toMatch(/Breakpoint 1, 0x00000000800003c4 in main \(\)\n\$1 = 0x800003c4\n0x00000000800003c8 in main \(\)\n\$2 = 0x800003c8\n\$3 = 0xa00000000\n\$4 = 0x0\n/);
    expect(t.gdb).toContain('Breakpoint 2, 0x0000000080000222 in supervisor ()\n$5 = 0x0\n');
    expect(t.gdb).toContain('[Inferior 1 (process 1) exited normally]');
    if (!hasQemu) return;
    const q = await session([QEMU], 'sstc', true, commands);
    expect(q.machine.status).toBe(0);
    // qemu reports no exit to gdb (it closes the connection); from main on, the session must be
    // the same.
    const fromMain = (text: string): string => text.slice(text.indexOf('Breakpoint 1,'), text.indexOf('\n$5 = ') + 8);
    expect(fromMain(q.gdb)).toBe(fromMain(t.gdb));
  });

  it.skipIf(!hasGdb)(`-S stops at the reset vector in the mask ROM, which enters the program with a0, a1, a2 set${note}`, async () => {
    const commands = ['p/x $pc', 'x/6i $pc', 'x/2gx 0x1018', 'stepi 6', 'p/x $pc', 'p/x $a0', 'p/x $a1', 'p/x $a2', 'x/6gx $a2', 'kill'];
    const t = await session(tsemu, 'sstc', true, commands);
    expect(t.gdb).toContain('0x0000000000001000 in ?? ()\n$1 = 0x1000\n=> 0x1000:\tauipc\tt0,0x0\n   0x1004:\tadd\ta2,t0,40\n   0x1008:\tcsrr\ta0,mhartid\n');
    // Six instructions on: the program's entry, a0 the hart, a1 the device tree (at the end of
    // the 128 MiB of RAM), a2 fw_dynamic's information (magic "OSBI", version 2).
    expect(t.gdb).toContain('0x0000000080000000 in _start ()\n$2 = 0x80000000\n$3 = 0x0\n$4 = 0x87e00000\n$5 = 0x1028\n0x1028:\t0x000000004942534f\t0x0000000000000002\n');
    if (!hasQemu) return;
    const q = await session([QEMU], 'sstc', true, commands);
    expect(t.gdb).toBe(q.gdb);
  });

  it.skipIf(!hasGdb)(`-smp 2: each hart is a thread; a breakpoint hit on hart 1 makes it current, steps are its own, \`thread\` switches${note}`, async () => {
    const commands = ['info threads', 'break secondary', 'continue', 'p/x $mhartid', 'p/x $a0', 'stepi', 'p/x $pc',
      'thread 1', 'p/x $mhartid', 'thread 2', 'p/x $mhartid', 'p/x $pc', 'delete', 'continue'];
    const t = await session(tsemu, 'smp-ipi', true, commands, 2);
    expect(t.machine.status).toBe(0);
    expect(t.machine.stdout).toContain('harts in the device tree: 2\n');
    expect(t.gdb).toContain('* 1    Thread 1.1 (CPU#0 [running]) 0x0000000000001000 in ?? ()\n  2    Thread 1.2 (CPU#1 [running]) 0x0000000000001000 in ?? ()\n');
    expect(t.gdb).toContain('Thread 2 hit Breakpoint 1, 0x0000000080000238 in secondary ()\n$1 = 0x1\n$2 = 0x1\n0x000000008000023a in secondary ()\n$3 = 0x8000023a\n');
    expect(t.gdb).toMatch(/\[Switching to thread 1 \(Thread 1\.1\)\]\n#0 .*\n\$4 = 0x0\n\[Switching to thread 2 \(Thread 1\.2\)\]\n#0  0x000000008000023a in secondary \(\)\n\$5 = 0x1\n\$6 = 0x8000023a\n/);
    expect(t.gdb).toContain('[Inferior 1 (process 1) exited normally]');
    if (!hasQemu) return;
    const q = await session([QEMU], 'smp-ipi', true, commands, 2);
    expect(q.machine.status).toBe(0);
    // Where hart 0 is when hart 1 stops is a race (its #0 line); qemu ends by closing the
    // connection.
    const same = (text: string): string => text.slice(0, text.indexOf('\n$6 = ') + 16).replace(/(\(Thread 1\.1\)\]\n)#0 .*\n/, '$1#0 (hart 0, anywhere)\n');
    expect(same(q.gdb)).toBe(same(t.gdb));
  });

  it.skipIf(!hasGdb)(`attaching stops a running machine; gdb's kill ends it${note}`, async () => {
    const t = await session(tsemu, 'paged-idle', false, ['p/x $satp', 'p/x $mie', 'x/wx 0x80000000', 'x/wx 0x10000', 'kill']);
    expect(t.machine.stdout).toBe('ready\n');
    expect(t.machine.stderr).toBe('tsemu-system-riscv64: Terminated via GDBstub\n');
    expect(t.machine.status).toBe(0);
    // Stopped in the wfi loop; satp's Sv39 mode and root. The hart is in M-mode, where
    // addresses are physical: RAM reads, 0x10000 (no RAM there) does not.
    expect(t.gdb).toMatch(/ in wfi \(\)\n\$1 = 0x800000000008[0-9a-f]{4}\n\$2 = 0x0\n0x80000000 <_start>:\t0x[0-9a-f]{8}\n/);
    expect(t.gdb).toContain('Cannot access memory at address 0x10000');
  });
});
