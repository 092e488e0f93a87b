// One gdb connection: the packets of the remote protocol (gdb manual, "Packets", "General Query
// Packets", "Stop Reply Packets") answered over a DebugTarget, in all-stop mode: a stop stops
// every thread (vCPU), and the register and memory packets are about the thread gdb selected.
import { WatchAccess } from '../tcg/exec-debug.js';
import type { DebugTarget, StopEvent } from './debug-target.js';
import { GDB_SIGTRAP } from './gdb-signals.js';
import { numberedRegisters, parseRegisterHex, readRegister, registerHex, targetXml, writeRegister } from './registers.js';
import { MAX_PACKET, PacketReader, framePacket, unescapeBinary } from './rsp-framing.js';

/** Error replies: EFAULT for memory (as qemu answers), EINVAL for a malformed request. */
const E_FAULT = 'E14';
const E_INVALID = 'E16';
/** The most bytes one 'm' answers (two hex digits each in a packet). */
const MAX_READ = MAX_PACKET / 2 - 16;
/** Z/z types: software and hardware breakpoints, then write, read and access watchpoints. */
const WATCH_TYPES: Record<string, WatchAccess> = { 2: WatchAccess.Write, 3: WatchAccess.Read, 4: WatchAccess.Access };

const hex = (n: number): string => n.toString(16);
const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** Parses a hex number of at most 16 digits (an address or length), else NaN. 64-bit values
 *  with the top bit set come out negative, as system mode keeps upper-half addresses (exact
 *  within +-2^53, where every canonical Sv39/Sv48 address is). */
function parseHex(s: string | undefined): number {
  return s !== undefined && /^[0-9a-fA-F]{1,16}$/.test(s) ? Number(BigInt.asIntN(64, BigInt(`0x${s}`))) : NaN;
}

/** addr,len (of m, M, X and Z packets); NaN fields for malformed ones. */
function addrLen(s: string): [number, number] {
  const [a, l] = s.split(',');
  return [parseHex(a), parseHex(l)];
}

type Handler = (s: GdbSession, args: string) => string | undefined;

/** Packets by their longest matching prefix: the answer ('' for unsupported), or undefined when
 *  the answer comes later (a stop reply). */
const HANDLERS: [prefix: string, handler: Handler][] = [
  ['qSupported', (s, a) => s.supported(a)],
  ['QStartNoAckMode', (s) => s.startNoAck()],
  ['qXfer:features:read:', (s, a) => s.readFeatures(a)],
  // A process the stub started: gdb kills it when it quits (qemu-user answers the same).
  ['qAttached', () => '0'],
  ['qC', (s) => `QC${s.threadId()}`],
  ['qfThreadInfo', (s) => `m${s.target.threadIds.map((t) => s.threadId(t)).join(',')}`],
  ['qsThreadInfo', () => 'l'],
  ['qThreadExtraInfo,', (s, a) => s.threadExtraInfo(a)],
  ['qSymbol', () => 'OK'],
  ['vMustReplyEmpty', () => ''],
  ['vCont?', () => 'vCont;c;C;s;S'],
  ['vCont;', (s, a) => s.vCont(a)],
  ['vKill', (s) => s.kill('OK')],
  ['?', (s) => s.stopReply()],
  ['g', (s) => s.readAllRegisters()],
  ['G', (s, a) => s.writeAllRegisters(a)],
  ['p', (s, a) => s.readOneRegister(a)],
  ['P', (s, a) => s.writeOneRegister(a)],
  ['m', (s, a) => s.readMemory(a)],
  ['M', (s, a) => s.writeMemory(a, false)],
  ['X', (s, a) => s.writeMemory(a, true)],
  ['c', (s, a) => s.resume(false, 0, a)],
  ['C', (s, a) => s.resumeWithSignal(false, a)],
  ['s', (s, a) => s.resume(true, 0, a)],
  ['S', (s, a) => s.resumeWithSignal(true, a)],
  ['Z', (s, a) => s.point(a, true)],
  ['z', (s, a) => s.point(a, false)],
  ['Hg', (s, a) => s.select(a)],
  // The thread c and s would apply to: vCont names them itself.
  ['H', () => 'OK'],
  ['T', (s, a) => (s.threadOf(a) !== undefined ? 'OK' : 'E01')],
  ['D', (s) => s.detach()],
  ['k', (s) => s.kill()],
];

export class GdbSession {
  private readonly reader: PacketReader;
  private readonly regs;
  /** The last stop, for '?'. */
  private lastStop: StopEvent = { kind: 'signal', signal: GDB_SIGTRAP };
  /** gdb waits for a stop reply (after c, s or vCont). */
  private running = false;
  /** gdb's multiprocess extension: thread ids are p<pid>.<tid>. */
  private multiprocess = false;

  constructor(readonly target: DebugTarget, private readonly write: (bytes: string) => void, private readonly close: () => void) {
    this.reader = new PacketReader(write);
    this.regs = numberedRegisters(target.arch);
  }

  /** Bytes from gdb. */
  receive(chunk: Buffer): void {
    for (const ev of this.reader.feed(chunk)) {
      if (ev.kind === 'interrupt') {
        if (this.running) this.target.interrupt();
        continue;
      }
      const reply = this.dispatch(ev.payload);
      if (reply !== undefined) this.send(reply, ev.payload.startsWith('qXfer'));
    }
  }

  /** The target stopped (or ended): gdb hears of it now if it waits for it. */
  stopped(e: StopEvent): void {
    this.lastStop = e;
    if (!this.running) return;
    this.running = false;
    this.send(this.stopReply());
    if (e.kind !== 'signal') this.close();
  }

  private send(payload: string, binary = false): void {
    this.write(framePacket(payload, binary));
  }

  private dispatch(payload: string): string | undefined {
    let best: [string, Handler] | undefined;
    for (const h of HANDLERS) if (payload.startsWith(h[0]) && (!best || h[0].length > best[0].length)) best = h;
    return best ? best[1](this, payload.slice(best[0].length)) : '';
  }

  supported(features: string): string {
    this.multiprocess = features.split(/[:;]/).includes('multiprocess+');
    return `PacketSize=${hex(MAX_PACKET)};qXfer:features:read+;QStartNoAckMode+;vContSupported+${this.multiprocess ? ';multiprocess+' : ''}`;
  }

  /** A thread's id as gdb writes it (the current thread's by default). */
  threadId(tid = this.target.threadId): string {
    return this.multiprocess ? `p${hex(this.target.processId)}.${hex(tid)}` : hex(tid);
  }

  /** The thread a packet's thread-id names: one of ours, 'all' (-1) or 'any' (0, or no thread
   *  part), or undefined when it names none of ours. */
  threadOf(id: string): number | 'all' | 'any' | undefined {
    const m = /^(?:p(-1|[0-9a-fA-F]+)(?:\.(-1|[0-9a-fA-F]+))?|(-1|[0-9a-fA-F]+))$/.exec(id);
    if (!m) return undefined;
    const pid = m[1], tid = m[2] ?? m[3];
    if (pid !== undefined && pid !== '-1' && pid !== '0' && parseHex(pid) !== this.target.processId) return undefined;
    if (tid === '-1') return 'all';
    if (tid === undefined || tid === '0') return 'any';
    const n = parseHex(tid);
    return this.target.threadIds.includes(n) ? n : undefined;
  }

  /** qThreadExtraInfo: what `info threads` shows beside a thread, in qemu's words. */
  threadExtraInfo(id: string): string {
    const t = this.threadOf(id);
    if (typeof t !== 'number') return E_INVALID;
    const { cpuIndex, halted } = this.target.threadState(t);
    return Buffer.from(`CPU#${cpuIndex} [${halted ? 'halted ' : 'running'}]`).toString('hex');
  }

  /** Hg: the thread the register and memory packets are about. */
  select(id: string): string {
    const t = this.threadOf(id);
    if (t === undefined) return 'E22';
    if (typeof t === 'number') this.target.threadId = t;
    return 'OK';
  }

  /** k and vKill (whose OK goes out first): the guest ends. */
  kill(reply?: string): never {
    if (reply !== undefined) this.send(reply);
    return this.target.kill();
  }

  startNoAck(): string {
    // The OK itself is still acknowledged; everything after it is not.
    queueMicrotask(() => { this.reader.noAck = true; });
    return 'OK';
  }

  stopReply(): string {
    const e = this.lastStop;
    if (e.kind === 'exited') return `W${hex2(e.status & 0xff)}`;
    if (e.kind === 'killed') return `X${hex2(e.signal)}`;
    const watch = e.watch ? `${e.watch.type}:${hex(e.watch.addr)};` : '';
    return `T${hex2(e.signal)}${watch}thread:${this.threadId()};`;
  }

  readFeatures(args: string): string {
    const m = /^([^:]*):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(args);
    if (!m) return E_INVALID;
    if (m[1] !== 'target.xml') return 'E00';
    const xml = targetXml(this.target.arch);
    const off = parseHex(m[2]), len = Math.min(parseHex(m[3]), MAX_READ);
    const part = xml.slice(off, off + len);
    return (off + len >= xml.length ? 'l' : 'm') + part;
  }

  readAllRegisters(): string {
    const { view, env } = this.target.registers;
    return this.regs.map(({ reg }) => registerHex(reg, readRegister(reg, view, env))).join('');
  }

  writeAllRegisters(data: string): string {
    const { view, env } = this.target.registers;
    const values: bigint[] = [];
    let at = 0;
    for (const { reg } of this.regs) {
      const v = parseRegisterHex(reg, data.slice(at, at + reg.bits / 4));
      if (v === undefined) return E_INVALID;
      values.push(v);
      at += reg.bits / 4;
    }
    this.regs.forEach(({ reg }, i) => writeRegister(reg, view, env, values[i]));
    return 'OK';
  }

  readOneRegister(args: string): string {
    const r = this.regs.find((x) => x.num === parseHex(args));
    if (!r) return 'E00';
    const { view, env } = this.target.registers;
    return registerHex(r.reg, readRegister(r.reg, view, env));
  }

  writeOneRegister(args: string): string {
    const [n, value] = args.split('=');
    const r = this.regs.find((x) => x.num === parseHex(n));
    const v = r && parseRegisterHex(r.reg, value ?? '');
    if (!r || v === undefined) return 'E00';
    const { view, env } = this.target.registers;
    writeRegister(r.reg, view, env, v);
    return 'OK';
  }

  readMemory(args: string): string {
    const [addr, len] = addrLen(args);
    if (Number.isNaN(addr) || Number.isNaN(len)) return E_INVALID;
    const bytes = this.target.readMemory(addr, Math.min(len, MAX_READ));
    return bytes ? Buffer.from(bytes).toString('hex') : E_FAULT;
  }

  writeMemory(args: string, binary: boolean): string {
    const colon = args.indexOf(':');
    const [addr, len] = addrLen(args.slice(0, colon < 0 ? args.length : colon));
    const data = args.slice(colon + 1);
    if (colon < 0 || Number.isNaN(addr) || Number.isNaN(len)) return E_INVALID;
    if (!binary && !/^([0-9a-fA-F]{2})*$/.test(data)) return E_INVALID;
    const bytes = binary ? unescapeBinary(data) : Buffer.from(data, 'hex');
    if (bytes.length !== len) return E_INVALID;
    return this.target.writeMemory(addr, bytes) ? 'OK' : E_FAULT;
  }

  /** Z/z type,addr,kind: kind is the breakpoint's instruction size or the watched length. */
  point(args: string, on: boolean): string {
    const [type, rest] = [args.slice(0, args.indexOf(',')), args.slice(args.indexOf(',') + 1)];
    const [addr, kind] = addrLen(rest.split(';')[0]);
    if (Number.isNaN(addr) || Number.isNaN(kind)) return E_INVALID;
    if (type === '0' || type === '1') {
      this.target.breakpoint(addr, on);
      return 'OK';
    }
    const access = WATCH_TYPES[type];
    if (access === undefined) return '';
    if (kind === 0 || kind > MAX_READ) return E_INVALID;
    return this.target.watchpoint({ addr, len: kind, access }, on) ? 'OK' : E_FAULT;
  }

  /** c/s [addr]: go on, from addr when given. */
  resume(step: boolean, signal: number, addrArg: string): string | undefined {
    if (addrArg !== '') {
      const addr = parseHex(addrArg);
      if (Number.isNaN(addr)) return E_INVALID;
      const pc = this.regs.find((r) => r.reg.name === 'pc')!.reg;
      writeRegister(pc, this.target.registers.view, this.target.registers.env, BigInt(addr));
    }
    this.running = true;
    this.target.resume(step, signal);
    return undefined;
  }

  /** C/S sig[;addr]. */
  resumeWithSignal(step: boolean, args: string): string | undefined {
    const [sig, addr] = args.split(';');
    const signal = parseHex(sig);
    return Number.isNaN(signal) ? E_INVALID : this.resume(step, signal, addr ?? '');
  }

  /** vCont;action[:thread];...: the first action for one of our threads (which becomes the
   *  current one) or for all applies; the others go on with it (all-stop). */
  vCont(args: string): string | undefined {
    for (const part of args.split(';')) {
      const [action, thread] = part.split(':');
      const t = thread === undefined ? 'all' : this.threadOf(thread);
      if (t === undefined) continue;
      if (typeof t === 'number') this.target.threadId = t;
      const letter = action[0];
      const signal = letter === 'C' || letter === 'S' ? parseHex(action.slice(1)) : 0;
      if (Number.isNaN(signal) || !'cCsS'.includes(letter ?? '')) return E_INVALID;
      return this.resume(letter === 's' || letter === 'S', signal, '');
    }
    return E_INVALID;
  }

  detach(): string {
    queueMicrotask(() => {
      this.close();
      this.target.detach();
    });
    return 'OK';
  }
}
