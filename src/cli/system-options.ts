// The command line of tsemu-system-riscv64: a subset of qemu-system-riscv64's (qemu 7.2 `-h`),
// as a table. Options are single-dash words (a double dash works too), each with at most one
// argument; there are no positional arguments. Options qemu has that tsemu does not implement
// yet are refused by name with a message, not ignored.
import type { ListenOptions } from 'node:net';
import { CliExit, packageVersion } from './options.js';
import { MAX_HARTS } from '../system/virt-machine.js';

export interface SystemOptions {
  machine: 'virt';
  /** Guest RAM in bytes. */
  ramSize: number;
  /** undefined for -bios none; a firmware file, or 'default'. */
  bios: string | undefined;
  kernel: string | undefined;
  /** The kernel's command line (the device tree's /chosen bootargs). */
  append: string | undefined;
  initrd: string | undefined;
  /** The devices on the virtio-mmio transports, in the order given. */
  virtio: VirtioOption[];
  debug: Set<string>;
  logFile: string | undefined;
  /** tsemu's own -backend, as in user mode. */
  backend: 'interp' | 'wasm' | 'tiered';
  /** Where the gdbstub listens (-s, -gdb), if it does. */
  gdb: ListenOptions | undefined;
  /** -S: the hart waits for the debugger's continue before its first instruction. */
  frozen: boolean;
  /** Where the monitor is: on the console (Ctrl-A c, qemu's default with -nographic), nowhere
   *  (-monitor none), or on a listening socket. */
  monitor: MonitorOption;
  /** -smp: how many harts. */
  harts: number;
}

export type MonitorOption = { kind: 'console' } | { kind: 'none' } | MonitorSocket;
export interface MonitorSocket {
  kind: 'socket';
  listen: ListenOptions;
  /** qemu's server's `wait` (its default): the machine starts once a client has connected. */
  wait: boolean;
  /** The -monitor argument, for messages. */
  spec: string;
}

/** The monitor's banner in qemu's form ("QEMU 7.2.0 monitor - type 'help' for more
 *  information"), with tsemu's name and version: nothing parses it, the prompt is qemu's. */
export const monitorBanner = (): string => `tsemu ${packageVersion()} monitor - type 'help' for more information`;

/** A socket address in qemu's chardev syntax: tcp::PORT or tcp:HOST:PORT (the loopback when
 *  HOST is empty, where qemu listens on every address), or unix:PATH; undefined if not one. */
function socketAddress(spec: string): ListenOptions | undefined {
  const tcp = /^tcp:([^:]*):(\d+)$/.exec(spec);
  if (tcp && Number(tcp[2]) <= 0xffff) return { host: tcp[1] || '127.0.0.1', port: Number(tcp[2]) };
  const unix = /^unix:([^,]+)$/.exec(spec);
  return unix ? { path: unix[1] } : undefined;
}

/** qemu's -gdb device: a socket address (socketAddress). */
function gdbDevice(spec: string): ListenOptions {
  const where = socketAddress(spec);
  if (!where) throw fail(`-gdb ${spec}: only tcp:[HOST]:PORT and unix:PATH are implemented`);
  return where;
}

/** -monitor: none (or null), stdio (which the console holds: qemu's failure, after the banner
 *  qemu prints first), or a listening socket, `ADDRESS,server[,nowait]` (also server=on,
 *  wait=off). */
function monitorDevice(spec: string): MonitorOption {
  if (spec === 'none' || spec === 'null') return { kind: 'none' };
  if (spec === 'stdio') {
    throw new CliExit(1, `${monitorBanner()}\r\n(qemu) `, `${SYSTEM_PROG}: cannot use stdio by multiple character devices\n${SYSTEM_PROG}: could not connect serial device to character backend 'stdio'\n`);
  }
  const [address, ...flags] = spec.split(',');
  const listen = socketAddress(address);
  let server = false, wait = true;
  for (const flag of flags) {
    const [key, value = 'on'] = flag.split('=');
    if (!['on', 'off'].includes(value)) throw fail(`-monitor ${spec}: Parameter '${key}' expects 'on' or 'off'`);
    if (key === 'server') server = value === 'on';
    else if (key === 'wait' || key === 'nowait') wait = (key === 'wait') === (value === 'on');
    else throw fail(`-monitor ${spec}: '${key}' is not implemented`);
  }
  if (!listen || !server) throw fail(`-monitor ${spec}: only none, stdio, unix:PATH,server[,nowait] and tcp:[HOST]:PORT,server[,nowait] are implemented`);
  return { kind: 'socket', listen, wait, spec };
}

export interface DriveOption {
  file: string;
  readOnly: boolean;
  /** The -drive argument as given, for messages. */
  spec: string;
}

/** A device on a virtio-mmio transport: a block device on a disk image, or an entropy device
 *  reading `file` (undefined: the host's random generator, qemu's rng-builtin). */
export type VirtioOption = { kind: 'blk'; drive: DriveOption } | RngOption;
interface RngOption {
  kind: 'rng';
  file: string | undefined;
}

/** A -drive seen but not yet on a device (if=none, for a -device to name by id). */
interface PendingDrive extends DriveOption {
  id: string | undefined;
  attached: boolean;
}

export const SYSTEM_PROG = 'tsemu-system-riscv64';
const MIB = 1024 * 1024;
/** qemu virt's default RAM. */
const DEFAULT_RAM = 128 * MIB;

/** The -d items system mode logs. */
export const SYSTEM_LOG_ITEMS: [string, string][] = [
  ['in_asm', 'show target assembly code for each compiled TB'],
  ['op', 'show micro ops for each compiled TB (after the softmmu lowering)'],
  ['out_asm', 'show generated host code (wasm) for each compiled TB (-backend wasm or tiered)'],
  ['int', 'show interrupts/exceptions in short format'],
  ['cpu', 'show CPU registers before entering a TB'],
  ['mmu', 'log MMU-related activities (TLB fills: the page walks)'],
];

interface Opt {
  names: string[];
  arg?: string;
  help: string;
  apply: (o: SystemOptions, v: string, maxRam: number) => void;
}

const fail = (msg: string): CliExit => new CliExit(1, '', `${SYSTEM_PROG}: ${msg}\n`);
const notYet = (name: string) => (): void => { throw fail(`-${name}: not implemented yet`); };

/** qemu's size syntax for -m: a number of MiB, or with a suffix (K, M, G, T); `size=` may lead. */
function parseRam(text: string, maxRam: number): number {
  const m = /^(?:size=)?(\d+(?:\.\d+)?)([kmgt]?)(?:i?b)?$/i.exec(text);
  if (!m) throw fail(`Parameter 'size' expects a non-negative number below 2^64`);
  const unit = { '': MIB, k: 1024, m: MIB, g: 1024 * MIB, t: 1024 * 1024 * MIB }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const bytes = Math.floor(Number(m[1]) * unit);
  if (bytes % 4096 !== 0 || bytes === 0) throw fail(`-m ${text}: RAM size must be a non-zero multiple of 4 KiB`);
  if (bytes > maxRam) throw fail(`-m ${text}: at most ${maxRam / MIB} MiB of RAM is supported`);
  return bytes;
}

/** qemu's `key=value,...` option syntax (a ",," is a comma inside a value). */
function keyValues(text: string, what: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of text.split(/,(?!,)/)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw fail(`${what}: '${part}' is not key=value`);
    m.set(part.slice(0, eq), part.slice(eq + 1).replace(/,,/g, ','));
  }
  return m;
}

const pendingDrives = new WeakMap<SystemOptions, PendingDrive[]>();

/** -drive: a raw image on a virtio block device (if=virtio; qemu's virt puts that on PCI,
 *  tsemu on virtio-mmio), or held for a -device virtio-blk-device,drive=id (if=none). */
function addDrive(o: SystemOptions, text: string): void {
  const kv = keyValues(text, '-drive');
  const file = kv.get('file');
  if (!file) throw fail(`-drive ${text}: a file= is required`);
  const format = kv.get('format') ?? 'raw';
  if (format !== 'raw') throw fail(`-drive ${text}: format '${format}' is not supported (only raw)`);
  const iface = kv.get('if') ?? 'virtio';
  if (iface !== 'virtio' && iface !== 'none') throw fail(`-drive ${text}: if=${iface} is not supported (virtio or none)`);
  const ro = kv.get('readonly') ?? 'off';
  if (!['on', 'off'].includes(ro)) throw fail(`-drive ${text}: readonly=${ro}: expected on or off`);
  for (const k of kv.keys()) if (!['file', 'format', 'if', 'id', 'readonly'].includes(k)) throw fail(`-drive ${text}: '${k}' is not implemented`);
  const drive: PendingDrive = { file, readOnly: ro === 'on', spec: text, id: kv.get('id'), attached: iface === 'virtio' };
  const pending = pendingDrives.get(o) ?? [];
  pendingDrives.set(o, [...pending, drive]);
  if (drive.attached) o.virtio.push({ kind: 'blk', drive: { file, readOnly: drive.readOnly, spec: text } });
}

/** The -object rng-random/rng-builtin entropy sources by id: a file to read, or undefined for
 *  the host's generator. */
const rngObjects = new WeakMap<SystemOptions, Map<string, string | undefined>>();
/** -device virtio-rng-device,rng=id awaiting its -object (qemu creates objects first, so it may
 *  come later on the command line). */
const pendingRngs = new WeakMap<SystemOptions, { device: RngOption; id: string; spec: string }[]>();

/** -object: an entropy source for virtio-rng-device (rng-random reads a file, /dev/urandom by
 *  default as qemu's; rng-builtin is the host's generator). */
function addObject(o: SystemOptions, text: string): void {
  const [type, ...rest] = text.split(',');
  if (type !== 'rng-random' && type !== 'rng-builtin') throw fail(`-object ${type}: only rng-random and rng-builtin are implemented`);
  const kv = keyValues(rest.join(','), '-object');
  const id = kv.get('id');
  if (!id) throw fail(`-object ${text}: Parameter 'id' is missing`);
  for (const k of kv.keys()) if (!['id', ...(type === 'rng-random' ? ['filename'] : [])].includes(k)) throw fail(`-object ${text}: '${k}' is not implemented`);
  const objects = rngObjects.get(o) ?? new Map<string, string | undefined>();
  rngObjects.set(o, objects);
  if (objects.has(id)) throw fail(`-object ${text}: Duplicate ID '${id}' for object`);
  objects.set(id, type === 'rng-random' ? kv.get('filename') ?? '/dev/urandom' : undefined);
}

/** -device: virtio-blk-device with a drive=id, or virtio-rng-device (rng=id optional), on the
 *  next virtio-mmio transport. */
function addDevice(o: SystemOptions, text: string): void {
  const [type, ...rest] = text.split(',');
  if (type !== 'virtio-blk-device' && type !== 'virtio-rng-device') throw fail(`-device ${type}: only virtio-blk-device and virtio-rng-device are implemented`);
  const kv = rest.length ? keyValues(rest.join(','), '-device') : new Map<string, string>();
  if (type === 'virtio-rng-device') {
    for (const k of kv.keys()) if (k !== 'rng') throw fail(`-device ${text}: '${k}' is not implemented`);
    const device: RngOption = { kind: 'rng', file: undefined };
    o.virtio.push(device);
    const id = kv.get('rng');
    if (id !== undefined) pendingRngs.set(o, [...(pendingRngs.get(o) ?? []), { device, id, spec: text }]);
    return;
  }
  const id = kv.get('drive');
  const drive = pendingDrives.get(o)?.find((d) => d.id === id);
  if (!drive) throw fail(`-device ${text}: Property 'virtio-blk-device.drive' can't find value '${id ?? ''}'`);
  if (drive.attached) throw fail(`-device ${text}: drive '${id}' is already in use`);
  drive.attached = true;
  o.virtio.push({ kind: 'blk', drive: { file: drive.file, readOnly: drive.readOnly, spec: drive.spec } });
}

/** Gives each virtio-rng-device its -object's source, once every -object is known. */
function resolveRngs(o: SystemOptions): void {
  const objects = rngObjects.get(o);
  for (const { device, id, spec } of pendingRngs.get(o) ?? []) {
    if (!objects?.has(id)) throw fail(`-device ${spec}: Device '${id}' not found`);
    device.file = objects.get(id);
  }
}

const OPTIONS: Opt[] = [
  { names: ['M', 'machine'], arg: 'virt', help: 'select the emulated machine (only virt)', apply: (o, v) => {
    if (v === 'help') throw new CliExit(0, 'Supported machines are:\nvirt                 RISC-V VirtIO board\n');
    if (v !== 'virt' && !v.startsWith('virt,') && !/^type=virt(,|$)/.test(v)) throw fail(`unsupported machine type '${v}' (use -machine help to list supported machines)`);
    if (v.includes(',')) throw fail(`-machine ${v}: machine properties are not implemented yet`);
  } },
  { names: ['m'], arg: 'size', help: 'RAM size (default 128M)', apply: (o, v, max) => { o.ramSize = parseRam(v, max); } },
  { names: ['bios'], arg: 'file', help: "firmware at 0x80000000 (-kernel then goes at 0x80200000); 'none' runs -kernel in M-mode; 'default' (the default) OpenSBI's fw_dynamic", apply: (o, v) => {
    o.bios = v === 'none' ? undefined : v;
  } },
  { names: ['kernel'], arg: 'file', help: 'the kernel: an ELF (loaded at its physical addresses) or a raw image', apply: (o, v) => { o.kernel = v; } },
  { names: ['append'], arg: 'cmdline', help: "the kernel's command line (/chosen bootargs in the device tree)", apply: (o, v) => { o.append = v; } },
  { names: ['initrd'], arg: 'file', help: 'an initial ram disk, loaded after the kernel (/chosen linux,initrd-start/end)', apply: (o, v) => { o.initrd = v; } },
  { names: ['drive'], arg: 'file=f,format=raw,if=virtio|none[,id=x][,readonly=on]', help: 'a raw disk image on a virtio-mmio block device (if=none: for a -device)', apply: (o, v) => addDrive(o, v) },
  { names: ['device'], arg: 'virtio-blk-device,drive=x | virtio-rng-device[,rng=x]', help: 'the -drive with id x on a virtio-mmio block device, or an entropy device (reading the -object with id x)', apply: (o, v) => addDevice(o, v) },
  { names: ['object'], arg: 'rng-random,id=x[,filename=f] | rng-builtin,id=x', help: "an entropy source for virtio-rng-device: a file (/dev/urandom by default), or the host's generator", apply: (o, v) => addObject(o, v) },
  { names: ['nographic'], help: 'no graphics: the UART is on stdout (the only mode there is)', apply: () => {} },
  { names: ['smp'], arg: '[cpus=]n', help: `number of harts, 1 to ${MAX_HARTS}; they take turns in one thread (as qemu's -accel tcg,thread=single)`, apply: (o, v) => {
    const m = /^(?:cpus=)?(\d+)$/.exec(v);
    if (!m) throw fail(`-smp ${v}: only -smp N and -smp cpus=N are implemented`);
    // 0 leaves the count to qemu's default topology: one hart.
    const n = Number(m[1]) || 1;
    if (n > MAX_HARTS) throw fail(`Invalid SMP CPUs ${n}. The max CPUs supported by machine 'virt' is ${MAX_HARTS} in tsemu`);
    o.harts = n;
  } },
  { names: ['d'], arg: 'item[,...]', help: 'enable logging of the given items (-d help lists them)', apply: (o, v) => {
    if (v === 'help') throw new CliExit(0, `Log items (comma separated):\n${SYSTEM_LOG_ITEMS.map(([n, h]) => `${n.padEnd(10)} ${h}`).join('\n')}\n`);
    for (const item of v.split(',')) {
      if (!SYSTEM_LOG_ITEMS.some(([n]) => n === item)) throw fail(`-d ${v}: unknown log item '${item}' (-d help lists them)`);
      o.debug.add(item);
    }
  } },
  { names: ['backend'], arg: 'name', help: 'code generator: interp, wasm (every block) or tiered (hot blocks, the default)', apply: (o, v) => {
    if (v !== 'interp' && v !== 'wasm' && v !== 'tiered') throw fail(`unknown backend '${v}' (interp, wasm or tiered)`);
    o.backend = v;
  } },
  { names: ['D'], arg: 'logfile', help: 'write the -d log to logfile instead of stderr', apply: (o, v) => { o.logFile = v; } },
  { names: ['gdb'], arg: 'dev', help: 'wait for a gdb connection on dev (tcp::PORT, tcp:HOST:PORT, unix:PATH)', apply: (o, v) => { o.gdb = gdbDevice(v); } },
  { names: ['s'], help: 'shorthand for -gdb tcp::1234', apply: (o) => { o.gdb = gdbDevice('tcp::1234'); } },
  { names: ['S'], help: 'freeze the harts at start up (until the debugger continues)', apply: (o) => { o.frozen = true; } },
  { names: ['monitor'], arg: 'dev', help: "the monitor on dev: none, or a socket (unix:PATH,server,nowait, tcp:[HOST]:PORT,server,nowait); by default on the console (Ctrl-A c)", apply: (o, v) => { o.monitor = monitorDevice(v); } },
  ...['serial', 'dtb', 'netdev'].map((n): Opt => ({ names: [n], arg: 'arg', help: 'not implemented yet', apply: notYet(n) })),
];

function usage(): string {
  const lines = OPTIONS.map((o) => `${o.names.map((n) => `-${n}`).join(', ')}${o.arg ? ` ${o.arg}` : ''}`.padEnd(26) + o.help);
  return `usage: ${SYSTEM_PROG} [options]\n\n${lines.join('\n')}\n-h, -help                 print this help\n-version                  display version information and exit\n`;
}

export function parseSystemOptions(argv: string[], maxRam: number): SystemOptions {
  const o: SystemOptions = { machine: 'virt', ramSize: DEFAULT_RAM, bios: 'default', kernel: undefined, append: undefined, initrd: undefined, virtio: [], debug: new Set(), logFile: undefined, backend: 'tiered', gdb: undefined, frozen: false, monitor: { kind: 'console' }, harts: 1 };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    const name = word.replace(/^--?/, '');
    if (!word.startsWith('-') || name === '') throw fail(`${word}: invalid option`);
    if (name === 'h' || name === 'help') throw new CliExit(0, usage());
    if (name === 'version') throw new CliExit(0, `${SYSTEM_PROG} version ${packageVersion()}\nCopyright (c) 2026 the tsemu authors (MIT license)\n`);
    const opt = OPTIONS.find((x) => x.names.includes(name));
    if (!opt) throw fail(`${word}: invalid option`);
    if (opt.arg === undefined) {
      opt.apply(o, '', maxRam);
      continue;
    }
    if (i + 1 >= argv.length) throw fail(`${word}: requires an argument`);
    opt.apply(o, argv[++i], maxRam);
  }
  resolveRngs(o);
  if (!o.kernel && !o.bios) throw fail('-bios none needs a -kernel to run');
  if (!o.kernel && (o.append !== undefined || o.initrd !== undefined)) throw fail(`-${o.initrd !== undefined ? 'initrd' : 'append'} only allowed with -kernel option`);
  // qemu would wait for the monitor's cont, which tsemu's monitor does not have.
  if (o.frozen && !o.gdb) throw fail('-S: nothing could start the hart without -s or -gdb (the monitor has no cont)');
  return o;
}
