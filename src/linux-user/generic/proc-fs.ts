// /proc emulation: the files whose host version would describe Node instead of the guest are
// served from memory (or redirected); everything else under /proc passes through to the host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemFile, OpenFile, S_IFREG } from './open-file.js';
import type { LinuxProcess } from './process.js';
import { cpuCount } from './system-calls.js';

/** The /proc/self (or /proc/<our pid>) relative part of a path, or undefined. */
function selfPart(p: LinuxProcess, file: string): string | undefined {
  const m = /^\/proc\/(self|\d+)\/(.*)$/.exec(path.normalize(file));
  if (!m || (m[1] !== 'self' && Number(m[1]) !== p.pid)) return undefined;
  return m[2];
}

const nulJoin = (list: string[]): Uint8Array => Buffer.from(list.map((s) => s + '\0').join(''));

/** Contents of emulated /proc files by their name under /proc/self. */
const SELF_FILES: Record<string, (p: LinuxProcess) => Uint8Array> = {
  maps: (p) => Buffer.from(p.as.formatMaps()),
  auxv: (p) => p.auxv,
  cmdline: (p) => nulJoin(p.argv),
  environ: (p) => nulJoin(p.envp),
  comm: (p) => Buffer.from(p.comm + '\n'),
  stat: (p) => Buffer.from(statLine(p)),
  status: (p) => Buffer.from(statusText(p)),
};

/** The host's /proc/self/stat fields after the name (the state first), or none without /proc. */
export function hostStatFields(): string[] {
  try {
    const text = fs.readFileSync('/proc/self/stat', 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
  } catch {
    return [];
  }
}

/** /proc/<pid>/stat (proc(5)): the host's line with the guest's ids, name, threads and size. */
function statLine(p: LinuxProcess): string {
  const host = hostStatFields();
  const f = Array.from({ length: 50 }, (_, i) => host[i] ?? '0');
  const vsize = p.as.vmas.reduce((n, v) => n + v.end - v.start, 0);
  f[0] = 'R';
  f[1] = String(p.ppid);
  f[2] = String(p.pgid);
  f[3] = String(p.sid);
  f[17] = String(p.threads.size);
  f[20] = String(vsize);
  return `${p.pid} (${p.comm}) ${f.join(' ')}\n`;
}

const hexMask = (m: bigint): string => m.toString(16).padStart(16, '0');

/** /proc/<pid>/status: the fields programs read (name, ids, threads, signal masks). */
function statusText(p: LinuxProcess): string {
  const uid = process.getuid?.() ?? 0, gid = process.getgid?.() ?? 0;
  let ignored = 0n, caught = 0n;
  for (const [sig, a] of p.sigactions) {
    if (a.handler === 1n) ignored |= 1n << BigInt(sig - 1);
    else if (a.handler !== 0n) caught |= 1n << BigInt(sig - 1);
  }
  return [
    `Name:\t${p.comm}`, `Umask:\t${p.umask.toString(8).padStart(4, '0')}`, 'State:\tR (running)',
    `Tgid:\t${p.pid}`, `Pid:\t${p.pid}`, `PPid:\t${p.ppid}`, 'TracerPid:\t0',
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`, `Gid:\t${gid}\t${gid}\t${gid}\t${gid}`,
    `Threads:\t${p.threads.size}`, `SigBlk:\t${hexMask(p.current.sigmask)}`,
    `SigIgn:\t${hexMask(ignored)}`, `SigCgt:\t${hexMask(caught)}`, '',
  ].join('\n');
}

/** Opens an emulated /proc file, or returns undefined to let the host path be used (after
 *  procRedirect). */
export function openProc(p: LinuxProcess, file: string, flags: number): OpenFile | undefined {
  if (path.normalize(file) === '/proc/cpuinfo') return new MemFile(file, flags, Buffer.from(p.arch.cpuinfo(cpuCount())));
  const rel = selfPart(p, file);
  const make = rel !== undefined ? SELF_FILES[rel] : undefined;
  return make ? new MemFile(file, flags, make(p), S_IFREG | 0o444) : undefined;
}

/** The host path to use for a guest path: /proc/self/exe is the guest binary. */
export function procRedirect(p: LinuxProcess, file: string): string {
  return selfPart(p, file) === 'exe' ? p.exePath : file;
}

/** readlink of emulated /proc links (exe, fd/N, cwd), or undefined to ask the host. */
export function readlinkProc(p: LinuxProcess, file: string): string | undefined {
  const rel = selfPart(p, file);
  if (rel === undefined) return undefined;
  if (rel === 'exe') return p.exePath;
  if (rel === 'cwd') return p.cwd;
  const fd = /^fd\/(\d+)$/.exec(rel);
  if (fd && p.fds.has(Number(fd[1]))) return p.fds.get(Number(fd[1])).path;
  return undefined;
}
