// Runs one guest program in user mode: the wiring of loader, frontend, tcg and linux-user that
// every tsemu-<arch> entry point shares. What differs per arch comes in a UserArch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { GuestMemory } from '../memory/guest-memory.js';
import { AddressSpace } from '../memory/address-space.js';
import { BackendChoice, CpuExec, ExecLog } from '../tcg/cpu-exec.js';
import { Frontend } from '../tcg/frontend.js';
import { invalidateCode, requestExit } from '../tcg/vcpu-control.js';
import { LinuxProcess, SyscallArch, ThreadExit, guestEnd } from '../linux-user/generic/process.js';
import { GuestExitStatus, dieBySignal, fatalSignalMessage } from '../linux-user/generic/termination.js';
import { DirectHost } from '../linux-user/generic/thread-host.js';
import { ThreadServer } from '../linux-user/generic/thread-server.js';
import { DirectVcpu, MoveToWorkers, VcpuHost } from '../linux-user/generic/vcpu-host.js';
import { RemoteVcpu, ThreadOver } from '../linux-user/generic/vcpu-worker.js';
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
  /** Runs a vCPU until its thread or the process ends (by an exception). */
  cpuLoop(cpu: CpuExec, host: VcpuHost): never;
}

/** What a vCPU worker needs to run like the first vCPU (posted as its workerData). */
interface VcpuWorkerData {
  memory: WebAssembly.Memory;
  cpuIndex: number;
  backend: BackendChoice;
  maxInsns: number;
  cpuProps: Record<string, boolean>;
  debug: string[];
  logFd: number;
}

function logTo(fd: number, debug: Set<string>): ExecLog {
  return { has: (item) => debug.has(item), write: (text) => writeAll(fd, Buffer.from(text)) };
}

function openLog(opts: Options): ExecLog & { fd: number } {
  const fd = opts.logFile ? fs.openSync(opts.logFile, 'w') : 2;
  return { fd, ...logTo(fd, opts.debug) };
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
  const maxInsns = opts.oneInsnPerTb ? 1 : 512;
  const cpu = new CpuExec(frontend, mem, {
    backend: opts.backend,
    maxInsns,
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
  // munmap/mprotect/mremap over code and the icache flush calls drop every vCPU's translations.
  const invalidate = (): void => invalidateCode(mem, frontend.layout);
  mem.onCodeChange = invalidate;
  proc.onCodeChange = invalidate;

  const direct = proc.host as DirectHost;
  try {
    arch.cpuLoop(cpu, new DirectVcpu(proc, proc.current, direct));
  } catch (e) {
    // The first thread ended with others to run, or the process needs the event loop.
    if (!(e instanceof MoveToWorkers || e instanceof ThreadExit)) {
      const end = guestEnd(e);
      if (end) endProcess(progName, end);
      throw e;
    }
  }
  const data: Omit<VcpuWorkerData, 'cpuIndex'> = {
    memory: mem.memory, backend: opts.backend, maxInsns,
    cpuProps: opts.cpu.props, debug: [...opts.debug], logFd: log.fd,
  };
  const server = new ThreadServer(proc, {
    spawn: (t) => new Worker(process.argv[1], { workerData: { ...data, cpuIndex: t.cpuIndex } satisfies VcpuWorkerData }),
    requestExit: (env) => requestExit(mem, frontend.layout, env),
    end: (status) => endProcess(progName, status),
    fail: (err) => internalError(progName, err),
  });
  proc.host = server;
  for (const t of proc.threads.values()) server.startThread(t);
}

/** Ends the host process as the guest ended: its exit status, or death by its signal (with
 *  qemu's line for the signals that dump core). */
function endProcess(progName: string, end: GuestExitStatus): never {
  if ('signal' in end) {
    process.stderr.write(fatalSignalMessage(progName, end.signal));
    dieBySignal(end.signal);
  }
  process.exit(end.status & 0xff);
}

function internalError(progName: string, e: unknown): never {
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`${progName}: internal error: ${msg}\n`);
  if (process.env.TSEMU_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}

/** A vCPU worker: the same frontend and tcg as the first vCPU, on the shared memory, with the
 *  process served by the main thread. */
function runVcpuWorker(arch: UserArch, data: VcpuWorkerData): void {
  const mem = new GuestMemory(data.memory);
  const frontend = arch.createFrontend(mem, data.cpuProps);
  const cpu = new CpuExec(frontend, mem, {
    backend: data.backend,
    maxInsns: data.maxInsns,
    log: data.debug.length > 0 ? logTo(data.logFd, new Set(data.debug)) : undefined,
  }, data.cpuIndex);
  try {
    arch.cpuLoop(cpu, new RemoteVcpu(mem, cpu.env, parentPort!));
  } catch (e) {
    if (!(e instanceof ThreadOver)) throw e;
    parentPort!.close();
  }
}

/** The entry points' outermost frame: no JavaScript stack trace reaches a user. */
export function main(arch: UserArch): void {
  if (!isMainThread) {
    runVcpuWorker(arch, workerData as VcpuWorkerData);
    return;
  }
  try {
    runUserMode(arch, process.argv.slice(2));
  } catch (e) {
    internalError(`tsemu-${arch.name}`, e);
  }
}
