// -strace: one line per call in qemu-user's manner, `pid name(args) = result`, with strings
// quoted, flags decoded and errors as `-1 errno=N (message)`.
import { errnoMessage } from './errno.js';
import { SI_TIMER, type SigInfo } from './guest-thread.js';
import { CLOCK_NAMES, MADV_NAMES, MAP, MAP_FLAG_NAMES, PROT_NAMES } from './mman-flags.js';
import type { LinuxProcess } from './process.js';
import type { ArgKind, SyscallImpl } from './syscall-arch.js';
import { timespecText } from './time-calls.js';

/** A pointer as qemu prints it: zero-padded to the guest's register width. */
const hexWord = (p: LinuxProcess, v: number): string => '0x' + v.toString(16).padStart(p.arch.wordBits / 4, '0');

/** Enumerated arguments by kind (values from the uapi headers named in the callers' files). */
const ENUMS: Partial<Record<ArgKind, Record<number, string>>> = {
  whence: { 0: 'SEEK_SET', 1: 'SEEK_CUR', 2: 'SEEK_END', 3: 'SEEK_DATA', 4: 'SEEK_HOLE' },
  sighow: { 0: 'SIG_BLOCK', 1: 'SIG_UNBLOCK', 2: 'SIG_SETMASK' },
  fcntlcmd: {
    0: 'F_DUPFD', 1: 'F_GETFD', 2: 'F_SETFD', 3: 'F_GETFL', 4: 'F_SETFL', 5: 'F_GETLK', 6: 'F_SETLK',
    7: 'F_SETLKW', 1030: 'F_DUPFD_CLOEXEC',
  },
  madvice: MADV_NAMES,
  ioctlreq: { 0x5401: 'TCGETS', 0x5402: 'TCSETS', 0x5403: 'TCSETSW', 0x5404: 'TCSETSF', 0x540f: 'TIOCGPGRP', 0x5413: 'TIOCGWINSZ', 0x5414: 'TIOCSWINSZ', 0x541b: 'FIONREAD' },
  unlinkflags: { 0: '0', 0x200: 'AT_REMOVEDIR' },
  // qemu's table names 6 SIGIOT.
  signal: Object.fromEntries(['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGIOT', 'SIGBUS',
    'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT',
    'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ',
    'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS'].map((n, i) => [i + 1, n])),
};
const ACCESS_BITS: [string, number][] = [['R_OK', 4], ['W_OK', 2], ['X_OK', 1]];
const FUTEX_FLAGS: [string, number][] = [['FUTEX_PRIVATE_FLAG', 128], ['FUTEX_CLOCK_REALTIME', 256]];
const FUTEX_CMDS = ['FUTEX_WAIT', 'FUTEX_WAKE', 'FUTEX_FD', 'FUTEX_REQUEUE', 'FUTEX_CMP_REQUEUE',
  'FUTEX_WAKE_OP', 'FUTEX_LOCK_PI', 'FUTEX_UNLOCK_PI', 'FUTEX_TRYLOCK_PI', 'FUTEX_WAIT_BITSET', 'FUTEX_WAKE_BITSET'];
/** fcntl commands that take no argument (qemu prints none). */
const FCNTL_NO_ARG = new Set([1, 3]);
const ACCMODE = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'];

function bits(v: number, names: [string, number][]): string[] {
  const out: string[] = [];
  for (const [n, b] of names) {
    if ((v & b) === b) { out.push(n); v &= ~b; }
  }
  if (v) out.push('0x' + (v >>> 0).toString(16));
  return out;
}

/** Formats guest data, or the bare pointer when it cannot be read. */
function guarded(show: () => string, addr: number): string {
  try {
    return show();
  } catch {
    return '0x' + addr.toString(16);
  }
}

const quote = (p: LinuxProcess, addr: number): string => guarded(() => JSON.stringify(p.mem.readCString(addr, 4096)), addr);

function formatArg(p: LinuxProcess, k: ArgKind, v: number): string {
  const named = ENUMS[k]?.[v];
  if (named !== undefined) return named;
  switch (k) {
    case 'accessmode': return v === 0 ? 'F_OK' : bits(v, ACCESS_BITS).join('|');
    case 'futexop': return [...bits(v & 0x180, FUTEX_FLAGS), FUTEX_CMDS[v & 0x7f] ?? String(v & 0x7f)].join('|');
    case 'ioctlreq': case 'unlinkflags': return '0x' + v.toString(16);
    case 'dirfd': return v === -100 ? 'AT_FDCWD' : String(v);
    case 'ptr': return v === 0 ? 'NULL' : hexWord(p, v);
    case 'buf': case 'hex': case 'atflags': case 'madvice': return '0x' + (v >>> 0).toString(16);
    case 'path': return v === 0 ? 'NULL' : quote(p, v);
    case 'timespec': return v === 0 ? 'NULL' : guarded(() => timespecText(p, v), v);
    case 'mode': return '0' + v.toString(8);
    case 'clockid': return CLOCK_NAMES[v] ?? String(v);
    case 'pgoff': return String(v / 4096); // the register, as qemu prints mmap2's
    case 'prot': return v === 0 ? 'PROT_NONE' : bits(v, PROT_NAMES).join('|');
    case 'mapflags': {
      const type = v & MAP.TYPE;
      const t = type === MAP.SHARED ? 'MAP_SHARED' : type === MAP.PRIVATE ? 'MAP_PRIVATE'
        : type === MAP.SHARED_VALIDATE ? 'MAP_SHARED_VALIDATE' : '0x' + type.toString(16);
      return [t, ...bits(v & ~MAP.TYPE, MAP_FLAG_NAMES)].join('|');
    }
    case 'openflags': {
      const named = Object.entries(p.arch.openFlags).filter(([, b]) => b !== 0);
      return [ACCMODE[v & 3], ...bits(v & ~3, named)].join('|');
    }
    default: return String(v);
  }
}

/** A call as qemu prints one it has no printer for (and one it does not implement): the six
 *  argument registers in signed decimal. */
export function rawCall(p: LinuxProcess, name: string, regs: bigint[]): string {
  const raw = Array.from({ length: 6 }, (_, i) => BigInt.asIntN(p.arch.wordBits, regs[i] ?? 0n).toString());
  return `${name}(${raw.join(',')})`;
}

export function formatCall(p: LinuxProcess, name: string, impl: SyscallImpl, kinds: ArgKind[], vals: number[], regs: bigint[]): string {
  if (impl.straceRaw) return rawCall(p, name, regs);
  const parts: string[] = [];
  kinds.every((k, i) => {
    if (k === 'sigsetsize') return true;
    // open's mode is only meaningful (and only printed by qemu) with O_CREAT or O_TMPFILE.
    if (k === 'mode' && kinds[i - 1] === 'openflags'
      && !p.hasOpenFlag(vals[i - 1], 'O_CREAT') && !p.hasOpenFlag(vals[i - 1], 'O_TMPFILE')) return true;
    parts.push(formatArg(p, k, vals[i]));
    return !(k === 'fcntlcmd' && FCNTL_NO_ARG.has(vals[i]));
  });
  return `${name}(${parts.join(',')})`;
}

export function formatResult(p: LinuxProcess, impl: SyscallImpl, vals: number[], r: number | bigint): string {
  const n = Number(r);
  if (n < 0 && n >= -4095) return errnoResult(-n);
  const text = impl.ret === 'ptr' ? hexWord(p, n) : String(r);
  const extra = impl.straceOut ? impl.straceOut(p, vals, r) : '';
  return extra ? `${text} (${extra})` : text;
}

/** A failed call's result as qemu prints it. */
export const errnoResult = (errno: number): string => `-1 errno=${errno} (${errnoMessage(errno)})`;

/** The si_code values qemu's -strace names; others it prints as numbers. */
const SI_CODE_NAMES: Record<number, string> = {
  0: 'SI_USER', 0x80: 'SI_KERNEL', [-1]: 'SI_QUEUE', [-2]: 'SI_TIMER', [-3]: 'SI_MESGQ',
  [-4]: 'SI_ASYNCIO', [-5]: 'SI_SIGIO', [-6]: 'SI_TKILL',
};

/** The line -strace prints when a signal is taken (delivered, ignored or fatal), as qemu-user
 *  prints it: `--- SIGSEGV {si_signo=SIGSEGV, si_code=1, si_addr=NULL} ---`. Which siginfo
 *  fields follow the code depends on what sent the signal: a fault's address, a child's status,
 *  a timer's id and overrun (in the pid and uid places) and value, a queued value, or the
 *  sender's pid and uid. */
export function takenSignal(p: LinuxProcess, info: SigInfo): string {
  const name = ENUMS.signal![info.signo] ?? String(info.signo);
  const f = info.fields ?? {};
  const n = (k: string): number => Number(f[k] ?? 0);
  let rest: string;
  if ('addr' in f) rest = `si_addr=${n('addr') === 0 ? 'NULL' : hexWord(p, n('addr'))}`;
  else if ('status' in f) {
    rest = `si_pid=${n('pid')}, si_uid=${n('uid')}, si_status=${n('status')}, si_utime=${n('utime')}, si_stime=${n('stime')}`;
  } else if (info.code === SI_TIMER) rest = `si_pid=${n('tid')}, si_uid=${n('overrun')}, si_sigval=${n('value') | 0}`;
  else if ('value' in f) rest = `si_pid=${n('pid')}, si_uid=${n('uid')}, si_sigval=${n('value') | 0}`;
  else rest = `si_pid=${n('pid')}, si_uid=${n('uid')}`;
  const code = SI_CODE_NAMES[info.code] ?? String(info.code);
  return `--- ${name} {si_signo=${name}, si_code=${code}, ${rest}} ---\n`;
}
