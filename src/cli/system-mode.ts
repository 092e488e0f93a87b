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

export function systemMain(argv: string[]): void {
  const out = new ConsoleOut();
  try {
    const o = parseSystemOptions(argv, MAX_RAM);
    const { log, close } = openLog(o);
    let input: HostConsole | undefined;
    try {
      input = new HostConsole(out.text);
      for (;;) {
        // A reset builds the machine anew: RAM, the images loaded again, the disks reopened.
        const machine = new VirtMachine({ ramSize: o.ramSize, bios: o.bios, kernel: o.kernel, append: o.append, initrd: o.initrd, drives: o.drives, log, console: out.put, consoleFlush: () => out.flush(), backend: o.backend, input });
        const end = machine.run();
        machine.close();
        if (end.kind === 'reset') continue;
        out.flush();
        if (end.kind === 'error') process.stderr.write(`${SYSTEM_PROG}: ${end.reason}\n`);
        process.exitCode = end.status;
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
