// The qemu-user command line (qemu 7.2 `qemu-riscv64 -h`), as a table. qemu's syntax is not
// getopt's: options are single-dash words (-cpu, -strace; a double dash is accepted too), the
// first non-option word is the program and everything after it belongs to the guest, and each
// option has an environment variable that is applied before the command line (so the command
// line wins, and -E/-U from both accumulate, environment first). A pre-pass therefore splits
// the words and turns environment variables and options, in that order, into `--name value`
// tokens; commander then parses those against the same table.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadCommander } from './commander.cjs';
import { gdbAddress } from '../gdbstub/gdb-address.js';

export type Backend = 'interp' | 'wasm' | 'tiered';

export interface Options {
  /** The program to load, as given. */
  program: string;
  /** The guest's argv (argv[0] is the program path unless -0 says otherwise). */
  argv: string[];
  /** The guest's environment: the host's with -E / -U applied, as NAME=value strings. */
  envp: string[];
  /** -L, TSEMU_LD_PREFIX or QEMU_LD_PREFIX; undefined: the loader looks for a sysroot. */
  ldPrefix: string | undefined;
  stackSize: number;
  cpu: { model: string; props: Record<string, boolean> };
  /** -d items. */
  debug: Set<string>;
  logFile: string | undefined;
  strace: boolean;
  oneInsnPerTb: boolean;
  seed: bigint | undefined;
  /** -r: the release uname(2) reports. */
  uname: string | undefined;
  backend: Backend;
  /** -g: where to wait for gdb (a TCP port, or a Unix socket path). */
  gdb: string | undefined;
}

/** What parsing decided instead of options: text for stdout/stderr and an exit status (-h,
 *  -version, -d help, and every error). */
export class CliExit extends Error {
  constructor(readonly status: number, readonly stdout = '', readonly stderr = '') {
    super(stderr.trim() || stdout.split('\n')[0]);
  }
}

/** Per-arch CPU models (`-cpu help`) and the extension properties `-cpu model,ext=on` takes. */
const CPUS: Record<string, { models: string[]; qomType: string; props: string[] }> = {
  riscv64: {
    models: ['any', 'rv64'],
    qomType: 'rv64-riscv-cpu',
    // The qemu property names of the extensions tsemu knows about.
    // The extensions tsemu implements and can switch off (src/target/riscv/frontend.ts).
    props: ['m', 'a', 'f', 'd', 'c', 'zicsr', 'zifencei', 'zba', 'zbb', 'zbs'],
  },
  arm: {
    models: ['any', 'cortex-a7', 'cortex-a8', 'cortex-a9', 'cortex-a15', 'max'],
    qomType: 'max-arm-cpu',
    props: [],
  },
};

/** -d items: qemu's names for the logs tsemu produces. */
const LOG_ITEMS: [string, string][] = [
  ['out_asm', 'show generated host code (wasm) for each compiled TB'],
  ['in_asm', 'show target assembly code for each compiled TB'],
  ['op', 'show micro ops for each compiled TB'],
  ['op_opt', 'show micro ops after optimization'],
  ['exec', 'show trace before each executed TB (lots of logs)'],
  ['cpu', 'show CPU registers before entering a TB (lots of logs)'],
  ['unimp', 'log unimplemented functionality'],
  ['strace', 'log every user-mode syscall, its input, and its result'],
  ['page', 'dump pages at beginning of user mode emulation'],
  // tsemu's own: qemu has no such item.
  ['helpers', 'count helper calls and guest instructions; at exit, list calls per million instructions'],
];

const BACKENDS: Backend[] = ['interp', 'wasm', 'tiered'];
const DEFAULT_STACK_SIZE = 8 * 1024 * 1024;

interface OptSpec {
  /** Names without the dash; the first is the canonical one (and commander's attribute). */
  names: string[];
  /** Metavariable for options that take a value. */
  arg?: string;
  env?: string;
  help: string;
  /** Parses one occurrence; `prev` is the value so far. */
  parse?: (value: string, prev: unknown, ctx: Ctx) => unknown;
  /** Options that print something and exit. */
  exit?: (ctx: Ctx) => CliExit;
}

interface Ctx {
  progName: string;
  arch: string;
  /** -E / -U operations in command order. */
  envOps: [set: boolean, name: string, value: string][];
}

const TABLE: OptSpec[] = [
  { names: ['h', 'help'], help: 'print this help', exit: (c) => new CliExit(0, usage(c)) },
  { names: ['g'], arg: 'port', env: 'TSEMU_GDB', help: "wait gdb connection to 'port'", parse: (v, _p, c) => parseGdb(v, c) },
  { names: ['L'], arg: 'path', env: 'TSEMU_LD_PREFIX', help: "set the elf interpreter prefix to 'path'" },
  { names: ['s'], arg: 'size', env: 'TSEMU_STACK_SIZE', help: "set the stack size to 'size' bytes", parse: (v, _p, c) => parseSize(v, c) },
  { names: ['cpu'], arg: 'model', env: 'TSEMU_CPU', help: 'select CPU (-cpu help for list)', parse: (v, _p, c) => parseCpu(v, c) },
  { names: ['E'], arg: 'var=value', env: 'TSEMU_SET_ENV', help: 'sets targets environment variable (see below)', parse: (v, _p, c) => envOps(v, true, c) },
  { names: ['U'], arg: 'var', env: 'TSEMU_UNSET_ENV', help: 'unsets targets environment variable (see below)', parse: (v, _p, c) => envOps(v, false, c) },
  { names: ['0'], arg: 'argv0', env: 'TSEMU_ARGV0', help: "forces target process argv[0] to be 'argv0'" },
  { names: ['r'], arg: 'uname', env: 'TSEMU_UNAME', help: "set qemu uname release string to 'uname'" },
  { names: ['d'], arg: 'item[,...]', env: 'TSEMU_LOG', help: "enable logging of specified items (use '-d help' for a list of items)", parse: (v) => parseLog(v) },
  { names: ['D'], arg: 'logfile', env: 'TSEMU_LOG_FILENAME', help: "write logs to 'logfile' (default stderr)" },
  { names: ['one-insn-per-tb', 'singlestep'], env: 'TSEMU_ONE_INSN_PER_TB', help: 'run with one guest instruction per translation block' },
  { names: ['strace'], env: 'TSEMU_STRACE', help: 'log system calls' },
  { names: ['seed'], arg: 'seed', env: 'TSEMU_RAND_SEED', help: 'Seed for pseudo-random number generator', parse: (v, _p, c) => parseSeed(v, c) },
  { names: ['backend'], arg: 'name', env: 'TSEMU_BACKEND', help: 'code generator: interp, wasm or tiered (default)', parse: (v, _p, c) => parseBackend(v, c) },
  { names: ['version'], env: 'TSEMU_VERSION', help: 'display version information and exit', exit: (c) => new CliExit(0, version(c)) },
];

const byName = new Map(TABLE.flatMap((s) => s.names.map((n) => [n, s] as const)));

/** Parses the command line; prints and exits the process when parsing says so. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv, progName: string): Options {
  try {
    return readOptions(argv, env, progName);
  } catch (e) {
    if (!(e instanceof CliExit)) throw e;
    process.stdout.write(e.stdout);
    process.stderr.write(e.stderr);
    process.exit(e.status);
  }
}

/** Parses the command line, throwing CliExit where the process should print and exit. */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv, progName: string): Options {
  const ctx: Ctx = { progName, arch: progName.replace(/^.*?-/, ''), envOps: [] };
  const tokens: string[] = [];
  // Environment first (qemu's order): a set variable is the option given with its value.
  for (const spec of TABLE) {
    const v = spec.env === undefined ? undefined : env[spec.env];
    if (v === undefined || spec.exit) continue;
    tokens.push(`--${spec.names[0]}`, ...(spec.arg ? [v] : []));
  }
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    const word = argv[i].replace(/^--?/, '');
    if (word === '') { i++; break; } // "--" ends the options
    const spec = byName.get(word);
    if (!spec) throw fail(`${ctx.progName}: unknown option '${word}'`);
    if (spec.exit) throw spec.exit(ctx);
    tokens.push(`--${spec.names[0]}`);
    if (spec.arg) {
      if (i + 1 >= argv.length) throw fail(`${ctx.progName}: missing argument for option '${word}'`);
      tokens.push(argv[++i]);
    }
  }
  // Values are checked before the program is looked for: `-cpu help` needs no program. Without
  // options there is nothing to parse, and loading commander would cost a tenth of start-up.
  const values = tokens.length > 0 ? command(ctx).parse(tokens, { from: 'user' }).opts() : {};
  if (i >= argv.length) throw fail(`${ctx.progName}: no user program specified`);
  const [program, ...args] = argv.slice(i);
  return {
    program,
    argv: [(values['0'] as string | undefined) ?? program, ...args],
    envp: guestEnv(env, ctx.envOps),
    ldPrefix: (values.L as string | undefined) ?? env.QEMU_LD_PREFIX,
    stackSize: (values.s as number | undefined) ?? DEFAULT_STACK_SIZE,
    cpu: (values.cpu as Options['cpu'] | undefined) ?? { model: 'any', props: {} },
    debug: (values.d as Set<string> | undefined) ?? new Set(),
    logFile: values.D as string | undefined,
    strace: values.strace === true,
    oneInsnPerTb: values.oneInsnPerTb === true,
    seed: values.seed as bigint | undefined,
    uname: values.r as string | undefined,
    backend: (values.backend as Backend | undefined) ?? 'tiered',
    gdb: values.g as string | undefined,
  };
}

/** Commander over the normalised tokens: every option as `--<canonical name>`. */
function command(ctx: Ctx): Command {
  const { Command, Option } = loadCommander() as typeof import('commander');
  const cmd = new Command()
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .helpOption(false)
    .allowExcessArguments(false);
  for (const spec of TABLE.filter((s) => !s.exit)) {
    const opt = new Option(`--${spec.names[0]}${spec.arg ? ` <${spec.arg}>` : ''}`, spec.help);
    // A CliExit thrown by a parser passes through commander unchanged.
    const parse = spec.parse;
    if (parse) opt.argParser<unknown>((v, prev) => parse(v, prev, ctx));
    cmd.addOption(opt);
  }
  return cmd;
}

const fail = (line: string): CliExit => new CliExit(1, '', `${line}\n`);

/** -s: a decimal or 0x byte count with an optional k/K, M or G suffix (qemu 7.2 knows k and M,
 *  and ignores other trailing characters; tsemu refuses them); anything else prints the usage. */
function parseSize(v: string, ctx: Ctx): number {
  const m = /^(0x[0-9a-fA-F]+|[0-9]+)([kKMG]?)$/.exec(v);
  const n = m ? Number(m[1]) : 0;
  if (!m || n === 0) throw new CliExit(1, usage(ctx));
  return n * ({ '': 1, k: 1024, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[m[2]];
}

/** -cpu model[,prop=value...] (qemu's -cpu syntax); "help" lists the models. */
function parseCpu(v: string, ctx: Ctx): Options['cpu'] {
  const cpus = CPUS[ctx.arch] ?? { models: ['any'], qomType: `${ctx.arch}-cpu`, props: [] };
  const [model, ...props] = v.split(',');
  if (model === 'help' || model === '?') throw new CliExit(1, cpus.models.map((m) => `${m}\n`).join(''));
  if (!cpus.models.includes(model)) throw fail(`${ctx.progName}: unable to find CPU model '${model}'`);
  const out: Record<string, boolean> = {};
  for (const p of props) {
    const eq = p.indexOf('=');
    if (eq < 0) throw fail(`${ctx.progName}: Expected key=value format, found ${p}.`);
    const [key, value] = [p.slice(0, eq), p.slice(eq + 1)];
    if (!cpus.props.includes(key)) {
      const q = `${cpus.qomType}.${key}`;
      throw fail(`${ctx.progName}: can't apply global ${q}=${value}: Property '${q}' not found`);
    }
    const on = ({ on: true, true: true, yes: true, off: false, false: false, no: false } as Record<string, boolean>)[value];
    if (on === undefined) {
      throw fail(`${ctx.progName}: can't apply global ${cpus.qomType}.${key}=${value}: Parameter '${key}' expects 'on' or 'off'`);
    }
    out[key] = on;
  }
  return { model, props: out };
}

/** -d item[,item...]; "help" or an unknown item prints the list and exits 1, as qemu does. */
function parseLog(v: string): Set<string> {
  const items = v.split(',');
  if (items.some((it) => !LOG_ITEMS.some(([name]) => name === it))) {
    throw new CliExit(1, `Log items (comma separated):\n${LOG_ITEMS.map(([n, h]) => `${n.padEnd(15)} ${h}\n`).join('')}`);
  }
  return new Set(items);
}

/** -E a=1,b=2 / -U a,b: comma-separated lists (getsubopt style), kept in command order. */
function envOps(v: string, set: boolean, ctx: Ctx): undefined {
  for (const item of v.split(',')) {
    const eq = item.indexOf('=');
    if (set) ctx.envOps.push(eq < 0 ? [true, item, ''] : [true, item.slice(0, eq), item.slice(eq + 1)]);
    else ctx.envOps.push([false, item, '']);
  }
  return undefined;
}

function parseSeed(v: string, ctx: Ctx): bigint {
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(v) || BigInt(v) >= 2n ** 64n) {
    throw fail(`${ctx.progName}: cannot initialize crypto: Invalid seed number: ${v}`);
  }
  return BigInt(v);
}

function parseBackend(v: string, ctx: Ctx): Backend {
  if (!(BACKENDS as string[]).includes(v)) throw fail(`${ctx.progName}: unknown backend '${v}' (interp, wasm or tiered)`);
  return v as Backend;
}

/** -g: a port number or a socket path, as qemu takes them; its message for anything else. */
function parseGdb(v: string, ctx: Ctx): string {
  if (!gdbAddress(v)) throw fail(`${ctx.progName}: could not open gdbserver on ${v}`);
  return v;
}

/** The host environment with the -E / -U operations applied in order. */
function guestEnv(host: NodeJS.ProcessEnv, ops: Ctx['envOps']): string[] {
  const env = new Map(Object.entries(host).filter((e): e is [string, string] => e[1] !== undefined));
  for (const [set, name, value] of ops) {
    if (set) env.set(name, value);
    else env.delete(name);
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** qemu's -h text, generated from the table. */
function usage(ctx: Ctx): string {
  const rows = TABLE.flatMap((s) => s.names.map((n, i) => [
    `-${n}${s.arg ? ` ${s.arg}` : ''}`, i === 0 ? s.env ?? '' : '', i === 0 ? s.help : `alias of -${s.names[0]}`,
  ]));
  const [wa, we] = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length), 12));
  const row = (a: string, e: string, h: string): string => `${a.padEnd(wa)} ${e.padEnd(we)} ${h}`.trimEnd();
  return [
    `usage: ${ctx.progName} [options] program [arguments...]`,
    `Linux CPU emulator (compiled for ${ctx.arch} emulation)`,
    '',
    'Options and associated environment variables:',
    '',
    row('Argument', 'Env-variable', 'Description'),
    ...rows.map(([a, e, h]) => row(a, e, h)),
    '',
    'Defaults:',
    `TSEMU_LD_PREFIX  = /etc/qemu-binfmt/${ctx.arch}`,
    `TSEMU_STACK_SIZE = ${DEFAULT_STACK_SIZE} byte`,
    `TSEMU_BACKEND    = tiered`,
    '',
    'You can use -E and -U options or the TSEMU_SET_ENV and',
    'TSEMU_UNSET_ENV environment variables to set and unset',
    'environment variables for the target process.',
    'It is possible to provide several variables by separating them',
    'by commas in getsubopt(3) style. Additionally it is possible to',
    'provide the -E and -U options multiple times.',
    '',
  ].join('\n');
}

function version(ctx: Ctx): string {
  return `${ctx.progName} version ${packageVersion()}\nCopyright (c) 2026 the tsemu authors (MIT license)\n`;
}

/** The version in tsemu's package.json, found upwards from this file (src/ or dist/src/). */
export function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tsemu') return pkg.version ?? '0';
    } catch {
      // not here: keep looking upwards
    }
  }
  return 'unknown';
}
