// The initial stack, laid out as Linux's create_elf_tables (fs/binfmt_elf.c) and qemu's
// (linux-user/elfload.c) do. From the top down:
//   8 zero bytes, the execfn string, the envp strings, the argv strings (argv[0] lowest),
//   the platform string (word-rounded, if any, then 16-byte alignment), 16 AT_RANDOM bytes,
//   padding so that sp is 16-byte aligned, then upwards from sp:
//   argc, argv[] NULL, envp[] NULL, auxv pairs ending with AT_NULL.
import type { AddressSpace } from '../memory/address-space.js';
import { PAGE_SIZE, PROT_NONE, PROT_READ, PROT_WRITE, pageCeil } from '../memory/guest-memory.js';
import { AT_NULL, type AuxEntry } from './auxv.js';

/** qemu's floor for -s (STACK_LOWER_LIMIT: 32 target pages). */
const STACK_MIN = 32 * PAGE_SIZE;

export interface StackRequest {
  top: number;
  size: number;
  ptrSize: 4 | 8;
  argv: string[];
  envp: string[];
  execfn: string;
  platform?: string;
  random: Uint8Array;
  /** The auxv entries (without AT_NULL), given the stack addresses some of them point to. */
  aux: (at: { random: number; execfn: number; platform: number | undefined }) => AuxEntry[];
}

export interface InitialStack {
  sp: number;
  /** The auxv as the guest sees it (with AT_NULL), for /proc/self/auxv. */
  auxv: Uint8Array;
}

/** Maps the stack (with qemu's PROT_NONE guard page below it) and fills it. */
export function buildInitialStack(as: AddressSpace, req: StackRequest): InitialStack {
  const size = Math.max(pageCeil(req.size), STACK_MIN);
  const bottom = req.top - size;
  as.map(bottom - PAGE_SIZE, PAGE_SIZE, PROT_NONE);
  as.map(bottom, size, PROT_READ | PROT_WRITE, '[stack]');

  const mem = as.mem;
  // 8 bytes for 32-bit guests too: Linux reserves a kernel pointer, qemu a host one (qemu-arm
  // puts execfn's NUL 8 bytes below the top).
  let p = req.top - 8;
  const push = (bytes: Uint8Array): number => {
    p -= bytes.length;
    mem.write(p, bytes);
    return p;
  };
  const cstr = (s: string): Uint8Array => Buffer.from(`${s}\0`, 'utf8');
  const execfn = push(cstr(req.execfn));
  const pushAll = (strs: string[]): number[] => {
    const block = strs.map(cstr);
    const total = block.reduce((n, b) => n + b.length, 0);
    let at = push(Buffer.concat(block, total));
    return block.map((b) => { const a = at; at += b.length; return a; });
  };
  const envPtrs = pushAll(req.envp);
  const argPtrs = pushAll(req.argv);
  let platform: number | undefined;
  if (req.platform !== undefined) {
    const s = cstr(req.platform);
    const padded = new Uint8Array(Math.ceil(s.length / req.ptrSize) * req.ptrSize);
    padded.set(s);
    platform = push(padded);
    p -= p % 16; // qemu aligns here (observed with qemu-arm); Linux does not
  }
  const random = push(req.random.subarray(0, 16));

  const aux = [...req.aux({ random, execfn, platform }), [AT_NULL, 0] as const];
  const words = 1 + argPtrs.length + 1 + envPtrs.length + 1 + aux.length * 2;
  const sp = Math.floor((p - words * req.ptrSize) / 16) * 16;
  const table = new Uint8Array(words * req.ptrSize);
  const view = new DataView(table.buffer);
  let w = 0;
  const put = (v: number): void => {
    if (req.ptrSize === 8) {
      view.setUint32(w, v >>> 0, true);
      view.setUint32(w + 4, Math.floor(v / 2 ** 32), true);
    } else view.setUint32(w, v >>> 0, true);
    w += req.ptrSize;
  };
  put(req.argv.length);
  for (const a of [...argPtrs, 0, ...envPtrs, 0]) put(a);
  const auxStart = w;
  for (const [type, value] of aux) { put(type); put(value); }
  mem.write(sp, table);
  return { sp, auxv: table.slice(auxStart) };
}
