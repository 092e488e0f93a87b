// Runs one guest program in user mode: the wiring of loader, frontend, tcg and linux-user that
// every tsemu-<arch> entry point shares. What differs per arch comes in a UserArch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { GuestMemory } from '../memory/guest-memory.js';
import { AddressSpace } from '../memory/address-space.js';
import { BackendChoice, CpuExec, ExecLog, ExecOptions } from '../tcg/cpu-exec.js';
import { Frontend } from '../tcg/frontend.js';
import { invalidateCode, requestExit } from '../tcg/vcpu-control.js';
import { childProcessModule } from '../linux-user/generic/host-modules.js';
import { LinuxProcess, ThreadExit, guestEnd } from '../linux-user/generic/process.js';
import { GuestExitStatus, dieBySignal, fatalSignalMessage, hostSignalNumber } from '../linux-user/generic/termination.js';
import { ExecReplaced, ExecTarget, InheritedFds, Launcher } from '../linux-user/generic/launcher.js';
import { readForkState, restoreProcess } from '../linux-user/generic/fork-state.js';
import { DirectHost } from '../linux-user/generic/thread-host.js';
import { ThreadServer } from '../linux-user/generic/thread-server.js';
import { DirectVcpu, MoveToWorkers } from '../linux-user/generic/vcpu-host.js';
import { MainVcpu } from '../linux-user/generic/main-vcpu.js';
import { RemoteVcpu, ThreadOver } from '../linux-user/generic/vcpu-worker.js';
import { RUN_NEXT_THREAD } from '../linux-user/generic/vcpu-mailbox.js';
import { LoaderError, loadElf, symbolLookup, type SymbolSource } from '../loader/index.js';
import type { UserArch } from '../linux-user/user-arch.js';
import { ARM_ELF_ARCH } from '../linux-user/arm/elf-arch.js';
import { RISCV64_ELF_ARCH } from '../linux-user/riscv/elf-arch.js';
import { parseOptions } from './options.js';
import { FORK_STATE_ENV, ForkServer, SPARE_ENV, serveForks } from './fork-server.js';
import { HostFile } from '../linux-user/generic/open-file.js';
import { hostRandom, seededRandom } from '../linux-user/generic/guest-random.js';
import { pageReport } from './page-report.js';
import { formatHelperStats, helperStats } from '../tcg/helper-stats.js';
import { gdbAddress } from '../gdbstub/gdb-address.js';
import { GDB_ARCHES } from '../gdbstub/arches.js';
import { gdbSignal } from '../gdbstub/gdb-signals.js';
import { GdbServer, startGdbServer } from '../gdbstub/gdb-server.js';
import { UserDebugTarget } from '../linux-user/generic/gdb-target.js';
import { adoptRealtimeOffset, realtimeOffset } from '../linux-user/generic/time-calls.js';

/** What a vCPU worker needs to run like the first vCPU (posted as its workerData). */
export interface VcpuWorkerData {
  memory: WebAssembly.Memory;
  cpuIndex: number;
  backend: BackendChoice;
  maxInsns: number;
  cpuProps: Record<string, boolean>;
  debug: string[];
  logFd: number;
  images?: SymbolSource[];
  /** The main thread's realtimeOffset (time-calls.ts). */
  realtimeOffset: bigint;
  /** Post each block it translates to the main thread as { block: [pc, size] } (Embedding). */
  reportBlocks?: boolean;
}

/** How a process run inside an embedder's own Node process (the library's run(), src/api)
 *  differs from one a tsemu command runs: the guest's end is reported instead of ending the
 *  host process, host signals stay the embedder's, and vCPU workers start from `workerScript`
 *  (with `workerData` beside VcpuWorkerData's). */
export interface Embedding {
  end(status: GuestExitStatus): void;
  fail(err: Error): void;
  workerScript: URL;
  workerData: Record<string, unknown>;
  /** Each vCPU worker, once started. */
  started?(w: Worker): void;
}

function logTo(fd: number, debug: Set<string>): ExecLog {
  return { has: (item) => debug.has(item), write: (text) => writeAll(fd, Buffer.from(text)) };
}

/** The -D file (a forked child appends to its parent's), else stderr. */
function openLog(file: string | undefined, debug: Set<string>, mode = 'w'): ExecLog & { fd: number } {
  const fd = file ? fs.openSync(file, mode) : 2;
  return { fd, ...logTo(fd, debug) };
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

/** What a process's runner was started with that its forked children and exec'd programs keep. */
export interface RunnerOptions {
  backend: BackendChoice;
  maxInsns: number;
  cpuProps: Record<string, boolean>;
  debug: string[];
  logFile: string | undefined;
  strace: boolean;
  uname: string | undefined;
  /** The guest prefix in use (-L, or the sysroot a dynamic program's interpreter is in). */
  ldPrefix: string | undefined;
  /** The loaded program and interpreter, whose function names -d in_asm prints. */
  images?: SymbolSource[];
}

/** The block naming of -d in_asm; symbol tables are only read when it is on. */
const symbolsFor = (debug: string[], images: SymbolSource[] | undefined): ExecOptions['symbolAt'] =>
  (images && debug.includes('in_asm') ? symbolLookup(images) : undefined);

// Set by a parent tsemu for an exec'd program: the guest's pids and the inherited fds beyond
// stdio (fork-server.ts has a forked child's). Never seen by the guest.
const EXEC_IDS_ENV = 'TSEMU_INTERNAL_EXEC_IDS';
const EXEC_FDS_ENV = 'TSEMU_INTERNAL_EXEC_FDS';

/** The guests tsemu has entry points for, by ELF e_machine. */
const GUEST_MACHINES: Launcher['guestMachines'] = {
  [RISCV64_ELF_ARCH.machine]: { arch: 'riscv64', elf: RISCV64_ELF_ARCH },
  [ARM_ELF_ARCH.machine]: { arch: 'arm', elf: ARM_ELF_ARCH },
};

/** Host signals an exec relay passes on to the program it waits for. */
const RELAYED: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGTERM',
  'SIGCONT', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH'];

/** Runs `cmd` in place of this process's guest: its signals are passed on, and this process
 *  ends as it ends (exec cannot replace a Node process, so the guest's pid stays this one's). */
function relayTo(progName: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, fds: InheritedFds, argv0?: string): void {
  const child = childProcessModule().spawn(cmd, args, { stdio: fds, env, argv0 });
  child.on('error', (e) => {
    process.stderr.write(`${progName}: ${cmd}: ${e.message}\n`);
    process.exit(127);
  });
  for (const sig of RELAYED) {
    process.removeAllListeners(sig);
    process.on(sig, () => child.kill(sig));
  }
  child.on('exit', (code, signal) => (signal ? dieBySignal(hostSignalNumber(signal)) : process.exit(code ?? 1)));
}

function launcherFor(progName: string, runner: RunnerOptions): Launcher {
  const entry = process.argv[1];
  const forks = new ForkServer(entry);
  const entryOf = (arch: string): string => path.join(path.dirname(entry), path.basename(entry).replace(/tsemu-[a-z0-9]+/, `tsemu-${arch}`));
  return {
    runner,
    guestMachines: GUEST_MACHINES,
    spawnFork: (file, fds) => forks.start(file, fds),
    exec: (target: ExecTarget, envp, fds, ids) => {
      const env: NodeJS.ProcessEnv = Object.fromEntries(envp.map((kv) => {
        const at = kv.indexOf('=');
        return at < 0 ? [kv, ''] : [kv.slice(0, at), kv.slice(at + 1)];
      }));
      if (target.kind === 'host') return relayTo(progName, target.path, target.argv.slice(1), env, fds, target.argv[0]);
      env[EXEC_IDS_ENV] = `${ids.pid},${ids.ppid}`;
      env[EXEC_FDS_ENV] = fds.flatMap((f, fd) => (fd > 2 && f !== 'ignore' ? [fd] : [])).join(',');
      const opts = ['-backend', runner.backend, ...(runner.ldPrefix ? ['-L', runner.ldPrefix] : []), ...(runner.strace ? ['-strace'] : []),
        ...(runner.debug.length ? ['-d', runner.debug.join(',')] : []), ...(runner.uname ? ['-r', runner.uname] : [])];
      relayTo(progName, process.execPath, [...process.execArgv, entryOf(target.arch), ...opts, '-0', target.argv[0] ?? '', target.path,
        ...target.argv.slice(1)], env, fds);
    },
  };
}

/** The ids and fds a parent tsemu's execve handed to this process (none when run directly). */
function execInheritance(): { ids?: { pid: number; ppid: number }; fds: number[] } {
  const ids = process.env[EXEC_IDS_ENV]?.split(',').map(Number);
  const fds = (process.env[EXEC_FDS_ENV] ?? '').split(',').filter((f) => f !== '').map(Number);
  delete process.env[EXEC_IDS_ENV];
  delete process.env[EXEC_FDS_ENV];
  return { ids: ids && ids.length === 2 ? { pid: ids[0], ppid: ids[1] } : undefined, fds };
}

export function runUserMode(arch: UserArch, argv: string[]): void {
  const progName = `tsemu-${arch.name}`;
  const inherited = execInheritance();
  const opts = parseOptions(argv, process.env, progName);
  const log = openLog(opts.logFile, opts.debug);
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
      prefix: opts.ldPrefix,
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
  const runner: RunnerOptions = {
    backend: opts.backend, maxInsns: opts.oneInsnPerTb ? 1 : 512, cpuProps: opts.cpu.props, debug: [...opts.debug],
    logFile: opts.logFile, strace: opts.strace || opts.debug.has('strace'), uname: opts.uname, ldPrefix: image.prefix,
    images: image.images,
  };
  const vcpu = newVcpu(arch, mem, runner, log, opts.gdb !== undefined);
  arch.initRegisters(mem, vcpu.cpu.env, image.entry, image.sp);
  if (opts.debug.has('helpers')) {
    // At the host process's end (a guest exit or exit_group; a death by a signal, which this
    // process dies of too, reports nothing), when the vCPUs no longer add to their counts.
    const names = vcpu.frontend.helpers.map((h) => h.name);
    process.on('exit', () => log.write(formatHelperStats(helperStats(mem, names))));
  }
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
    strace: runner.strace,
    logUnimp: opts.debug.has('unimp'),
    unameRelease: opts.uname,
    random,
    ids: inherited.ids,
    launcher: launcherFor(progName, runner),
    ldPrefix: runner.ldPrefix,
  });
  for (const fd of inherited.fds) proc.fds.set(fd, inheritedFile(fd), false);
  runProcess(arch, proc, vcpu, runner, log, false, opts.gdb);
}

/** A host fd an exec'd program inherited beyond stdio, as an open file of its guest. */
function inheritedFile(fd: number): HostFile {
  let flags = 2; // O_RDWR when /proc cannot say
  try {
    const m = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    if (m) flags = parseInt(m[1], 8) & 3;
  } catch { /* keep O_RDWR */ }
  let name = `/dev/fd/${fd}`;
  try { name = fs.readlinkSync(`/proc/self/fd/${fd}`); } catch { /* keep the fd's name */ }
  return new HostFile(fd, name, flags, true, false);
}

/** A forked child: the process its parent wrote to the fork state file, continued (with the
 *  fds a spare opened or holds where `moved` says, `borrowed` those it holds). In a spare
 *  (`moved` given), returns the guest's exit status when this host process may serve another
 *  fork (runProcess). */
function runForked(arch: UserArch, file: string, moved?: Map<number, number>, borrowed?: Set<number>): number | undefined {
  const mem = new GuestMemory();
  const as = new AddressSpace(mem);
  const h = readForkState(file, mem, as);
  const runner = h.runner as RunnerOptions;
  const log = openLog(runner.logFile, new Set(runner.debug), 'a');
  const vcpu = newVcpu(arch, mem, runner, log);
  arch.syscalls.signals.initThread(mem, vcpu.cpu.env, h.stack, undefined);
  const proc = new LinuxProcess({
    arch: arch.syscalls, archName: arch.name, mem, as, exePath: h.exePath, argv: h.argv, envp: h.envp,
    auxv: Buffer.from(h.auxv, 'base64'), log: (text) => log.write(text), strace: runner.strace,
    logUnimp: runner.debug.includes('unimp'), unameRelease: runner.uname, ids: { pid: process.pid, ppid: h.ppid },
    launcher: launcherFor(`tsemu-${arch.name}`, runner), ldPrefix: runner.ldPrefix,
  });
  restoreProcess(proc, h, moved, borrowed);
  return runProcess(arch, proc, vcpu, runner, log, moved !== undefined);
}

export interface Vcpu0 { cpu: CpuExec; frontend: Frontend }

export function newVcpu(arch: UserArch, mem: GuestMemory, runner: RunnerOptions, log: ExecLog, debuggable = false,
  onTranslate?: ExecOptions['onTranslate']): Vcpu0 {
  const frontend = arch.createFrontend(mem, runner.cpuProps);
  const cpu = new CpuExec(frontend, mem, {
    backend: runner.backend,
    maxInsns: runner.maxInsns,
    log: runner.debug.length > 0 ? log : undefined,
    symbolAt: symbolsFor(runner.debug, runner.images),
    debuggable,
    onTranslate,
  });
  return { cpu, frontend };
}

/** Runs the process's first vCPU here until it needs the event loop, then this thread serves
 *  the vCPUs: the one of a single-threaded process between its events, more in workers. When
 *  `reusable` and the guest exits before it ever needed the event loop (no timer, thread, child
 *  or socket of it is left), its fds are closed and its exit status returned instead: the host
 *  process may then serve another fork. With `gdb` (-g), this thread serves from the start, so
 *  that the gdb socket is served while the guest waits for it. With `embedding`, the guest's
 *  end is reported to it (Embedding). */
export function runProcess(arch: UserArch, proc: LinuxProcess, { cpu, frontend }: Vcpu0, runner: RunnerOptions,
  log: ExecLog & { fd: number }, reusable = false, gdb?: string, embedding?: Embedding): number | undefined {
  const progName = `tsemu-${arch.name}`;
  const finish = (end: GuestExitStatus): void => (embedding ? embedding.end(end) : endProcess(progName, end));
  const mem = proc.mem;
  // munmap/mprotect/mremap over code and the icache flush calls drop every vCPU's translations.
  const invalidate = (start: number, len: number): void => invalidateCode(mem, frontend.layout, start, len);
  mem.onCodeChange = invalidate;
  // Accesses to memory a fork shares run one instruction at a time on this thread, whichever
  // vCPU made them (src/linux-user/generic/shared-pages.ts).
  proc.stepper = cpu;
  proc.onCodeChange = invalidate;

  const direct = proc.host as DirectHost;
  let firstEnded = false;
  if (gdb === undefined) try {
    arch.cpuLoop(cpu, new DirectVcpu(proc, proc.current, direct));
  } catch (e) {
    // An execve's program runs now: this process only waits for it.
    if (e instanceof ExecReplaced) return undefined;
    // The first thread ended with others to run, or the process needs the event loop.
    if (!(e instanceof MoveToWorkers || e instanceof ThreadExit)) {
      const end = guestEnd(e);
      if (end && 'status' in end && reusable && !direct.moveRequested) {
        proc.fds.closeAll();
        return end.status;
      }
      if (end) return finish(end), undefined;
      throw e;
    }
    firstEnded = e instanceof ThreadExit;
  }
  const data: Omit<VcpuWorkerData, 'cpuIndex'> = {
    memory: mem.memory, backend: runner.backend, maxInsns: runner.maxInsns,
    cpuProps: runner.cpuProps, debug: runner.debug, logFd: log.fd, images: runner.images, realtimeOffset: realtimeOffset(),
  };
  let debugger_: GdbServer | undefined;
  const server = new ThreadServer(proc, {
    spawn: (t) => {
      if (debugger_ && server.localMustMove) {
        process.stderr.write(`${progName}: gdbstub: the guest started a thread: breakpoints, watchpoints, steps and interrupts no longer apply\n`);
      }
      if (!embedding) return new Worker(process.argv[1], { workerData: { ...data, cpuIndex: t.cpuIndex } satisfies VcpuWorkerData });
      const w = new Worker(embedding.workerScript, { workerData: { ...data, cpuIndex: t.cpuIndex, ...embedding.workerData } });
      embedding.started?.(w);
      return w;
    },
    requestExit: (env) => requestExit(mem, frontend.layout, env),
    end: (status) => {
      debugger_?.ended('signal' in status ? { kind: 'killed', signal: gdbSignal(status.signal) } : { kind: 'exited', status: status.status });
      finish(status);
    },
    fail: (err) => (embedding ? embedding.fail(err) : internalError(progName, err)),
    hostSignals: !embedding,
  });
  proc.host = server;
  const threads = [...proc.threads.values()];
  if (threads.length === 1 && !firstEnded) {
    const t = threads[0];
    const setResult = (value: bigint): void => arch.syscalls.signals.setResult(mem, t.env, value);
    const main = new MainVcpu(server, t, cpu, (host) => arch.cpuLoop(cpu, host), setResult);
    if (gdb !== undefined) {
      const target = new UserDebugTarget(proc, t, cpu, main, GDB_ARCHES[arch.name], {
        requestExit: () => requestExit(mem, frontend.layout, t.env),
        invalidate: (start, len) => invalidateCode(mem, frontend.layout, start, len),
        kill: () => {
          process.stderr.write(`${progName}: Terminated via GDBstub\n`);
          process.exit(0);
        },
      });
      debugger_ = startGdbServer(gdbAddress(gdb)!, target, () => {
        process.stderr.write(`${progName}: could not open gdbserver on ${gdb}\n`);
        process.exit(1);
      });
    }
    main.start();
    return undefined;
  }
  for (const t of threads) server.startThread(t);
  return undefined;
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
export function runVcpuWorker(arch: UserArch, data: VcpuWorkerData): void {
  adoptRealtimeOffset(data.realtimeOffset);
  const mem = new GuestMemory(data.memory);
  const frontend = arch.createFrontend(mem, data.cpuProps);
  const cpu = new CpuExec(frontend, mem, {
    backend: data.backend,
    maxInsns: data.maxInsns,
    log: data.debug.length > 0 ? logTo(data.logFd, new Set(data.debug)) : undefined,
    symbolAt: symbolsFor(data.debug, data.images),
    onTranslate: data.reportBlocks ? (pc, size) => parentPort!.postMessage({ block: [pc, size] }) : undefined,
  }, data.cpuIndex);
  // After its thread ends, the worker waits for the main thread to give its slot to another
  // (thread-server.ts), and keeps its translations for it.
  const runThread = (): void => {
    try {
      arch.cpuLoop(cpu, new RemoteVcpu(mem, cpu.env));
    } catch (e) {
      if (!(e instanceof ThreadOver)) throw e;
    }
  };
  parentPort!.on('message', (m) => {
    if (m === RUN_NEXT_THREAD) runThread();
  });
  runThread();
}

/** The entry points' outermost frame: no JavaScript stack trace reaches a user. */
export function main(arch: UserArch): void {
  // Errors are how syscalls fail and calls wait (SyscallError, WouldBlock, Node's own EAGAIN):
  // thousands a second in a busy server, and capturing each one's stack was a tenth of its time.
  // TSEMU_DEBUG keeps the stacks for the internal errors it prints.
  if (!process.env.TSEMU_DEBUG) Error.stackTraceLimit = 0;
  if (!isMainThread) {
    runVcpuWorker(arch, workerData as VcpuWorkerData);
    return;
  }
  try {
    const forkState = process.env[FORK_STATE_ENV];
    const spare = process.env[SPARE_ENV];
    delete process.env[FORK_STATE_ENV];
    delete process.env[SPARE_ENV];
    if (spare) serveForks((req, moved, borrowed) => runForked(arch, req.file, moved, borrowed));
    else if (forkState) runForked(arch, forkState);
    else runUserMode(arch, process.argv.slice(2));
  } catch (e) {
    internalError(`tsemu-${arch.name}`, e);
  }
}
