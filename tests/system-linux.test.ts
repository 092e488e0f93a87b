// Linux under tsemu-system-riscv64 (issue 13): the kernel and busybox initramfs that
// `make system-images` builds into system-images/out (not committed: building them takes the
// Debian kernel sources and a quarter of an hour) boot through Debian's OpenSBI to a shell on the
// UART; commands typed there run, a file written to the virtio disk survives a reboot through
// the SiFive test device, and poweroff ends the emulator with status 0. Where
// qemu-system-riscv64 is installed the same conversation runs under it and the commands' output
// must be the same but for the CPU's description (qemu 7.2's hart has the H extension
// and Sv57; its marchid and mimpid are its own). Skipped, and says so, when the images are not built.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onPath } from './guest-bins/corpus.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(root, 'dist/src/cli/tsemu-system-riscv64.js');
const OUT = join(root, 'system-images/out');
const IMAGES = ['Image', 'initramfs.cpio.gz', 'disk.img'].map((f) => join(OUT, f));
const FW_DYNAMIC = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin';
const QEMU = 'qemu-system-riscv64';
const TIMEOUT_MS = 240_000;

const missing = [...IMAGES, FW_DYNAMIC].filter((f) => !existsSync(f));
const skipNote = missing.length ? ` (skipped: no ${missing.join(', ')}; run make system-images, apt-get install opensbi)` : '';
const hasQemu = onPath(QEMU);

/** The shell's prompt (init sets PS1='\w # ' in /root). */
const PROMPT = /\/root # $/;
/** Typed at the first prompt: the file goes to the ext2 disk on /mnt, then a reboot. */
const FIRST = 'uname -a; cat /proc/cpuinfo; ls /; cat /mnt/hello.txt; echo written before the reboot > /mnt/note.txt; sync; reboot -f';
const SECOND = 'cat /mnt/note.txt; poweroff -f';

interface Conversation { status: number | null; boots: string[]; stderr: string }

/** Boots the machine and answers each prompt with the next line of `lines`; the console's
 *  output is split at the prompts (boots[0] is the first boot's log, then each command's). */
function converse(cmd: string, args: string[], lines: string[]): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { timeout: TIMEOUT_MS, stdio: ['pipe', 'pipe', 'pipe'] });
    const boots: string[] = [''];
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      boots[boots.length - 1] += d;
      if (PROMPT.test(boots[boots.length - 1]) && boots.length <= lines.length) {
        child.stdin.write(`${lines[boots.length - 1]}\n`);
        boots.push('');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('exit', () => child.stdin.destroy());
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, boots, stderr }));
  });
}

/** A command line's output: what follows its echo (which busybox's line editing may wrap),
 *  up to the kernel's next message. */
function answer(part: string, line: string): string {
  const text = part.replace(/\r/g, '');
  const tail = `${line.slice(-16)}\n`;
  const lines = text.slice(text.indexOf(tail) + tail.length).split('\n');
  const end = lines.findIndex((l) => /^\[ *\d+\.\d+\] /.test(l));
  return lines.slice(0, end < 0 ? lines.length : end).join('\n');
}
/** Without the lines where qemu's hart and tsemu's differ. */
const portable = (text: string): string => text.replace(/^(isa|mmu|marchid|mimpid)\t+: .*\n/gm, '');

function machine(disk: string): string[] {
  return ['-M', 'virt', '-m', '256M', '-bios', 'default', '-kernel', IMAGES[0], '-initrd', IMAGES[1],
    '-append', 'console=ttyS0', '-nographic',
    // A virtio-mmio disk as qemu spells it (its if=virtio would be a PCI device on virt).
    '-drive', `file=${disk},format=raw,if=none,id=hd0`, '-device', 'virtio-blk-device,drive=hd0'];
}

describe('Linux on tsemu-system-riscv64 -M virt', () => {
  it.skipIf(missing.length > 0)(`boots OpenSBI and Linux to a busybox shell, keeps a file on the virtio disk across a reboot, powers off${skipNote}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsemu-linux-'));
    const disk = (name: string): string => {
      copyFileSync(IMAGES[2], join(dir, name));
      return join(dir, name);
    };
    const t = await converse(process.execPath, [CLI, ...machine(disk('tsemu.img'))], [FIRST, SECOND]);
    expect(t.stderr).toBe('');
    expect(t.status).toBe(0);
    expect(t.boots).toHaveLength(3);
    const [log, first, second] = t.boots;
    expect(log).toContain('OpenSBI v');
    expect(log).toMatch(/Linux version 6\.\d+\.\d+/);
    expect(log).toContain('tsemu: /dev/vda on /mnt');
    expect(answer(first, FIRST)).toMatch(/^Linux \(none\) 6\.\d+\.\d+ #1 SMP .* riscv64 GNU\/Linux\nprocessor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc/);
    expect(answer(first, FIRST)).toContain('hello from the virtio disk');
    expect(first).toContain('reboot: Restarting system');
    expect(second).toContain('reboot: Power down');
    expect(answer(second, SECOND)).toBe('written before the reboot');
    expect(readFileSync(join(dir, 'tsemu.img')).includes('written before the reboot\n')).toBe(true);
    if (!hasQemu) return;
    const q = await converse(QEMU, machine(disk('qemu.img')), [FIRST, SECOND]);
    expect(q.status).toBe(0);
    expect([portable(answer(q.boots[1], FIRST)), answer(q.boots[2], SECOND)]).toEqual([portable(answer(first, FIRST)), answer(second, SECOND)]);
  }, TIMEOUT_MS);

  it.skipIf(missing.length > 0)(`boots Linux with -smp 2: OpenSBI starts the second hart for it, /proc/cpuinfo lists both${skipNote}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsemu-linux-smp-'));
    const lines = ['cat /proc/cpuinfo', 'poweroff -f'];
    const args = (name: string): string[] => {
      copyFileSync(IMAGES[2], join(dir, name));
      return [...machine(join(dir, name)), '-smp', '2'];
    };
    const t = await converse(process.execPath, [CLI, ...args('tsemu.img')], lines);
    expect(t.stderr).toBe('');
    expect(t.status).toBe(0);
    expect(t.boots[0]).toContain('Platform HART Count       : 2');
    expect(t.boots[0]).toContain('smp: Brought up 1 node, 2 CPUs');
    const cpuinfo = answer(t.boots[1], lines[0]);
    // Linux's processor 0 is the hart that won OpenSBI's boot lottery, either of them.
    expect(cpuinfo).toMatch(/^processor\t: 0\nhart\t\t: [01]\n[^]*\nprocessor\t: 1\nhart\t\t: [01]\n/);
    expect(byHart(cpuinfo).map((e) => e.split('\n')[0])).toEqual(['hart\t\t: 0', 'hart\t\t: 1']);
    if (!hasQemu) return;
    const q = await converse(QEMU, args('qemu.img'), lines);
    expect(q.status).toBe(0);
    // The CPUs are compared by hart.
    expect(byHart(portable(answer(q.boots[1], lines[0])))).toEqual(byHart(portable(cpuinfo)));
  }, TIMEOUT_MS);
});

/** /proc/cpuinfo's entries (blank-line separated; the shell's prompt follows the last) without
 *  their processor numbers, in hart order. */
const byHart = (cpuinfo: string): string[] => cpuinfo.split('\n\n').filter((e) => e.startsWith('processor\t')).map((e) => e.replace(/^processor\t: \d+\n/, '')).sort();
