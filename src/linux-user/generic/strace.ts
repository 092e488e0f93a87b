// -strace: one line per call in qemu-user's manner, `pid name(args) = result`, with strings
// quoted, flags decoded and errors as `-1 errno=N (message)`.
import { errnoMessage } from './errno.js';
import { CLOCK_NAMES, MAP, MAP_FLAG_NAMES, PROT_NAMES } from './mman-flags.js';
import type { LinuxProcess } from './process.js';
import type { ArgKind, SyscallImpl } from './syscall-arch.js';

const hex16 = (v: number): string => '0x' + v.toString(16).padStart(16, '0');
const ACCMODE = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'];

function bits(v: number, names: [string, number][]): string[] {
  const out: string[] = [];
  for (const [n, b] of names) {
    if ((v & b) === b) { out.push(n); v &= ~b; }
  }
  if (v) out.push('0x' + (v >>> 0).toString(16));
  return out;
}

function quote(p: LinuxProcess, addr: number): string {
  try {
    return JSON.stringify(p.mem.readCString(addr, 4096));
  } catch {
    return '0x' + addr.toString(16);
  }
}

function formatArg(p: LinuxProcess, k: ArgKind, v: number): string {
  switch (k) {
    case 'dirfd': return v === -100 ? 'AT_FDCWD' : String(v);
    case 'ptr': return v === 0 ? 'NULL' : hex16(v);
    case 'buf': case 'hex': case 'atflags': return '0x' + (v >>> 0).toString(16);
    case 'path': return v === 0 ? 'NULL' : quote(p, v);
    case 'mode': return '0' + v.toString(8);
    case 'clockid': return CLOCK_NAMES[v] ?? String(v);
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

export function formatCall(p: LinuxProcess, name: string, kinds: ArgKind[], vals: number[]): string {
  const parts: string[] = [];
  kinds.forEach((k, i) => {
    // open's mode is only meaningful (and only printed by qemu) with O_CREAT or O_TMPFILE.
    if (k === 'mode' && kinds[i - 1] === 'openflags'
      && !p.hasOpenFlag(vals[i - 1], 'O_CREAT') && !p.hasOpenFlag(vals[i - 1], 'O_TMPFILE')) return;
    parts.push(formatArg(p, k, vals[i]));
  });
  return `${name}(${parts.join(',')})`;
}

export function formatResult(p: LinuxProcess, impl: SyscallImpl, vals: number[], r: number | bigint): string {
  const n = Number(r);
  if (n < 0 && n >= -4095) return `-1 errno=${-n} (${errnoMessage(-n)})`;
  const text = impl.ret === 'ptr' ? hex16(n) : String(r);
  const extra = impl.straceOut ? impl.straceOut(p, vals, r) : '';
  return extra ? `${text} (${extra})` : text;
}
