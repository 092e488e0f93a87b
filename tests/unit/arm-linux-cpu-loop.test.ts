// The ARM cpu loop with the frontend and each backend: SVC as a syscall in ARM and Thumb state
// (the pc steps over 4 or 2 bytes), the private calls (set_tls, cacheflush, breakpoint), the
// kuser helpers called as guest code, and the exits that become signals. Guest code is
// assembled with GNU as (skipped without binutils).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AddressSpace } from '../../src/memory/address-space.js';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { CpuExec } from '../../src/tcg/cpu-exec.js';
import { LinuxProcess } from '../../src/linux-user/generic/process.js';
import { GuestExitStatus } from '../../src/linux-user/generic/termination.js';
import { runDirect } from '../../src/linux-user/generic/vcpu-host.js';
import { armUserArch } from '../../src/linux-user/arm/user-arch.js';
import { REG, TPIDRURO } from '../../src/target/arm/cpu-state.js';

const has = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
const BINUTILS = has('arm-linux-gnueabihf-as') && has('arm-linux-gnueabihf-objcopy');
const CODE = 0x10000;
const DATA = 0x20000;
const tmp = mkdtempSync(join(tmpdir(), 'tsemu-arm-loop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function assemble(src: string): Uint8Array {
  writeFileSync(join(tmp, 'p.s'), `.syntax unified\n.arch armv7-a\n.arm\n${src}\n`);
  const as = spawnSync('arm-linux-gnueabihf-as', ['-o', join(tmp, 'p.o'), join(tmp, 'p.s')], { encoding: 'utf8' });
  if (as.status !== 0) throw new Error(as.stderr);
  spawnSync('arm-linux-gnueabihf-objcopy', ['-O', 'binary', '-j', '.text', join(tmp, 'p.o'), join(tmp, 'p.bin')]);
  return new Uint8Array(readFileSync(join(tmp, 'p.bin')));
}

const mem = new GuestMemory();

interface Run { end: GuestExitStatus; reg: (i: number) => number; word: (off: number) => number; tls: number; logs: string[] }

/** Runs code placed at CODE (entry CODE, ARM state) with a zeroed data page at DATA. */
function run(src: string, backend: 'interp' | 'wasm'): Run {
  mem.setProt(0, 0xf0000000, 0);
  const as = new AddressSpace(mem);
  as.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  as.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  mem.writeRaw(CODE, assemble(src));
  armUserArch.mapArchPages!(as);
  const cpu = new CpuExec(armUserArch.createFrontend(mem), mem, { backend, maxInsns: 512 });
  mem.u8.fill(0, cpu.env, cpu.env + 512);
  armUserArch.initRegisters(mem, cpu.env, CODE, DATA + 0x1000);
  const logs: string[] = [];
  const proc = new LinuxProcess({
    arch: armUserArch.syscalls, archName: 'arm', mem, as, exePath: '/opt/guest/prog', argv: ['prog'], envp: [],
    auxv: new Uint8Array(8), log: (l) => logs.push(l), strace: false, logUnimp: true,
  });
  const end = runDirect(proc, (host) => armUserArch.cpuLoop(cpu, host));
  const v = mem.view;
  return {
    end, logs,
    reg: (i) => v.getUint32(cpu.env + REG(i), true),
    word: (off) => v.getUint32(DATA + off, true),
    tls: v.getUint32(cpu.env + TPIDRURO, true),
  };
}

const EXIT = (code: number): string => `mov r0, #${code}\n movw r7, #248\n svc #0\n`;
const CALL = (addr: number): string => `movw r3, #${addr & 0xffff}\n movt r3, #0xffff\n blx r3\n`;
const BASE = 'movw r4, #0\n movt r4, #2\n'; // r4 = DATA

describe.skipIf(!BINUTILS).each(['interp', 'wasm'] as const)('ARM cpu loop (%s)', (backend) => {
  it('runs syscalls from ARM and Thumb state and steps over the SVC', () => {
    const r = run(`${BASE}
      movw r7, #20          @ getpid
      svc #0
      str r0, [r4]
      adr r3, thumb + 1
      bx r3
      .thumb
      thumb:
      movs r7, #20
      svc #0
      str r0, [r4, #4]      @ the instruction right after a 2-byte SVC
      movs r0, #7
      movs r7, #248
      svc #0
    `, backend);
    expect(r.end).toEqual({ status: 7 });
    expect(r.word(0)).toBe(process.pid);
    expect(r.word(4)).toBe(process.pid);
  });

  it('resumes inside an IT block after an SVC there', () => {
    const r = run(`${BASE}
      adr r3, thumb + 1
      bx r3
      .thumb
      thumb:
      movs r7, #20
      cmp r7, r7
      itte eq
      svceq #0
      moveq r5, #1          @ these two only mean "then" and "else" under the IT state
      movne r5, #2
      str r5, [r4]
      movs r0, #0
      movs r7, #248
      svc #0
    `, backend);
    expect(r.end).toEqual({ status: 0 });
    expect(r.word(0)).toBe(1);
  });

  it('set_tls is read back by MRC, get_tls and __kuser_get_tls', () => {
    const r = run(`${BASE}
      movw r0, #0x5678
      movt r0, #0x1234
      movw r7, #5
      movt r7, #0xf         @ __ARM_NR_set_tls
      svc #0
      str r0, [r4]
      mrc p15, 0, r0, c13, c0, 3
      str r0, [r4, #4]
      ${CALL(0x0fe0)}
      str r0, [r4, #8]
      movw r7, #6
      movt r7, #0xf         @ __ARM_NR_get_tls
      svc #0
      str r0, [r4, #12]
      ${EXIT(0)}`, backend);
    expect(r.end).toEqual({ status: 0 });
    expect(r.tls).toBe(0x12345678);
    expect([r.word(0), r.word(4), r.word(8), r.word(12)]).toEqual([0, 0x12345678, 0x12345678, 0x12345678]);
  });

  it('__kuser_cmpxchg swaps only on a match, reporting in r0 and C', () => {
    const r = run(`${BASE}
      mov r0, #5
      str r0, [r4, #0x40]
      add r2, r4, #0x40
      mov r1, #9
      ${CALL(0x0fc0)}       @ 5 -> 9: succeeds
      str r0, [r4]
      movcs r0, #1
      movcc r0, #0
      str r0, [r4, #4]
      mov r0, #5
      mov r1, #7
      add r2, r4, #0x40
      ${CALL(0x0fc0)}       @ expects 5, finds 9: fails
      str r0, [r4, #8]
      movcs r0, #1
      movcc r0, #0
      str r0, [r4, #12]
      ${CALL(0x0fa0)}       @ __kuser_memory_barrier
      ${EXIT(0)}`, backend);
    expect(r.end).toEqual({ status: 0 });
    expect(r.word(0x40)).toBe(9);
    expect([r.word(0), r.word(4)]).toEqual([0, 1]);
    expect(r.word(8)).not.toBe(0);
    expect(r.word(12)).toBe(0);
  });

  it('__kuser_cmpxchg64 compares and stores both words, keeping r4-r7', () => {
    const r = run(`${BASE}
      movw r0, #0x1111
      str r0, [r4, #0x20]   @ old = 0x2222_0000_0000_1111
      movw r0, #0x2222
      str r0, [r4, #0x24]
      movw r0, #0x3333
      str r0, [r4, #0x28]   @ new = 0x4444_0000_0000_3333
      movw r0, #0x4444
      str r0, [r4, #0x2c]
      ldrd r0, r1, [r4, #0x20]
      strd r0, r1, [r4, #0x30] @ target = old
      mov r5, #55
      add r0, r4, #0x20
      add r1, r4, #0x28
      add r2, r4, #0x30
      ${CALL(0x0f60)}
      str r0, [r4]
      movcs r0, #1
      movcc r0, #0
      str r0, [r4, #4]
      str r5, [r4, #8]
      add r0, r4, #0x20     @ again: target now holds new, so this fails
      add r1, r4, #0x28
      add r2, r4, #0x30
      ${CALL(0x0f60)}
      movcs r0, #1
      movcc r0, #0
      str r0, [r4, #12]
      ${EXIT(0)}`, backend);
    expect(r.end).toEqual({ status: 0 });
    expect([r.word(0x30), r.word(0x34)]).toEqual([0x3333, 0x4444]);
    expect([r.word(0), r.word(4), r.word(8), r.word(12)]).toEqual([0, 1, 55, 0]);
  });

  it('cacheflush succeeds; an unknown private call is ENOSYS', () => {
    const r = run(`${BASE}
      mov r0, r4
      add r1, r4, #64
      mov r2, #0
      movw r7, #2
      movt r7, #0xf
      svc #0
      str r0, [r4]
      movw r7, #3
      movt r7, #0xf
      svc #0
      str r0, [r4, #4]
      ${EXIT(0)}`, backend);
    expect(r.end).toEqual({ status: 0 });
    expect([r.word(0), r.word(4) | 0]).toEqual([0, -38]);
  });

  it.each([
    ['the breakpoint private call', 'movw r7, #1\n movt r7, #0xf\n svc #0', 5],
    ['BKPT', 'bkpt #0', 5],
    ['UDF', 'udf #0', 4],
    ['a load from page 0', 'mov r0, #0\n ldr r0, [r0]', 11],
    ['a jump to unmapped code', 'mov r0, #0x40000\n bx r0', 11],
  ])('%s ends in signal %i', (_what, code, signal) => {
    expect(run(code, backend).end).toEqual({ signal });
  });
});
