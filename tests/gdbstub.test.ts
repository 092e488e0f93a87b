// The gdbstub (-g port, TSEMU_GDB): gdb-multiarch drives tsemu on both guests with the committed
// tests/guest-bins/<arch>/gdb/gdb_target (its source: tests/guest-bins/src/gdb/gdb_target.c),
// under every backend. Where qemu-user is installed, the same gdb commands run against
// `qemu-<arch> -g` too, and gdb must print the same thing for both. qemu 7.2 refuses
// watchpoints in user mode, so those are checked against what the program does instead. A raw
// protocol client checks what gdb's batch mode cannot drive: Ctrl-C, breakpoints and
// watchpoints in hot (compiled) code, and bad packets.
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARM, type GuestArch, onPath, RISCV64, ROOT } from './guest-bins/corpus.js';
import { collect, freePort } from './gdb-driver.js';

const GDB = 'gdb-multiarch';
const hasGdb = onPath(GDB);
if (process.env.CI && !hasGdb) throw new Error(`${GDB} is required in CI`);
const gdbNote = hasGdb ? '' : ` (skipped: ${GDB} is not on PATH)`;

interface Case {
  arch: GuestArch;
  /** The register of a function's first argument, and gdb's number of pc. */
  arg: string;
  pcRegnum: number;
  /** Floating-point and status registers gdb gets from the fpu/vfp features. */
  fpRegs: string[];
}
const CASES: Case[] = [
  { arch: RISCV64, arg: '$a0', pcRegnum: 32, fpRegs: ['$fflags', '$frm', '$fcsr', '$ft0', '$fa0'] },
  { arch: ARM, arg: '$r0', pcRegnum: 15, fpRegs: ['$cpsr', '$fpscr', '$d0', '$s1'] },
];
const BACKENDS = ['interp', 'wasm', 'tiered'];

const binary = (arch: GuestArch): string => `tests/guest-bins/${arch.name}/gdb/gdb_target`;
const tsemu = (arch: GuestArch, backend: string): string[] => ['node', arch.cli, '-backend', backend];

/** Starts `emulator` waiting for gdb (with -g, or TSEMU_GDB when `viaEnv`) and runs gdb's batch
 *  `commands` against it; gdb's connect retries until the stub listens. */
async function debug(emulator: string[], arch: GuestArch, guestArgs: string[], commands: string[], viaEnv = false) {
  const port = await freePort();
  const env = viaEnv ? { ...process.env, TSEMU_GDB: String(port) } : process.env;
  const gdbFlag = viaEnv ? [] : ['-g', String(port)];
  const guest = collect(emulator[0], [...emulator.slice(1), ...gdbFlag, binary(arch), ...guestArgs], env);
  const gdb = await collect(GDB, ['-batch', '-nx', '-ex', 'set pagination off', '-ex', `file ${binary(arch)}`,
    '-ex', `target remote 127.0.0.1:${port}`, ...commands.flatMap((c) => ['-ex', c])]);
  return { gdb: gdb.stdout + gdb.stderr, guest: await guest };
}

/** gdb's output without what differs between two emulators for reasons outside the stub:
 *  the stack's place (values within 16 MiB of sp) and the pid gdb names. */
function normalize(text: string): string {
  const sp = /^sp\s+0x([0-9a-f]+)/m.exec(text);
  const spValue = sp ? BigInt(`0x${sp[1]}`) : undefined;
  return text.split('\n').map((line) => {
    const m = /^(\w+)\s+0x([0-9a-f]+)/.exec(line);
    if (m && spValue !== undefined) {
      const d = BigInt(`0x${m[2]}`) - spValue;
      if (d > -(1n << 24n) && d < 1n << 24n) return `${m[1]} <stack>`;
    }
    return line.replace(/process \d+/, 'process N');
  }).filter((l) => !/Terminated via GDBstub/.test(l)).join('\n');
}

/** The lines `info all-registers` printed, by register name. */
function registerLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of normalize(text).split('\n')) {
    const m = /^(\w+)\s+(\S.*)$/.exec(line);
    if (m && (m[2].startsWith('0x') || m[2].startsWith('{') || m[2] === '<stack>' || /^-?[0-9]/.test(m[2]))) out.set(m[1], m[2]);
  }
  return out;
}

const hasQemu = (c: Case): boolean => onPath(c.arch.qemu);
const qemuNote = (c: Case): string => (hasQemu(c) ? '' : ` (qemu comparison skipped: ${c.arch.qemu} is not on PATH)`);

/** Break at a function, read registers and memory, step, write a register (the argument the
 *  guest prints) and memory (its exit status), and run to the end. */
const session = (c: Case): string[] => [
  'info registers pc',
  'break *report',
  'continue',
  'info registers pc',
  'p (int)counter',
  `p ${c.arg}`,
  'stepi',
  'info registers pc',
  'x/2xw &exit_code',
  ...c.fpRegs.map((r) => `p ${r}`),
  'hbreak *crash',
  'set var *(int*)&exit_code = 42',
  `set ${c.arg} = 100`,
  'delete',
  'continue',
];

describe.skipIf(!hasGdb)(`gdbstub: gdb-multiarch against tsemu -g${gdbNote}`, () => {
  for (const c of CASES) {
    const name = c.arch.name;
    // qemu's run of the session, made once for the backends' comparisons.
    let qemuRun: ReturnType<typeof debug> | undefined;
    const qemuSession = (): ReturnType<typeof debug> => (qemuRun ??= debug([c.arch.qemu], c.arch, [], session(c)));

    it.each(BACKENDS)(`${name} -backend %s: break, registers, step, write register and memory, exit${qemuNote(c)}`, async (backend) => {
      const { gdb, guest } = await debug(tsemu(c.arch, backend), c.arch, [], session(c));
      expect(gdb).toMatch(/Breakpoint 1, 0x0*[0-9a-f]+ in report \(\)/);
      expect(gdb).toMatch(/pc +0x[0-9a-f]+\s+0x[0-9a-f]+ <report>/);
      expect(gdb).toMatch(/pc +0x[0-9a-f]+\s+0x[0-9a-f]+ <report\+[24]>/);
      expect(gdb).toMatch(/\[Inferior 1 \(process \d+\) exited with code 052\]/);
      // The register write reached the guest's first report; the memory write its exit.
      expect(guest.stdout).toBe('value 100\nvalue 3\nvalue 6\n');
      expect(guest.status).toBe(42);
      if (hasQemu(c)) expect(normalize(gdb)).toBe(normalize((await qemuSession()).gdb));
    });

    it(`${name}: every register gdb reads equals qemu's${qemuNote(c)}`, async () => {
      const commands = ['break *report', 'continue', 'stepi', 'info all-registers', 'kill'];
      const ours = registerLines((await debug(tsemu(c.arch, 'tiered'), c.arch, [], commands)).gdb);
      expect(ours.size).toBeGreaterThan(30);
      if (!hasQemu(c)) return;
      const theirs = registerLines((await debug([c.arch.qemu], c.arch, [], commands)).gdb);
      for (const [reg, value] of ours) expect(`${reg} ${theirs.get(reg)}`).toBe(`${reg} ${value}`);
    });

    it.each(BACKENDS)(`${name} -backend %s: write, read and access watchpoints on globals`, async (backend) => {
      const { gdb, guest } = await debug(tsemu(c.arch, backend), c.arch, [], [
        'watch *(int*)&counter', 'continue', 'continue', 'delete',
        'rwatch *(int*)&counter', 'continue', 'delete',
        'awatch *(int*)&exit_code', 'continue', 'delete',
        'continue',
      ]);
      // counter goes 0 -> 1 -> 3 -> 6; it is read after each store (report's argument); the
      // exit status 3 is read last.
      expect(gdb).toMatch(/Hardware watchpoint 1: \*\(int\*\)&counter\n\nOld value = 0\nNew value = 1\n0x[0-9a-f]+ in start_c \(\)/);
      expect(gdb).toMatch(/Hardware watchpoint 1: \*\(int\*\)&counter\n\nOld value = 1\nNew value = 3\n0x[0-9a-f]+ in start_c \(\)/);
      expect(gdb).toMatch(/Hardware read watchpoint 2: \*\(int\*\)&counter\n\nValue = 3\n0x[0-9a-f]+ in start_c \(\)/);
      expect(gdb).toMatch(/Hardware access \(read\/write\) watchpoint 3: \*\(int\*\)&exit_code\n\nValue = 3\n/);
      expect(gdb).toMatch(/exited with code 03\]/);
      expect(guest.stdout).toBe('value 1\nvalue 3\nvalue 6\n');
    });

    it(`${name}: a guest's SIGSEGV is reported, then kills it (TSEMU_GDB)${qemuNote(c)}`, async () => {
      const commands = ['continue', 'info registers pc', 'continue'];
      const { gdb, guest } = await debug(tsemu(c.arch, 'tiered'), c.arch, ['crash'], commands, true);
      expect(gdb).toMatch(/Program received signal SIGSEGV, Segmentation fault\.\n0x[0-9a-f]+ in crash \(\)/);
      expect(gdb).toMatch(/Program terminated with signal SIGSEGV, Segmentation fault\./);
      expect(guest.signal).toBe('SIGSEGV');
      if (hasQemu(c)) expect(normalize(gdb)).toBe(normalize((await debug([c.arch.qemu], c.arch, ['crash'], commands)).gdb));
    });

    it.each(BACKENDS)(`${name} -backend %s: Ctrl-C, breakpoint and watchpoint in a hot loop, bad packets`, async (backend) => {
      const counter = symbolAddress(c.arch, 'counter');
      const port = await freePort();
      const guest = collect(tsemu(c.arch, backend)[0], [...tsemu(c.arch, backend).slice(1), '-g', String(port), binary(c.arch), 'spin']);
      const gdb = await RspClient.connect(port);
      expect(await gdb.ask('?')).toMatch(/^T05thread:[0-9a-f]+;$/);
      expect(await gdb.ask('qSupported:multiprocess+;swbreak+')).toContain('qXfer:features:read+;');
      expect(await gdb.ask('qXfer:features:read:target.xml:0,3fff')).toMatch(/^l<\?xml[\s\S]*<architecture>/);
      // Runs long enough for the loop to be compiled (tiered), then Ctrl-C.
      const stop = gdb.resume('c');
      await new Promise((r) => setTimeout(r, 500));
      gdb.interrupt();
      expect(await stop).toMatch(/^T02thread:p[0-9a-f]+\.[0-9a-f]+;$/);
      const pc = await gdb.ask(`p${c.pcRegnum.toString(16)}`);
      const pcAddr = Number(Buffer.from(pc, 'hex').readUIntLE(0, 4));
      // A breakpoint on the instruction it stopped at, inside the running loop.
      expect(await gdb.ask(`Z0,${pcAddr.toString(16)},2`)).toBe('OK');
      expect(await gdb.resume('c')).toMatch(/^T05/);
      expect(await gdb.ask(`p${c.pcRegnum.toString(16)}`)).toBe(pc);
      expect(await gdb.ask(`z0,${pcAddr.toString(16)},2`)).toBe('OK');
      // A write watchpoint on the loop's counter: each hit is the next increment.
      expect(await gdb.ask(`Z2,${counter.toString(16)},4`)).toBe('OK');
      expect(await gdb.resume('vCont;c')).toBe(`T05watch:${counter.toString(16)};thread:${(await gdb.ask('qC')).slice(2)};`);
      const first = Buffer.from(await gdb.ask(`m${counter.toString(16)},4`), 'hex').readUInt32LE();
      await gdb.resume('c');
      expect(Buffer.from(await gdb.ask(`m${counter.toString(16)},4`), 'hex').readUInt32LE()).toBe(first + 1);
      expect(await gdb.ask(`z2,${counter.toString(16)},4`)).toBe('OK');
      // Single step by vCont;s: one instruction further.
      const before = await gdb.ask(`p${c.pcRegnum.toString(16)}`);
      expect(await gdb.resume('vCont;s')).toMatch(/^T05/);
      expect(await gdb.ask(`p${c.pcRegnum.toString(16)}`)).not.toBe(before);
      // Bad requests answer errors and change nothing.
      expect(await gdb.ask('m0,4')).toBe('E14');
      expect(await gdb.ask('mfffffffffffffff0,10')).toBe('E14');
      expect(await gdb.ask('M0,4:00000000')).toBe('E14');
      expect(await gdb.ask('mzz,4')).toBe('E16');
      expect(await gdb.ask(`M${counter.toString(16)},4:00`)).toBe('E16');
      expect(await gdb.ask('p999')).toBe('E00');
      expect(await gdb.ask('Z2,0,0')).toBe('E16');
      expect(await gdb.raw('$m0,4#00')).toBe('-');
      expect(await gdb.raw(`$${'m'.repeat(0x4100)}#00`)).toBe('-');
      expect(await gdb.ask('qNoSuchThing')).toBe('');
      expect(await gdb.ask('?')).toMatch(/^T05/);
      gdb.send('k');
      const end = await guest;
      expect(end.status).toBe(0);
      expect(end.stderr).toBe(`tsemu-${c.arch.name}: Terminated via GDBstub\n`);
    });
  }
});

describe('gdbstub: -g on the command line', () => {
  it('refuses a port that is neither a number nor a path, as qemu does', () => {
    const r = spawnSync('node', [RISCV64.cli, '-g', 'nonsense', binary(RISCV64)], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('tsemu-riscv64: could not open gdbserver on nonsense\n');
    expect(r.status).toBe(1);
  });

  it('says so when the port is taken', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const { port } = busy.address() as net.AddressInfo;
    const r = await collect('node', [ARM.cli, '-g', String(port), binary(ARM)]);
    busy.close();
    expect(r.stderr).toBe(`tsemu-arm: could not open gdbserver on ${port}\n`);
    expect(r.status).toBe(1);
  });
});

/** A symbol's address, as gdb reads it from the unstripped guest. */
function symbolAddress(arch: GuestArch, name: string): number {
  const r = spawnSync(GDB, ['-batch', '-nx', '-ex', `p/x &${name}`, binary(arch)], { cwd: ROOT, encoding: 'utf8' });
  const m = /= (0x[0-9a-f]+)/.exec(r.stdout);
  if (!m) throw new Error(`no address for ${name}: ${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

/** The remote protocol from gdb's side, as little as these tests need. */
class RspClient {
  private buf = '';
  private readonly waiting: ((payload: string) => void)[] = [];

  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      this.drain();
    });
  }

  /** Connects once the stub listens (it starts after the guest is loaded). */
  static async connect(port: number): Promise<RspClient> {
    for (;;) {
      const sock = await new Promise<net.Socket | undefined>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', () => resolve(undefined));
      });
      if (sock) return new RspClient(sock);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private drain(): void {
    for (;;) {
      const ack = /^[+-]/.exec(this.buf);
      if (ack && this.rawWaiter) {
        this.buf = this.buf.slice(1);
        const w = this.rawWaiter;
        this.rawWaiter = undefined;
        w(ack[0]);
        continue;
      }
      this.buf = this.buf.replace(/^\++/, '');
      const m = /^\$([^#]*)#[0-9a-f]{2}/.exec(this.buf);
      if (!m) return;
      this.buf = this.buf.slice(m[0].length);
      this.sock.write('+');
      this.waiting.shift()?.(m[1]);
    }
  }

  private rawWaiter: ((ack: string) => void) | undefined;

  send(payload: string): void {
    const sum = [...payload].reduce((a, ch) => (a + ch.charCodeAt(0)) & 0xff, 0);
    this.sock.write(`$${payload}#${sum.toString(16).padStart(2, '0')}`);
  }

  ask(payload: string): Promise<string> {
    const reply = new Promise<string>((r) => this.waiting.push(r));
    this.send(payload);
    return reply;
  }

  /** A resume: its answer is the stop reply. */
  resume(payload: string): Promise<string> {
    return this.ask(payload);
  }

  interrupt(): void {
    this.sock.write('\x03');
  }

  /** Bytes as they are; the answer is the stub's ack. */
  raw(bytes: string): Promise<string> {
    const ack = new Promise<string>((r) => { this.rawWaiter = r; });
    this.sock.write(bytes);
    return ack;
  }
}
