// A subset of qemu's monitor (HMP) for system mode, reached as under qemu's -nographic with
// Ctrl-A c on the console (src/system/host-console.ts), or on a socket (-monitor unix:... or
// tcp:..., src/system/monitor-server.ts); a MonitorSession edits the typed line for either.
// The commands: `info registers` (the
// hart's state in the layout of qemu's riscv_cpu_dump_state), `info mem` (the current page
// table's mappings, in qemu's table: runs of pages contiguous in both virtual and physical
// address with the same attributes), `help`, `quit`. Commands run between two blocks of guest
// code, so they see a consistent hart.
import { PowerOff } from '../hw/mmio-device.js';
import { dumpRiscvState } from '../target/riscv/cpu-dump.js';
import { CSR_TABLE, CsrHost } from './csr-table.js';
import { MSTATUS } from './hart.js';
import { PTE_R, PTE_V, PTE_W, PTE_X } from './page-walk.js';
import { PhysBus } from './phys-bus.js';

/** The CSRs qemu 7.2's dump lists (mhartid ... satp) that this hart has, in its order; the H
 *  extension's are not here, as this hart has none. */
const DUMP_CSRS = [0xf14, 0x300, 0x344, 0x304, 0x303, 0x302, 0x305, 0x105, 0x341, 0x141, 0x342, 0x142, 0x343, 0x143, 0x340, 0x140, 0x180];

/** The hart's registers and CSRs, as -d cpu and `info registers` print them. */
export function hartState(host: CsrHost): string {
  const { hart } = host;
  const csrs = DUMP_CSRS.map((n): [string, bigint] => [CSR_TABLE[n].name, CSR_TABLE[n].read(host)]);
  return dumpRiscvState(hart.mem, hart.env, csrs, (hart.mstatus & MSTATUS.FS) !== 0n);
}

const ATTRS = 'rwxugad';
const hex = (v: bigint): string => v.toString(16).padStart(16, '0');

/** `info mem`: every leaf of the page table satp points to, as runs. */
function memoryMap(host: CsrHost, bus: PhysBus): string {
  const mode = host.hart.satp >> 60n;
  if (mode !== 8n && mode !== 9n) return 'No translation or protection\n';
  const levels = mode === 8n ? 3 : 4;
  const vaBits = BigInt(12 + 9 * levels);
  const lines = ['vaddr            paddr            size             attr\n', '---------------- ---------------- ---------------- -------\n'];
  let run: { va: bigint; pa: bigint; size: bigint; attr: string } | undefined;
  const flush = (): void => {
    if (run) lines.push(`${hex(run.va)} ${hex(run.pa)} ${hex(run.size)} ${run.attr}\n`);
  };
  const walk = (table: bigint, level: number, base: bigint): void => {
    for (let i = 0n; i < 512n; i++) {
      const addr = Number(table + i * 8n);
      if (!bus.isRam(addr, 8)) return;
      const pte = bus.mem.view.getBigUint64(addr, true);
      if (!(pte & BigInt(PTE_V))) continue;
      const va = base + (i << BigInt(12 + 9 * level));
      const pa = ((pte >> 10n) & 0xfffffffffffn) << 12n;
      if (!(pte & BigInt(PTE_R | PTE_X))) {
        if (level > 0 && !(pte & BigInt(PTE_W))) walk(pa, level - 1, va);
        continue;
      }
      // The virtual address as the hart sees it: bit vaBits-1 copied upwards.
      const full = BigInt.asUintN(64, BigInt.asIntN(Number(vaBits), va));
      const size = 1n << BigInt(12 + 9 * level);
      const attr = [...ATTRS].map((c, k) => (pte & (1n << BigInt(k + 1)) ? c : '-')).join('');
      if (run && run.attr === attr && run.va + run.size === full && run.pa + run.size === pa) {
        run.size += size;
      } else {
        flush();
        run = { va: full, pa, size, attr };
      }
    }
  };
  walk((host.hart.satp & 0xfffffffffffn) << 12n, levels - 1, 0n);
  flush();
  return lines.join('');
}

const INFO = 'info registers          the hart\'s registers\ninfo mem                the active virtual memory mappings\n';
const HELP = `help                    show this list\n${INFO}quit                    quit the emulator\n`;

export class Monitor {
  constructor(private readonly host: CsrHost, private readonly bus: PhysBus) {}

  /** The answer to one command line (text with \n line ends); throws PowerOff for quit. */
  execute(line: string): string {
    const words = line.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return '';
    const [cmd, arg] = words;
    if (cmd === 'quit' || cmd === 'q') throw new PowerOff(0, 'monitor quit');
    if (cmd === 'help' || cmd === 'h' || cmd === '?') return HELP;
    if (cmd === 'info' || cmd === 'i') {
      if (arg === 'registers') return `\nCPU#${this.host.hart.hartId}\n${hartState(this.host)}`;
      if (arg === 'mem') return memoryMap(this.host, this.bus);
      return INFO;
    }
    return `unknown command: '${cmd}'\n`;
  }
}

const PROMPT = '(qemu) ';

/** One conversation with the monitor (the console's, or a socket client's): the typed line is
 *  echoed plainly as it is edited (qemu's readline redraws it with terminal escapes) and run at
 *  Enter; answers go out with qemu's \r\n line ends. `monitor` is the machine's now (a reset
 *  builds a new machine). */
export class MonitorSession {
  private line = '';

  constructor(private readonly monitor: () => Monitor, private readonly echo: (text: string) => void) {}

  /** The banner (qemu's "QEMU <version> monitor - type 'help' for more information") and the
   *  prompt. */
  greet(banner: string): void {
    this.line = '';
    this.echo(`${banner}\r\n${PROMPT}`);
  }

  /** A byte typed: printable ones join the line, backspace takes one back, Enter runs it (quit
   *  throws PowerOff). */
  byte(b: number): void {
    if (b === 0x0d || b === 0x0a) {
      const line = this.line;
      this.line = '';
      this.echo('\r\n');
      this.echo(`${this.monitor().execute(line).replace(/\n/g, '\r\n')}${PROMPT}`);
    } else if ((b === 0x7f || b === 0x08) && this.line.length > 0) {
      this.line = this.line.slice(0, -1);
      this.echo('\b \b');
    } else if (b >= 0x20 && b < 0x7f && this.line.length < 256) {
      this.line += String.fromCharCode(b);
      this.echo(String.fromCharCode(b));
    }
  }
}
