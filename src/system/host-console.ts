// The host side of the guest's console input: stdin, read without blocking (the system loop is
// synchronous and polls it between blocks and while a wfi sleeps), in raw mode when it is a
// terminal, with qemu's -nographic escapes: Ctrl-A x ends the emulator ("QEMU: Terminated", status
// 0), Ctrl-A c switches between the guest's console and the monitor (src/system/monitor.ts's
// MonitorSession; not when -monitor puts it elsewhere), Ctrl-A Ctrl-A sends one Ctrl-A,
// Ctrl-A h lists them, and a Ctrl-A before anything else is dropped along with it. With the
// monitor elsewhere (-monitor), the console is the UART's alone and has no escapes, as qemu's
// plain stdio: every byte goes to the guest. Bytes wait here until the UART has room for them.
// stdin is reopened through /proc/self/fd/0 with O_NONBLOCK (a new open file description), so
// that reading finds "nothing yet" without blocking and without changing the mode of the file
// the caller's shell shares; a blocking read in a worker thread would keep the process from
// exiting until the next key press. A socket (what a parent Node process's spawn gives) cannot
// be reopened: then fd 0 itself is made non-blocking, by opening it as process.stdin (which
// libuv does for sockets; the stream is never started, so it reads nothing itself).
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { isatty } from 'node:tty';
import { PowerOff } from '../hw/mmio-device.js';
import { Monitor, MonitorSession } from './monitor.js';

const CTRL_A = 0x01;
/** qemu's list in its layout (each line after a \n\r), with the keys tsemu has (not s, t, b). */
const HELP = ['C-a h    print this help', 'C-a x    exit emulator', 'C-a c    switch between console and monitor', 'C-a C-a  sends C-a', '']
  .map((l) => `\n\r${l}`).join('');

export class HostConsole {
  private fd = -1;
  private readonly buf = Buffer.alloc(4096);
  private queued: number[] = [];
  private escape = false;
  private rawTty = false;
  /** The machine's monitor (a reset makes a new machine, and a new one); the session with it
   *  while the console is switched there. */
  monitor: Monitor | undefined;
  private readonly session: MonitorSession;
  private inMonitor = false;

  /** `echo` writes the emulator's own messages (the help, "QEMU: Terminated", the monitor's
   *  `banner` and answers) to the console; without a banner there is no monitor here, nor
   *  escapes. */
  constructor(private readonly echo: (text: string) => void, private readonly banner: string | undefined) {
    this.session = new MonitorSession(() => this.monitor!, echo);
    try {
      this.fd = openSync('/proc/self/fd/0', constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENXIO' && process.stdin) this.fd = 0;
    }
    // process.stdin only for a terminal: for a pipe, making the stream would set O_NONBLOCK on
    // the description fd 0 shares with the caller.
    if (this.fd >= 0 && isatty(0)) {
      process.stdin.setRawMode(true);
      this.rawTty = true;
    }
  }

  /** Reads what stdin has now; at most `max` bytes are handed over, the rest wait. Throws
   *  PowerOff for Ctrl-A x. */
  take(max: number): number[] {
    this.fill();
    return this.queued.splice(0, max);
  }

  close(): void {
    if (this.rawTty) process.stdin.setRawMode(false);
    if (this.fd > 0) closeSync(this.fd);
    this.fd = -1;
  }

  private fill(): void {
    if (this.fd < 0 || this.queued.length >= this.buf.length) return;
    let n: number;
    try {
      n = readSync(this.fd, this.buf, 0, this.buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return;
      throw e;
    }
    if (n === 0) {
      // End of input: nothing more will come.
      this.close();
      return;
    }
    for (let i = 0; i < n; i++) this.byte(this.buf[i]);
  }

  private byte(b: number): void {
    if (!this.escape) {
      if (b === CTRL_A && this.banner !== undefined) this.escape = true;
      else if (this.inMonitor) this.session.byte(b);
      else this.queued.push(b);
      return;
    }
    this.escape = false;
    if (b === CTRL_A) this.queued.push(b);
    else if (b === 0x63 && this.monitor) {
      this.inMonitor = !this.inMonitor;
      if (this.inMonitor) this.session.greet(this.banner!);
    } else if (b === 0x78) {
      this.echo('QEMU: Terminated\n\r');
      throw new PowerOff(0, 'C-a x');
    } else if (b === 0x68) this.echo(HELP);
  }
}
