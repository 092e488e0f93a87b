// Runs one guest program in user mode: the wiring of loader, frontend, tcg and linux-user that
// every tsemu-<arch> entry point shares. What differs per arch comes in a UserArch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuestMemory } from '../memory/guest-memory.js';
import { AddressSpace } from '../memory/address-space.js';
import { CpuExec, ExecLog } from '../tcg/cpu-exec.js';
import { Frontend } from '../tcg/frontend.js';
import { LinuxProcess, SyscallArch } from '../linux-user/generic/process.js';
import { GuestExitStatus, dieBySignal, fatalSignalMessage } from '../linux-user/generic/termination.js';
import { ElfArch, LoaderError, loadElf } from '../loader/index.js';
import { Options, parseOptions } from './options.js';
import { hostRandom, seededRandom } from '../linux-user/generic/guest-random.js';
import { pageReport } from './page-report.js';

export interface UserArch {
  /** As in the program name: tsemu-<name>. */
  name: string;
  elf: ElfArch;
  syscalls: SyscallArch;
  /** The frontend for this process; `ext` holds -cpu's extension switches (name -> on/off). */
  createFrontend(mem: GuestMemory, ext: Record<string, boolean>): Frontend;
  /** Maps the pages the arch's kernel gives every process (ARM's kuser helper page). */
  mapArchPages?(as: AddressSpace): void;
  /** Sets the registers a new process starts with (pc, sp). */
  initRegisters(mem: GuestMemory, env: number, entry: number, sp: number): void;
  cpuLoop(cpu: CpuExec, proc: LinuxProcess): GuestExitStatus;
}

function openLog(opts: Options): ExecLog & { fd: number } {
  const fd = opts.logFile ? fs.openSync(opts.logFile, 'w') : 2;
  return {
    fd,
    has: (item) => opts.debug.has(item),
    write: (text) => writeAll(fd, Buffer.from(text)),
  };
}

/** Writes all of `buf`, waiting out EAGAIN: stderr may be a non-blocking pipe (a parent's
 *  spawn), and a log line must not be lost or kill the run. */
function writeAll(fd: number, buf: Buffer): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let done = 0; done < buf.length;) {
    try {
      done += fs.writeSync(fd, buf, done);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

export function runUserMode(arch: UserArch, argv: string[]): void {
  const progName = `tsemu-${arch.name}`;
  const opts = parseOptions(argv, process.env, progName);
  const log = openLog(opts);
  const mem = new GuestMemory();
  const as = new AddressSpace(mem);
  const random = opts.seed === undefined ? hostRandom : seededRandom(opts.seed);
  let image;
  try {
    image = loadElf(as, {
      path: opts.program,
      arch: arch.elf,
      argv: opts.argv,
      envp: opts.envp,
      stackSize: opts.stackSize,
      random,
    });
  } catch (e) {
    if (e instanceof LoaderError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(e.status);
    }
    throw e;
  }
  arch.mapArchPages?.(as);
  if (opts.debug.has('page')) log.write(pageReport(as, image.entry, image.sp));
  const frontend = arch.createFrontend(mem, opts.cpu.props);
  const cpu = new CpuExec(frontend, mem, {
    backend: opts.backend,
    maxInsns: opts.oneInsnPerTb ? 1 : 512,
    log: opts.debug.size > 0 ? log : undefined,
  });
  arch.initRegisters(mem, cpu.env, image.entry, image.sp);
  const proc = new LinuxProcess({
    arch: arch.syscalls,
    archName: arch.name,
    mem,
    as,
    exePath: path.resolve(opts.program),
    argv: opts.argv,
    envp: opts.envp,
    auxv: image.auxv,
    log: (text) => log.write(text),
    strace: opts.strace || opts.debug.has('strace'),
    logUnimp: opts.debug.has('unimp'),
    unameRelease: opts.uname,
    random,
  });
  // munmap/mprotect/mremap over code and riscv_flush_icache drop translations.
  mem.onCodeChange = () => cpu.flush();
  proc.onCodeChange = () => cpu.flush();

  const end = arch.cpuLoop(cpu, proc);
  if ('signal' in end) {
    process.stderr.write(fatalSignalMessage(progName, end.signal));
    dieBySignal(end.signal);
  }
  process.exit(end.status & 0xff);
}

/** The entry points' outermost frame: no JavaScript stack trace reaches a user. */
export function main(arch: UserArch): void {
  try {
    runUserMode(arch, process.argv.slice(2));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`tsemu-${arch.name}: internal error: ${msg}\n`);
    if (process.env.TSEMU_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  }
}
