// The guest process as the syscall layer sees it: fds, cwd, umask, signal dispositions, limits,
// and the dispatcher that turns (number, raw registers) into a named call and back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuestFault, GuestMemory, PROT_READ, toAddr } from '../../memory/guest-memory.js';
import { AddressSpace } from '../../memory/address-space.js';
import { AGAIN, E, hostErrno, SyscallError } from './errno.js';
import { FdTable } from './fd-table.js';
import { HostFile, type OpenFile } from './open-file.js';
import { type GuestFs, hostFs } from './guest-fs.js';
import type { ArgKind, SyscallArch, SyscallEntry, SyscallImpl } from './syscall-arch.js';
import type { StructLayout } from './struct-layout.js';
import { GENERIC_SYSCALLS } from './syscall-impls.js';
import { errnoResult, formatCall, formatResult, rawCall, takenSignal } from './strace.js';
import { RandomSource, hostRandom } from './guest-random.js';
import { GuestExitStatus, SIGPIPE } from './termination.js';
import { GuestThread, SI_USER, SigInfo } from './guest-thread.js';
import { SyscallValue, Wait, WouldBlock } from './blocking.js';
import { DirectHost, ThreadHost } from './thread-host.js';
import { sendSignal } from './signal-delivery.js';
import { CPU_STATE_BASE, CPU_STATE_MAX, CPU_STATE_STRIDE } from '../../memory/guest-memory.js';
import { FutexTable } from './futex.js';
import type { ChildRecord } from './host-children.js';
import type { Launcher } from './launcher.js';
import { hostStatFields } from './proc-fs.js';
import { SharedPages } from './shared-pages.js';
import { endMappings, syncStores } from './memory-calls.js';
import type { CpuExec } from '../../tcg/cpu-exec.js';

export type { SyscallArch } from './syscall-arch.js';

/** Thrown by exit_group (and by exit of the last thread): the guest process is over with this
 *  status. */
export class GuestExit extends Error {
  constructor(readonly status: number) {
    super(`guest exit ${status}`);
  }
}

/** Thrown when a signal's action kills the process (the runner reports "uncaught target
 *  signal N" for those that dump core and dies by the same signal). */
export class GuestSignal extends Error {
  constructor(readonly signo: number) {
    super(`guest signal ${signo}`);
  }
}

/** Thrown by exit when other threads go on: this vCPU's thread is over. */
export class ThreadExit extends Error {
  constructor(readonly status: number) {
    super(`thread exit ${status}`);
  }
}

/** How the guest ended, if `e` is a syscall's GuestExit or GuestSignal (for the cpu loops). */
export function guestEnd(e: unknown): GuestExitStatus | undefined {
  if (e instanceof GuestExit) return { status: e.status };
  if (e instanceof GuestSignal) return { signal: e.signo };
  return undefined;
}

/** Linux's AT_FDCWD (include/uapi/linux/fcntl.h): the same on every arch. */
export const AT_FDCWD = -100;
const PATH_MAX = 4096;
/** mmap2's offset unit: 4096 whatever the page size (man 2 mmap2). */
const MMAP2_UNIT = 4096;

export interface LinuxProcessOptions {
  arch: SyscallArch;
  mem: GuestMemory;
  as: AddressSpace;
  exePath: string;
  argv: string[];
  envp: string[];
  auxv: Uint8Array;
  /** Writes log text as is: callers end their lines, so -strace can print a call before it
   *  runs and its result after (guest output written by the call lands in between, as in qemu). */
  log: (text: string) => void;
  strace: boolean;
  logUnimp: boolean;
  archName: string;
  /** The release uname(2) reports (-r); the host's by default, as qemu does. */
  unameRelease?: string;
  /** Where getrandom's bytes come from (seeded under -seed). */
  random?: RandomSource;
  /** The guest's pid and its parent's, when not the host's (a forked or exec'd process whose
   *  host process differs from the one its parent knows). */
  ids?: { pid: number; ppid: number };
  /** Starts host processes for fork and execve; without one they are ENOSYS. */
  launcher?: Launcher;
  /** The guest prefix (-L): absolute paths are looked up under it first. */
  ldPrefix?: string;
  /** The filesystem the guest's paths name (guest-fs.ts): the host's by default. */
  fs?: GuestFs;
  /** The guest's starting cwd, a path in `fs`: the host process's by default. */
  cwd?: string;
  /** The open files of fds 0, 1 and 2: the host process's own stdio by default. */
  stdio?: [OpenFile, OpenFile, OpenFile];
  /** Sees each implemented syscall before it runs, and may change or answer it. */
  syscallHook?: SyscallHook;
}

/** What a syscall hook sees of a call about to run. */
export interface SyscallRequest {
  name: string;
  number: number;
  /** The calling thread's id. */
  tid: number;
  /** The arguments as the call takes them: integers, and guest addresses for pointers. */
  args: number[];
  /** What each argument is ('path', 'fd', 'ptr', ...: syscall-arch.ts's ArgKind). */
  kinds: ArgKind[];
}

/** A hook's answer: nothing runs the call as it is; `args` runs it with these arguments;
 *  `result` or `errno` (a positive number) returns that without running it. */
export type SyscallVerdict = void | undefined | { args: number[] } | { result: number } | { errno: number };
export type SyscallHook = (call: SyscallRequest) => SyscallVerdict;


export interface SigactionRecord { handler: bigint; flags: bigint; restorer: bigint; mask: bigint }

export class LinuxProcess {
  readonly arch: SyscallArch;
  readonly mem: GuestMemory;
  readonly as: AddressSpace;
  readonly exePath: string;
  readonly argv: string[];
  readonly envp: string[];
  readonly auxv: Uint8Array;
  readonly log: (text: string) => void;
  readonly strace: boolean;
  /** -strace: a call's line is printed and its result not yet (see straceFatal). */
  private straceOpen = false;
  readonly logUnimp: boolean;
  readonly archName: string;
  readonly unameRelease: string | undefined;
  readonly random: RandomSource;
  readonly pid: number;
  readonly ppid: number;
  readonly launcher: Launcher | undefined;
  readonly ldPrefix: string | undefined;
  readonly fs: GuestFs;
  readonly syscallHook: SyscallHook | undefined;
  private groupIds: { pgid: number; sid: number } | undefined;
  /** Child processes by pid, until waited for. */
  readonly children = new Map<number, ChildRecord>();
  readonly fds = new FdTable();
  /** The guest's cwd: worker threads cannot chdir, so relative paths are resolved here. */
  cwd: string;
  umask = 0o022;
  /** prctl(PR_SET_PDEATHSIG), and the timer that watches for the parent's end. */
  deathSignal = 0;
  parentWatch: NodeJS.Timeout | undefined;
  /** prctl(PR_SET_NAME): the thread name, at most 15 bytes. */
  comm: string;
  readonly sigactions = new Map<number, SigactionRecord>();
  /** Signals sent to the process as a whole, not yet taken by a thread. */
  readonly pending: SigInfo[] = [];
  /** The guest's threads by tid; the first has the process's id. */
  readonly threads = new Map<number, GuestThread>();
  /** The thread whose syscall is being run. */
  current: GuestThread;
  /** vCPU slots of ended threads whose worker has not stopped yet: not given out again, or two
   *  workers would share one state area and mailbox. */
  readonly retiredSlots = new Set<number>();
  /** Those of them whose worker waits for another thread to run (thread-server.ts keeps ended
   *  threads' workers): a new thread takes one of these first. */
  readonly idleSlots = new Set<number>();
  /** Who runs the vCPUs and waits (thread-host.ts): synchronous until the event loop is needed. */
  host: ThreadHost = new DirectHost();
  readonly futexes = new FutexTable();
  /** MAP_SHARED pages a fork shares with another process (shared-pages.ts). */
  readonly sharedPages: SharedPages;
  /** Runs one guest instruction of a vCPU, for an access to a shared page (the first vCPU's
   *  CpuExec, set by the runner). */
  stepper: Pick<CpuExec, 'step' | 'lastFault'> | undefined;
  readonly rlimits = new Map<number, [bigint, bigint]>();
  /** Called after munmap/mprotect/mremap/MAP_FIXED over executable pages, and by icache flushes. */
  onCodeChange?: (start: number, len: number) => void;
  /** A debugger's look at each signal about to act on a thread (gdb-target.ts): true when the
   *  debugger holds it back (the thread stops; the signal acts, or not, when it goes on). */
  debugSignal?: (t: GuestThread, info: SigInfo) => boolean;
  /** The struct layouts of the call being run: the arch's, with the entry's overrides. */
  layouts: Record<string, StructLayout>;
  private readonly entryLayouts = new Map<SyscallEntry, Record<string, StructLayout>>();
  private readonly unimpLogged = new Set<number>();
  private nextTid: number;
  private readonly impls: Record<string, SyscallImpl>;

  constructor(opts: LinuxProcessOptions) {
    this.arch = opts.arch;
    this.mem = opts.mem;
    this.as = opts.as;
    this.sharedPages = new SharedPages(this.mem);
    this.exePath = path.resolve(opts.exePath);
    this.argv = opts.argv;
    this.envp = opts.envp;
    this.auxv = opts.auxv;
    this.log = opts.log;
    this.strace = opts.strace;
    this.logUnimp = opts.logUnimp;
    this.archName = opts.archName;
    this.unameRelease = opts.unameRelease;
    this.random = opts.random ?? hostRandom;
    this.pid = opts.ids?.pid ?? process.pid;
    this.ppid = opts.ids?.ppid ?? process.ppid;
    this.nextTid = this.pid + 1;
    this.launcher = opts.launcher;
    this.ldPrefix = opts.ldPrefix && fs.existsSync(opts.ldPrefix) ? path.resolve(opts.ldPrefix) : undefined;
    this.fs = opts.fs ?? hostFs;
    this.cwd = opts.cwd ?? process.cwd();
    this.syscallHook = opts.syscallHook;
    this.comm = path.basename(this.exePath).slice(0, 15);
    this.current = new GuestThread(this.pid, 0, CPU_STATE_BASE);
    this.threads.set(this.pid, this.current);
    this.impls = { ...GENERIC_SYSCALLS, ...opts.arch.archImpls };
    this.layouts = opts.arch.layouts;
    if (opts.stdio) opts.stdio.forEach((f, fd) => this.fds.set(fd, f, false));
    else for (const fd of [0, 1, 2]) {
      try {
        this.fds.set(fd, new HostFile(fd, `/dev/fd/${fd}`, fd === 0 ? 0 : 1, false, false), false);
      } catch { /* a closed host stdio fd stays closed for the guest too */ }
    }
  }

  /** The process group and session: the host's (fields 5 and 6 of /proc/self/stat), read
   *  when first asked, not at every start. */
  get pgid(): number { return this.hostGroupIds().pgid; }
  get sid(): number { return this.hostGroupIds().sid; }

  private hostGroupIds(): { pgid: number; sid: number } {
    if (!this.groupIds) {
      const f = hostStatFields();
      this.groupIds = f.length > 3 ? { pgid: Number(f[2]), sid: Number(f[3]) } : { pgid: process.pid, sid: process.pid };
    }
    return this.groupIds;
  }

  /** Runs syscall nr for the current thread with the raw argument registers; returns the
   *  result register's value (a negative errno as a 64-bit two's complement pattern). Throws
   *  GuestExit / GuestSignal / ThreadExit, and WouldBlock (with its completion) when the host
   *  parks the call. */
  syscall(nr: number, args: bigint[]): bigint {
    const t = this.current;
    // Stores into MAP_SHARED file mappings reach their files before anything the call does.
    if (this.mem.trackedWrites?.size) syncStores(this);
    t.syscallArgs = args;
    const entry = this.arch.table.get(nr);
    const impl = entry && this.impls[entry.impl ?? entry.name];
    if (!entry || !impl) {
      // qemu's lines: -strace shows a call the kernel names with its raw arguments and ENOSYS,
      // a number it does not know as such; -d unimp says "Unsupported syscall" (between the two
      // halves of the -strace line, as qemu writes it), here once per number and with the name.
      if (this.strace) this.log(entry ? `${t.tid} ${rawCall(this, entry.name, args)}` : `${t.tid} Unknown syscall ${nr}\n`);
      if (this.logUnimp && !this.unimpLogged.has(nr)) {
        this.unimpLogged.add(nr);
        this.log(`Unsupported syscall: ${nr}${entry ? ` (${entry.name})` : ''}\n`);
      }
      if (this.strace && entry) this.log(` = ${errnoResult(E.NOSYS)}\n`);
      return BigInt.asUintN(64, BigInt(-E.NOSYS));
    }
    this.layouts = entry.layouts ? this.layoutsOf(entry, entry.layouts) : this.arch.layouts;
    const layouts = this.layouts;
    const kinds = entry.args ?? impl.args;
    let vals = this.marshal(kinds, args);
    const verdict = this.syscallHook?.({ name: entry.name, number: nr, tid: t.tid, args: vals, kinds });
    if (verdict && 'args' in verdict) vals = verdict.args;
    const fatal = entry.name === 'exit_group' || entry.name === 'exit';
    // Fatal calls never return, so their line ends here.
    if (this.strace) {
      this.log(`${t.tid} ${formatCall(this, entry.name, impl, kinds, vals, args)}${fatal ? '\n' : ''}`);
      this.straceOpen = !fatal;
    }
    const finish = (result: SyscallValue): bigint => {
      // A parked call wrote its result's bytes just now.
      this.sharedPages.flush();
      this.current = t;
      this.layouts = layouts;
      if (this.strace) {
        this.log(` = ${formatResult(this, impl, vals, result)}\n`);
        this.straceOpen = false;
      }
      if (result <= -512 && result >= -516) t.restart = -Number(result);
      // Writing to a pipe or socket nobody reads also raises SIGPIPE (pipe(7)): fatal by
      // default, so `prog | head` ends the way it does natively.
      if (result === -E.PIPE && !impl.restoresRegisters && !t.noSigpipe) sendSignal(this, t, { signo: SIGPIPE, code: SI_USER, fields: { pid: this.pid } });
      t.noSigpipe = false;
      return BigInt.asUintN(64, BigInt(result));
    };
    // The hook answered: the call does not run.
    if (verdict && 'result' in verdict) return finish(verdict.result);
    if (verdict && 'errno' in verdict) return finish(-verdict.errno);
    let result: SyscallValue;
    try {
      result = syscallBody(() => impl.fn(this, ...vals))!;
    } catch (e) {
      if (e instanceof WouldBlock) e.finish = finish;
      throw e;
    } finally {
      this.sharedPages.flush();
    }
    return finish(result);
  }

  /** -strace's line for a signal that is fatal as it is generated (the kernel acts on it at
   *  once). qemu queues it and prints it when taken, after the line of the call that sent it:
   *  so that line ends first, with the success the call had. (An ignored signal is dropped
   *  unseen, as qemu's host kernel drops it.) */
  straceFatal(info: SigInfo): void {
    this.log(`${this.straceOpen ? ' = 0\n' : ''}${takenSignal(this, info)}`);
    this.straceOpen = false;
  }

  /** Waits for `w` on behalf of the current thread (see blocking.ts): returns the call's result
   *  when the host waits synchronously, else throws WouldBlock. */
  waitFor(w: Wait): SyscallValue {
    // Each look of a wait is a call of its own for shared pages: the next one reads them afresh.
    const poll = w.poll;
    w.poll = () => {
      try {
        return poll();
      } finally {
        this.sharedPages.flush();
      }
    };
    return this.host.waitFor(this, this.current, w);
  }

  /** A thread for clone: the next free tid and vCPU slot (EAGAIN when every slot is taken). */
  newThread(): GuestThread {
    let index = Math.min(...this.idleSlots);
    if (index !== Infinity) {
      this.idleSlots.delete(index);
      this.retiredSlots.delete(index);
    } else {
      const used = new Set([...this.threads.values()].map((t) => t.cpuIndex).concat([...this.retiredSlots]));
      index = 0;
      while (used.has(index)) index++;
      if (index >= CPU_STATE_MAX) throw AGAIN;
    }
    while (this.threads.has(this.nextTid)) this.nextTid++;
    return new GuestThread(this.nextTid++, index, CPU_STATE_BASE + index * CPU_STATE_STRIDE);
  }

  /** Runs `fn` on the main thread's event loop after `ms` milliseconds (timers), as an event of
   *  the host (which needs the event loop for it). */
  later(ms: number, fn: () => void): NodeJS.Timeout {
    this.host.needEventLoop();
    // What keeps the event loop alive while the guest waits is its vCPUs (main-vcpu.ts, the
    // workers): a timer left when the process ends (in an embedder's Node) must not.
    return setTimeout(() => this.host.event(fn), ms).unref();
  }

  /** Ends the process by signal `sig` (its action is fatal). */
  die(sig: number): never {
    endMappings(this);
    throw new GuestSignal(sig);
  }

  /** A stop signal's default action: the host process stops until SIGCONT, as the guest would. */
  stopProcess(): void {
    process.kill(process.pid, 'SIGSTOP');
  }

  private layoutsOf(entry: SyscallEntry, names: Record<string, string>): Record<string, StructLayout> {
    let l = this.entryLayouts.get(entry);
    if (!l) {
      l = { ...this.arch.layouts };
      for (const [generic, own] of Object.entries(names)) l[generic] = this.arch.layouts[own];
      this.entryLayouts.set(entry, l);
    }
    return l;
  }

  /** Raw registers to host numbers by the arch's ABI. */
  private marshal(kinds: ArgKind[], regs: bigint[]): number[] {
    const out: number[] = [];
    const wide = this.arch.wordBits === 64;
    let r = 0;
    for (const k of kinds) {
      if (k === 'off' && !wide) {
        r += r & 1; // EABI: a 64-bit argument starts at an even register
        const lo = BigInt.asUintN(32, regs[r] ?? 0n);
        const hi = BigInt.asUintN(32, regs[r + 1] ?? 0n);
        out.push(Number(BigInt.asIntN(64, (hi << 32n) | lo)));
        r += 2;
        continue;
      }
      out.push(marshalOne(k, regs[r++] ?? 0n, wide));
    }
    return out;
  }

  /** Tells the TB cache (through the hook the runner installs) that [start, start+len) changed. */
  codeChanged(start: number, len: number): void {
    this.onCodeChange?.(start, len);
  }

  /** Reads a guest path string (PATH_MAX bounded). */
  readPath(addr: number): string {
    try {
      return this.mem.readCString(addr, PATH_MAX);
    } catch (e) {
      if (e instanceof GuestFault && e.addr === addr + PATH_MAX && this.mem.accessible(addr, PATH_MAX, PROT_READ)) {
        throw new SyscallError(E.NAMETOOLONG);
      }
      throw e;
    }
  }

  /** The directory a dirfd names (AT_FDCWD: the cwd). */
  dirOf(dirfd: number): string {
    if (dirfd === AT_FDCWD) return this.cwd;
    return this.fds.get(dirfd).path;
  }

  /** Resolves a guest path relative to dirfd into a host path. An empty path is ENOENT unless
   *  the caller allows it (AT_EMPTY_PATH). */
  resolveAt(dirfd: number, p: string): string {
    if (p === '') throw new SyscallError(E.NOENT);
    return path.isAbsolute(p) ? this.underPrefix(p) : path.join(this.dirOf(dirfd), p);
  }

  /** An absolute guest path as the host opens it: under the guest prefix when it exists there
   *  (qemu's -L), else as is; /proc, /dev and /sys are the host's own. */
  underPrefix(p: string): string {
    const prefix = this.ldPrefix;
    if (!prefix || /^\/(proc|dev|sys)(\/|$)/.test(p) || p === '/') return p;
    const inside = path.join(prefix, p);
    try {
      fs.lstatSync(inside);
      return inside;
    } catch {
      return p;
    }
  }

  /** The host path of a Unix socket the guest names `name` (bind, connect): the name itself on
   *  the host's filesystem, where a directory root puts it, and none in a memfs volume
   *  (EOPNOTSUPP: a host socket cannot live there). */
  socketPath(name: string): string {
    if (this.fs === hostFs) return name;
    const host = this.fs.hostPath?.(this.resolveAt(AT_FDCWD, name));
    if (host === undefined) throw new SyscallError(E.OPNOTSUPP);
    return host;
  }

  /** Test whether an arch open flag is set, by name (flag values differ between arches). */
  hasOpenFlag(flags: number, name: string): boolean {
    const v = this.arch.openFlags[name];
    return v !== undefined && v !== 0 && (flags & v) === v;
  }

  /** The O_NONBLOCK and O_CLOEXEC bits of a call that creates fds (pipe2, socket's type,
   *  eventfd2...: the arch's open flags), EINVAL for any bit but those and `others`. */
  createFlags(flags: number, others = 0): { nonblock: boolean; cloexec: boolean } {
    const known = (this.arch.openFlags.O_NONBLOCK ?? 0) | (this.arch.openFlags.O_CLOEXEC ?? 0) | others;
    if (flags & ~known) throw new SyscallError(E.INVAL);
    return { nonblock: this.hasOpenFlag(flags, 'O_NONBLOCK'), cloexec: this.hasOpenFlag(flags, 'O_CLOEXEC') };
  }
}

/** Runs a syscall body (or the poll of a wait): its value, or -errno for a SyscallError, a host
 *  error or a guest fault; anything else is a bug and propagates. */
export function syscallBody<T extends SyscallValue | undefined>(fn: () => T): T | number {
  try {
    return fn();
  } catch (e) {
    const errno = e instanceof GuestFault ? E.FAULT : hostErrno(e);
    if (errno === undefined) throw e;
    return -errno;
  }
}

function marshalOne(k: ArgKind, v: bigint, wide: boolean): number {
  switch (k) {
    case 'int': case 'fd': case 'dirfd': case 'signal': case 'clockid': case 'whence': case 'sighow':
    case 'fcntlcmd': case 'madvice':
      return Number(BigInt.asIntN(32, v));
    case 'uint': case 'openflags': case 'mode': case 'prot': case 'mapflags': case 'atflags': case 'hex':
    case 'unlinkflags': case 'accessmode': case 'futexop': case 'ioctlreq':
      return Number(BigInt.asUintN(32, v));
    case 'long': case 'off':
      return Number(BigInt.asIntN(wide ? 64 : 32, v));
    case 'ulong': case 'sigsetsize':
      return Number(BigInt.asUintN(wide ? 64 : 32, v));
    case 'ptr': case 'path': case 'buf': case 'timespec':
      return toAddr(BigInt.asUintN(wide ? 64 : 32, v));
    case 'pgoff':
      return Number(BigInt.asUintN(wide ? 64 : 32, v)) * MMAP2_UNIT;
  }
}
