// tsemu-system-riscv64's main: parse the command line, build the virt machine, run it until it
// powers off, and exit with the status it powered off with (riscv-tests' HTIF result, the SiFive
// test device's code), as qemu-system-riscv64 does. Mistakes in the command line or the images
// are one line on stderr and status 1, as qemu's.
import { closeSync, openSync, writeSync } from 'node:fs';
import { CliExit } from './options.js';
import { SYSTEM_PROG, SystemOptions, parseSystemOptions } from './system-options.js';
import { ImageError, MAX_RAM, VirtMachine } from '../system/virt-machine.js';
import { SystemLog } from '../system/system-loop.js';
import { HostConsole } from '../system/host-console.js';
import { SystemDebugTarget } from '../system/debug-target.js';
import { startGdbServer } from '../gdbstub/gdb-server.js';
import type { PowerOff } from '../hw/mmio-device.js';

/** gdb's SIGTRAP: the stop reported for a machine frozen at start (-S). */
const GDB_SIGTRAP = 5;

/** Console bytes, written out at each newline, when the machine polls its devices, and before exit. */
class ConsoleOut {
  private readonly bytes: number[] = [];
  put = (b: number): void => {
    this.bytes.push(b);
    if (b === 10 || this.bytes.length >= 4096) this.flush();
  };
  /** The emulator's own messages on the console. */
  text = (s: string): void => {
    for (const b of Buffer.from(s, 'latin1')) this.put(b);
    this.flush();
  };
  flush(): void {
    if (this.bytes.length) writeSync(1, Buffer.from(this.bytes.splice(0)));
  }
}

function openLog(o: SystemOptions): { log: SystemLog | undefined; close: () => void } {
  if (o.debug.size === 0) return { log: undefined, close: () => {} };
  const fd = o.logFile ? openSync(o.logFile, 'w') : 2;
  return {
    log: { has: (item) => o.debug.has(item), write: (text) => { writeSync(fd, text); } },
    close: () => { if (fd !== 2) closeSync(fd); },
  };
}

/** Blocks run between two looks at the gdb socket while a debugger may attach. */
const DEBUG_SLICE_BLOCKS = 4096;

/** Builds the machine (anew at each reset: RAM, the images loaded again, the disks reopened). */
function machineFor(o: SystemOptions, out: ConsoleOut, log: SystemLog | undefined, input: HostConsole): VirtMachine {
  return new VirtMachine({ ramSize: o.ramSize, harts: o.harts, bios: o.bios, kernel: o.kernel, append: o.append, initrd: o.initrd, virtio: o.virtio, log, console: out.put, consoleFlush: () => out.flush(), backend: o.backend, input });
}

/** The machine's end: its status, after the error line if it stopped on one. */
function ended(end: PowerOff, out: ConsoleOut): number {
  out.flush();
  if (end.kind === 'error') process.stderr.write(`${SYSTEM_PROG}: ${end.reason}\n`);
  return end.status;
}

export function systemMain(argv: string[]): void {
  const out = new ConsoleOut();
  try {
    const o = parseSystemOptions(argv, MAX_RAM);
    const { log, close } = openLog(o);
    let input: HostConsole | undefined;
    if (o.gdb) {
      input = new HostConsole(out.text);
      debugged(o, out, log, input, () => {
        input!.close();
        out.flush();
        close();
      });
      return;
    }
    try {
      input = new HostConsole(out.text);
      for (;;) {
        const machine = machineFor(o, out, log, input);
        const end = machine.run()!;
        machine.close();
        if (end.kind === 'reset') continue;
        process.exitCode = ended(end, out);
        break;
      }
    } finally {
      input?.close();
      out.flush();
      close();
    }
  } catch (e) {
    if (e instanceof CliExit) {
      if (e.stdout) process.stdout.write(e.stdout);
      if (e.stderr) process.stderr.write(e.stderr);
      process.exitCode = e.status;
      return;
    }
    const known = e instanceof ImageError || (e as NodeJS.ErrnoException).code !== undefined;
    process.stderr.write(`${SYSTEM_PROG}: ${known ? '' : 'internal error: '}${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** The machine under the gdbstub: run in slices between the event loop's turns (which serve
 *  the gdb socket), stopped while gdb holds it (from the start with -S; when gdb attaches to a
 *  running machine, as qemu stops it then). */
function debugged(o: SystemOptions, out: ConsoleOut, log: SystemLog | undefined, input: HostConsole, cleanUp: () => void): void {
  let machine = machineFor(o, out, log, input);
  let scheduled = false;
  const finish = (status: number): never => {
    machine.close();
    cleanUp();
    process.exit(status);
  };
  const pump = (): void => {
    scheduled = false;
    let end: PowerOff | undefined;
    try {
      end = machine.run(DEBUG_SLICE_BLOCKS);
    } catch (e) {
      process.stderr.write(`${SYSTEM_PROG}: internal error: ${(e as Error).message}\n`);
      finish(1);
    }
    if (end?.kind === 'reset') {
      machine.close();
      machine = machineFor(o, out, log, input);
      machine.loop.debug = target.debug;
    } else if (end) {
      const status = ended(end, out);
      server.ended({ kind: 'exited', status });
      finish(status);
    }
    if (target.debug.stop) target.stopped();
    else wake();
  };
  const wake = (): void => {
    if (!scheduled) setImmediate(pump);
    scheduled = true;
  };
  const target = new SystemDebugTarget(() => machine, wake, () => {
    process.stderr.write(`${SYSTEM_PROG}: Terminated via GDBstub\n`);
    return finish(0);
  });
  machine.loop.debug = target.debug;
  if (o.frozen) target.debug.stop = { kind: 'host', code: GDB_SIGTRAP };
  const where = o.gdb!;
  const server = startGdbServer(where, target, () => {
    process.stderr.write(`${SYSTEM_PROG}: -gdb ${where.path ?? `tcp:${where.host}:${where.port}`}: could not open gdbserver\n`);
    finish(1);
  }, () => target.interrupt());
  if (o.frozen) target.stopped();
  else wake();
}
