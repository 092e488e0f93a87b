// -monitor of tsemu-system-riscv64 (the compiled CLI, as `npm test` builds it): the monitor on
// a Unix or TCP socket that a client of the test talks to while tests/system-bins/virt/paged-idle
// idles in its wfi loop (`info registers` answers with that hart's state, `quit` ends the
// emulator with status 0), qemu's server `wait` (the machine starts once a client connects),
// -monitor none (the console then has no Ctrl-A escapes: they reach the guest, as under qemu),
// -monitor stdio refused as qemu 7.2 refuses it with -nographic, and a socket that cannot
// listen. Where qemu-system-riscv64 is installed the same conversations run under it and must
// agree but for the banner's name and version, and the lines the test lists.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from './gdb-driver.js';
import { onPath, ROOT } from './guest-bins/corpus.js';
import { packageVersion } from '../src/cli/options.js';
import { symbolLookup } from '../src/loader/symbols.js';

const CLI = join(ROOT, 'dist/src/cli/tsemu-system-riscv64.js');
const QEMU = 'qemu-system-riscv64';
const hasQemu = onPath(QEMU);
const skipNote = hasQemu ? '' : ` (qemu comparison skipped: ${QEMU} is not on PATH)`;
const PAGED_IDLE = join(ROOT, 'tests/system-bins/virt/paged-idle');
const PLIC_UART = join(ROOT, 'tests/system-bins/virt/plic-uart');
const boot = (elf: string): string[] => ['-M', 'virt', '-bios', 'none', '-kernel', elf, '-nographic'];
const dir = mkdtempSync(join(tmpdir(), 'tsemu-monitor-'));
const tsemu = [process.execPath, CLI];
const qemu = [QEMU];

interface Machine {
  child: ChildProcess;
  stdout: () => string;
  /** Resolves once stdout matches. */
  printed: (re: RegExp) => Promise<void>;
  exit: Promise<{ status: number | null; stdout: string; stderr: string }>;
}

/** Starts an emulator; `input` goes to its stdin once `after` is on its stdout. */
function start(cmd: string[], args: string[], input?: { after: RegExp; text: string }): Machine {
  const child = spawn(cmd[0], [...cmd.slice(1), ...args], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
  let stdout = '', stderr = '';
  const waiting: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.setEncoding('latin1').on('data', (d: string) => {
    stdout += d;
    for (const w of waiting.filter((x) => x.re.test(stdout))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr!.setEncoding('latin1').on('data', (d: string) => { stderr += d; });
  const printed = (re: RegExp): Promise<void> => new Promise((resolve) => {
    if (re.test(stdout)) resolve();
    else waiting.push({ re, resolve });
  });
  if (input) void printed(input.after).then(() => child.stdin!.write(input.text));
  const exit = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (status) => {
      child.stdin!.destroy();
      resolve({ status, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, printed, exit };
}

/** qemu's run of a program that is typed a line: qemu loses the line in some runs (here,
 *  about half of them when it was typed at the program's first lines, and still now and then
 *  when typed at its last) and then waits for ever, so a run still going after 10 s is ended
 *  and run again, up to three times. */
async function qemuTyped(args: string[], input: { after: RegExp; text: string }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  for (let attempt = 1; ; attempt++) {
    const m = start(qemu, args, input);
    let lost = false;
    const timer = setTimeout(() => { lost = true; m.child.kill(); }, 10_000);
    const r = await m.exit;
    clearTimeout(timer);
    if (!lost || attempt === 3) return r;
  }
}

/** Connects to the monitor (retrying while it is not listening yet), types each command after
 *  a prompt, and returns everything the monitor sent until it closed the connection. */
async function converse(where: { path: string } | { port: number }, commands: string[]): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const s = 'path' in where ? net.connect(where.path) : net.connect(where.port, '127.0.0.1');
        let text = '', next = 0, connected = false;
        s.on('connect', () => { connected = true; });
        s.setEncoding('latin1').on('data', (d: string) => {
          text += d;
          if (text.endsWith('(qemu) ') && next < commands.length) s.write(`${commands[next++]}\n`);
        });
        s.on('error', (e) => { if (!connected) reject(e); });
        s.on('close', () => { if (connected) resolve(text); });
      });
    } catch (e) {
      if (attempt >= 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The registers' lines of `info registers` but the H extension's (qemu 7.2's hart has it). */
const registers = (text: string): string[] => text.replace(/\r/g, '').split('\n')
  .filter((l) => /^ [a-z]\w* +[0-9a-f]{16}$/.test(l) && !/^ (h\w+|vs\w+|mtval2) /.test(l));

/** paged-idle with its monitor on a Unix socket, asked `info registers` and `quit` once it idles. */
async function unixSession(cmd: string[], name: string) {
  const path = join(dir, name);
  const m = start(cmd, [...boot(PAGED_IDLE), '-monitor', `unix:${path},server,nowait`]);
  await m.printed(/ready\n/);
  const text = await converse({ path }, ['info registers', 'quit']);
  return { text, ...(await m.exit) };
}

describe('tsemu-system-riscv64 -monitor', () => {
  it(`unix:PATH,server,nowait: info registers shows the running hart, quit ends with status 0${skipNote}`, async () => {
    const t = await unixSession(tsemu, 'tsemu.sock');
    expect(t.status).toBe(0);
    expect(t.stdout).toBe('ready\n');
    expect(t.stderr).toBe('');
    expect(t.text.startsWith(`tsemu ${packageVersion()} monitor - type 'help' for more information\r\n(qemu) info registers\r\n\r\nCPU#0\r\n pc       `)).toBe(true);
    expect(t.text.endsWith('(qemu) quit\r\n')).toBe(true);
    // The hart idles in the program's wfi loop, with its Sv39 table in satp.
    const pc = Number.parseInt(/ pc +([0-9a-f]{16})/.exec(t.text)![1], 16);
    expect(symbolLookup([{ path: PAGED_IDLE, bias: 0 }])(pc)).toBe('wfi');
    expect(t.text).toContain('\r\n satp     8000000000080');
    if (!hasQemu) return;
    const q = await unixSession(qemu, 'qemu.sock');
    expect(q.status).toBe(0);
    expect(q.stdout).toBe(t.stdout);
    expect(q.text).toMatch(/^QEMU [\d.]+ monitor - type 'help' for more information\r\n\(qemu\) /);
    expect(registers(q.text)).toEqual(registers(t.text));
  });

  it(`tcp::PORT,server: the machine waits for the monitor's client, then runs${skipNote}`, async () => {
    const session = async (cmd: string[]) => {
      const port = await freePort();
      const m = start(cmd, [...boot(PAGED_IDLE), '-monitor', `tcp:127.0.0.1:${port},server`]);
      // Nothing runs before the client is there (paged-idle prints at once when it runs).
      await new Promise((r) => setTimeout(r, 500));
      const before = m.stdout();
      const text = await converse({ port }, ['info mem', 'quit']);
      return { ...(await m.exit), text, port, before };
    };
    const t = await session(tsemu);
    expect(t.before).toBe('');
    expect(t.status).toBe(0);
    expect(t.stdout).toBe('ready\n');
    expect(t.stderr).toBe(`tsemu-system-riscv64: -monitor tcp:127.0.0.1:${t.port},server: info: tsemu waiting for connection on: disconnected:tcp:127.0.0.1:${t.port},server=on\n`);
    expect(t.text).toMatch(/^tsemu \S+ monitor - type 'help' for more information\r\n\(qemu\) info mem\r\n/);
    if (!hasQemu) return;
    const q = await session(qemu);
    expect(q.before).toBe('');
    expect(q.status).toBe(0);
    expect(q.stdout).toBe(t.stdout);
    expect(q.stderr.replace(/^qemu-(\S+) (.*)QEMU waiting/, 'tsemu-$1 $2tsemu waiting').replaceAll(String(q.port), String(t.port))).toBe(t.stderr);
  });

  it(`none: no monitor, and the console passes Ctrl-A to the guest${skipNote}`, async () => {
    // plic-uart prints the line it receives; Ctrl-A x is two bytes of it, not the escape. The
    // line goes once the program is about to receive (its last line before): typed at its
    // first lines, qemu lost it in about half the runs and never ended.
    const args = [...boot(PLIC_UART), '-monitor', 'none'];
    const input = { after: /mip\.SEIP after complete/, text: 'a\x01xb\n' };
    const t = await start(tsemu, args, input).exit;
    expect(t.status).toBe(0);
    expect(t.stdout.endsWith('received: a\x01xb\n')).toBe(true);
    if (hasQemu) expect(await qemuTyped(args, input)).toEqual(t);
  });

  it(`a socket that cannot listen fails with qemu's message and status 1; client sockets are refused${skipNote}`, async () => {
    const args = [...boot(PAGED_IDLE), '-monitor', 'unix:/nonexistent/dir/sock,server,nowait'];
    const t = await start(tsemu, args).exit;
    expect(t).toEqual({ status: 1, stdout: '', stderr: 'tsemu-system-riscv64: -monitor unix:/nonexistent/dir/sock,server,nowait: Failed to bind socket to /nonexistent/dir/sock: No such file or directory\n' });
    if (hasQemu) {
      const q = await start(qemu, args).exit;
      expect({ ...q, stderr: q.stderr.replace(/^qemu-/, 'tsemu-') }).toEqual(t);
    }
    // qemu would connect to a server there; tsemu only listens.
    const client = await start(tsemu, [...boot(PAGED_IDLE), '-monitor', `unix:${join(dir, 'none.sock')}`]).exit;
    expect(client.status).toBe(1);
    expect(client.stderr).toMatch(/^tsemu-system-riscv64: -monitor unix:\S+: only none, stdio, unix:PATH,server\[,nowait\] and tcp:\[HOST\]:PORT,server\[,nowait\] are implemented\n$/);
  });

  it(`stdio: refused with -nographic, after the banner, as qemu 7.2 refuses it${skipNote}`, async () => {
    const args = [...boot(PAGED_IDLE), '-monitor', 'stdio'];
    const t = await start(tsemu, args).exit;
    expect(t).toEqual({
      status: 1,
      stdout: `tsemu ${packageVersion()} monitor - type 'help' for more information\r\n(qemu) `,
      stderr: "tsemu-system-riscv64: cannot use stdio by multiple character devices\ntsemu-system-riscv64: could not connect serial device to character backend 'stdio'\n",
    });
    if (!hasQemu) return;
    const q = await start(qemu, args).exit;
    expect(q.status).toBe(1);
    expect(q.stdout).toMatch(/^QEMU [\d.]+ monitor - type 'help' for more information\r\n\(qemu\) $/);
    expect(q.stderr.replaceAll('qemu-system', 'tsemu-system')).toBe(t.stderr);
  });
});
