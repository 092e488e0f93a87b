// run(): one guest program run inside the embedder's own Node process, the way a tsemu-<arch>
// command runs it (the same loader, tcg and syscall layer), but with what the guest sees given
// as options (argv, env, its root filesystem, its stdio) and what it does reported through
// hooks and the promise's result. Nothing of the host process is taken over: no process.exit,
// no handlers for host signals, the embedder's stdio untouched unless asked for ('inherit').
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { IFs, Volume } from 'memfs';
import { GuestMemory } from '../memory/guest-memory.js';
import { AddressSpace } from '../memory/address-space.js';
import type { BackendChoice } from '../tcg/cpu-exec.js';
import { loadElf } from '../loader/index.js';
import { errnoByName } from '../linux-user/generic/errno.js';
import { type GuestFs, hostFs } from '../linux-user/generic/guest-fs.js';
import { rootedFs } from '../linux-user/generic/rooted-fs.js';
import { LinuxProcess, type SyscallRequest, type SyscallVerdict } from '../linux-user/generic/process.js';
import type { GuestExitStatus } from '../linux-user/generic/termination.js';
import { hostRandom } from '../linux-user/generic/guest-random.js';
import { newVcpu, runProcess, type Embedding, type RunnerOptions } from '../cli/user-mode.js';
import { USER_ARCHES, type ArchName } from './arches.js';
import { guestStdio, type InputSpec, type OutputSpec } from './stdio.js';

/** What the guest sees as `/`. */
export type RootSpec =
  /** The host's own filesystem, as the tsemu commands give it. */
  | { host: true }
  /** A host directory, confined like chroot(2): no `..` or symlink leads out of it. A dynamic
   *  program's interpreter is looked for there too. */
  | { dir: string }
  /** An in-memory memfs volume (`new Volume()`, `memfs().vol`, or memfs's `fs`). */
  | { memfs: Volume | IFs };

/** A syscall about to run, as `hooks.syscall` sees it. */
export interface SyscallCall {
  /** The Linux name (`openat`, `unlinkat`, ...). */
  name: string;
  /** The guest arch's number of the call. */
  number: number;
  /** The id of the thread making it. */
  tid: number;
  /** The arguments as the call takes them: integers, and guest addresses for pointers. */
  args: readonly number[];
  /** What each argument is: 'path', 'fd', 'dirfd', 'ptr', 'int', ... */
  kinds: readonly string[];
  /** The NUL-terminated string at a guest address (a 'path' argument's text). */
  readString(addr: number): string;
}

/** What `hooks.syscall` does with a call: nothing (it runs), run it with other arguments, or
 *  answer it without running it, with a result or an errno (by name, `'EPERM'`, or number). */
export type SyscallAction = void | undefined | { args: number[] } | { result: number } | { errno: string | number };

/** How the guest ended: an exit status, or the number of the signal that killed it. */
export interface GuestEnd {
  /** The exit status (0-255), or null when a signal killed the guest. */
  status: number | null;
  /** The signal that killed the guest (11 for SIGSEGV), or null when it exited. */
  signal: number | null;
}

export interface RunHooks {
  /** Before each syscall tsemu implements, on whichever guest thread makes it; runs on the
   *  embedder's thread, synchronously (the guest waits for the answer). */
  syscall?(call: SyscallCall): SyscallAction;
  /** Each block of guest code when it is translated (not each time it runs): its first
   *  instruction's address and its size in bytes. Blocks translated by a second or later guest
   *  thread are reported a little later (they come from a worker). */
  block?(info: { pc: number; size: number }): void;
  /** Once, when the guest has ended, before the promise resolves. */
  exit?(end: GuestEnd): void;
}

export interface RunOptions {
  arch: ArchName;
  /** The program: a host path, or its bytes. */
  program: string | Uint8Array;
  /** The guest's argv; argv[0] is the program path (or "program") when left out. */
  argv?: string[];
  /** The guest's environment; empty when left out. */
  env?: Record<string, string> | string[];
  /** What the guest sees as `/`: the host's filesystem when left out. */
  root?: RootSpec;
  /** The guest's working directory, in its root: the host process's cwd with the host's root,
   *  `/` otherwise. */
  cwd?: string;
  /** What fd 0 reads: bytes, a string, a stream, or 'inherit' (this process's stdin). Empty
   *  when left out. */
  stdin?: InputSpec;
  /** Where fd 1 writes: 'buffer' (the default: returned as `stdout`), a stream, 'inherit'
   *  (this process's stdout fd), or 'ignore'. */
  stdout?: OutputSpec;
  /** As stdout, for fd 2. */
  stderr?: OutputSpec;
  hooks?: RunHooks;
  /** The execution backend, as -backend: 'tiered' (the default), 'wasm' or 'interp'. */
  backend?: BackendChoice;
}

export interface RunResult extends GuestEnd {
  /** What the guest wrote to fd 1, when stdout was 'buffer'. */
  stdout?: Buffer;
  /** What the guest wrote to fd 2, when stderr was 'buffer'. */
  stderr?: Buffer;
}

/** The calls of a memfs volume the syscall layer makes (guest-fs.ts): present in every memfs 4. */
const MEMFS_CALLS = ['openSync', 'readSync', 'writeSync', 'fstatSync', 'lstatSync', 'opendirSync'] as const;

function guestFs(root: RootSpec | undefined): { fs: GuestFs; prefix?: string } {
  if (!root || 'host' in root) return { fs: hostFs };
  if ('dir' in root) return { fs: rootedFs(root.dir), prefix: path.resolve(root.dir) };
  const vol = root.memfs as unknown as Record<string, unknown>;
  if (MEMFS_CALLS.some((name) => typeof vol?.[name] !== 'function')) {
    throw new TypeError('tsemu run(): root.memfs must be a memfs Volume (or memfs fs object)');
  }
  return { fs: vol as unknown as GuestFs };
}

function envList(env: RunOptions['env']): string[] {
  if (!env) return [];
  return Array.isArray(env) ? env : Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/** A hook's action as the syscall layer takes it (an errno name as its number). */
function verdictOf(action: SyscallAction): SyscallVerdict {
  if (!action || !('errno' in action) || typeof action.errno === 'number') return action as SyscallVerdict;
  const errno = errnoByName(action.errno);
  if (errno === undefined) throw new TypeError(`tsemu run(): unknown errno name ${action.errno}`);
  return { errno };
}

/**
 * Runs a Linux program for riscv64 or 32-bit ARM in this process and resolves with how it ended
 * (and its output, when collected). The promise rejects when the program cannot be loaded (a
 * LoaderError, whose message is qemu's) or on an internal error of tsemu; a guest that crashes
 * resolves with the signal that killed it.
 *
 * @example
 * const r = await run({ arch: 'riscv64', program: 'hello', argv: ['hello'] });
 * console.log(r.status, r.stdout?.toString());
 */
export async function run(options: RunOptions): Promise<RunResult> {
  const arch = USER_ARCHES[options.arch];
  if (!arch) throw new TypeError(`tsemu run(): unknown arch ${String(options.arch)} (riscv64 or arm)`);
  const program = options.program;
  const exePath = typeof program === 'string' ? path.resolve(program) : '/proc/self/exe';
  const argv = options.argv ?? [typeof program === 'string' ? program : 'program'];
  const envp = envList(options.env);
  const { fs, prefix } = guestFs(options.root);

  const mem = new GuestMemory();
  const as = new AddressSpace(mem);
  const image = loadElf(as, {
    path: typeof program === 'string' ? program : argv[0], image: typeof program === 'string' ? undefined : program,
    arch: arch.elf, argv, envp, random: hostRandom, prefix,
  });
  arch.mapArchPages?.(as);
  const runner: RunnerOptions = {
    backend: options.backend ?? 'tiered', maxInsns: 512, cpuProps: {}, debug: [], logFile: undefined,
    strace: false, uname: undefined, ldPrefix: undefined,
  };
  const hooks = options.hooks ?? {};
  const block = hooks.block;
  const log = { fd: 2, has: () => false, write: () => {} };
  const vcpu = newVcpu(arch, mem, runner, log, false, block && ((pc, size) => block({ pc, size })));
  arch.initRegisters(mem, vcpu.cpu.env, image.entry, image.sp);

  let proc: LinuxProcess | undefined;
  const stdio = guestStdio(() => proc!, options.stdin, options.stdout, options.stderr);
  const syscall = hooks.syscall;
  proc = new LinuxProcess({
    arch: arch.syscalls, archName: arch.name, mem, as, exePath, argv, envp, auxv: image.auxv,
    log: () => {}, strace: false, logUnimp: false, random: hostRandom,
    fs, cwd: options.cwd ?? (fs === hostFs ? process.cwd() : '/'), stdio: stdio.files,
    syscallHook: syscall && ((call: SyscallRequest) => verdictOf(syscall({ ...call, readString: (addr) => proc!.readPath(addr) }))),
  });
  // A stream's data comes through the event loop: the guest must wait for it there.
  if (typeof options.stdin === 'object' && !(options.stdin instanceof Uint8Array)) proc.host.needEventLoop();

  return new Promise<RunResult>((resolve, reject) => {
    const workers: Worker[] = [];
    const stop = (): void => {
      stdio.close();
      proc!.fds.closeAll();
      for (const w of workers) void w.terminate();
    };
    const embedding: Embedding = {
      end: (status: GuestExitStatus) => {
        stop();
        const end: GuestEnd = 'signal' in status ? { status: null, signal: status.signal } : { status: status.status & 0xff, signal: null };
        try {
          hooks.exit?.(end);
        } catch (e) {
          reject(e);
          return;
        }
        resolve({ ...end, stdout: stdio.collected(1), stderr: stdio.collected(2) });
      },
      fail: (err) => {
        stop();
        reject(err);
      },
      workerScript: new URL('./vcpu-worker.js', import.meta.url),
      workerData: { arch: options.arch, reportBlocks: !!block },
      started: (w) => {
        workers.push(w);
        if (block) w.on('message', (m: { block?: [number, number] }) => m.block && block({ pc: m.block[0], size: m.block[1] }));
      },
    };
    try {
      runProcess(arch, proc!, vcpu, runner, log, false, undefined, embedding);
    } catch (e) {
      embedding.fail(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
