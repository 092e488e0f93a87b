// tsemu-system-riscv64's main: parse the command line, build the virt machine, run it until it
// powers off, and exit with the status it powered off with (riscv-tests' HTIF result, the SiFive
// test device's code), as qemu-system-riscv64 does. Mistakes in the command line or the images
// are one line on stderr and status 1, as qemu's. With a gdbstub or a monitor socket the machine
// runs in slices between turns of the event loop, which serves those sockets.
import { closeSync, openSync, writeSync } from 'node:fs';
import { CliExit } from './options.js';
import { SYSTEM_PROG, SystemOptions, monitorBanner, parseSystemOptions } from './system-options.js';
import { ImageError, MAX_RAM, VirtMachine } from '../system/virt-machine.js';
import { SystemLog } from '../system/system-loop.js';
import { HostConsole } from '../system/host-console.js';
import { SystemDebugTarget } from '../system/debug-target.js';
import { GdbServer, startGdbServer } from '../gdbstub/gdb-server.js';
import { startMonitorServer } from '../system/monitor-server.js';
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

/** Blocks run between two turns of the event loop (the gdb and monitor sockets). */
const SLICE_BLOCKS = 4096;

/** Builds the machine (anew at each reset: RAM, the images loaded again, the disks reopened). */
function machineFor(o: SystemOptions, out: ConsoleOut, log: SystemLog | undefined, input: HostConsole): VirtMachine {
  const machine = new VirtMachine({ ramSize: o.ramSize, harts: o.harts, bios: o.bios, kernel: o.kernel, append: o.append, initrd: o.initrd, virtio: o.virtio, log, console: out.put, consoleFlush: () => out.flush(), backend: o.backend, input });
  input.monitor = machine.monitor;
  return machine;
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
    // The monitor is on the console unless -monitor puts it elsewhere.
    const input = new HostConsole(out.text, o.monitor.kind === 'console' ? monitorBanner() : undefined);
    const cleanUp = (): void => {
      input.close();
      out.flush();
      close();
    };
    if (o.gdb || o.monitor.kind === 'socket') {
      try {
        inSlices(o, out, log, input, cleanUp);
      } catch (e) {
        // The first machine could not be built.
        cleanUp();
        throw e;
      }
      return;
    }
    try {
      for (;;) {
        const machine = machineFor(o, out, log, input);
        const end = machine.run()!;
        machine.close();
        if (end.kind === 'reset') continue;
        process.exitCode = ended(end, out);
        break;
      }
    } finally {
      cleanUp();
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

/** The machine in slices between the event loop's turns, which serve the gdb socket and the
 *  monitor's. Under gdb it stops while gdb holds it (from the start with -S; when gdb attaches
 *  to a running machine, as qemu stops it then); a monitor socket without nowait holds it until
 *  a client connects. */
function inSlices(o: SystemOptions, out: ConsoleOut, log: SystemLog | undefined, input: HostConsole, cleanUp: () => void): void {
  let machine = machineFor(o, out, log, input);
  let scheduled = false;
  let target: SystemDebugTarget | undefined;
  let server: GdbServer | undefined;
  const finish = (status: number): never => {
    machine.close();
    cleanUp();
    process.exit(status);
  };
  const end = (e: PowerOff): never => {
    const status = ended(e, out);
    server?.ended({ kind: 'exited', status });
    return finish(status);
  };
  const pump = (): void => {
    scheduled = false;
    let e: PowerOff | undefined;
    try {
      e = machine.run(SLICE_BLOCKS);
    } catch (err) {
      process.stderr.write(`${SYSTEM_PROG}: internal error: ${(err as Error).message}\n`);
      finish(1);
    }
    if (e?.kind === 'reset') {
      machine.close();
      machine = machineFor(o, out, log, input);
      if (target) machine.loop.debug = target.debug;
    } else if (e) {
      end(e);
    }
    if (target?.debug.stop) target.stopped();
    else wake();
  };
  const wake = (): void => {
    if (!scheduled) setImmediate(pump);
    scheduled = true;
  };
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    if (target?.debug.stop) target.stopped();
    else wake();
  };
  if (o.gdb) {
    const t = new SystemDebugTarget(() => machine, wake, () => {
      process.stderr.write(`${SYSTEM_PROG}: Terminated via GDBstub\n`);
      return finish(0);
    });
    target = t;
    machine.loop.debug = t.debug;
    if (o.frozen) t.debug.stop = { kind: 'host', code: GDB_SIGTRAP };
    const where = o.gdb;
    server = startGdbServer(where, t, () => {
      process.stderr.write(`${SYSTEM_PROG}: -gdb ${where.path ?? `tcp:${where.host}:${where.port}`}: could not open gdbserver\n`);
      finish(1);
    }, () => t.interrupt());
  }
  const mon = o.monitor;
  if (mon.kind === 'socket') {
    startMonitorServer(mon.listen, () => machine.monitor, monitorBanner(), {
      connected: start,
      quit: end,
      failed: (reason) => {
        process.stderr.write(`${SYSTEM_PROG}: -monitor ${mon.spec}: ${reason}\n`);
        finish(1);
      },
    });
    if (mon.wait) {
      const { path, host, port } = mon.listen;
      process.stderr.write(`${SYSTEM_PROG}: -monitor ${mon.spec}: info: tsemu waiting for connection on: disconnected:${path !== undefined ? `unix:${path}` : `tcp:${host}:${port}`},server=on\n`);
      return;
    }
  }
  start();
}
