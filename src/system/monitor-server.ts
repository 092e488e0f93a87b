// The monitor on a listening socket (-monitor unix:PATH,server,nowait or tcp:...,server,nowait),
// as qemu's socket chardev serves it: each client is greeted with the banner and the prompt and
// talks to the monitor (src/system/monitor.ts) with \r\n line ends; `quit` ends the emulator.
// Commands run when the event loop serves the socket, which the command line's driver lets it
// do between slices of guest blocks, so they see a consistent hart. Unlike qemu's, which
// serves one client at a time (the others wait), every client is served at once.
import * as net from 'node:net';
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { PowerOff } from '../hw/mmio-device.js';
import { Monitor, MonitorSession } from './monitor.js';

export interface MonitorServerEvents {
  /** A client connected (the first one starts a machine that waits for it). */
  connected(): void;
  /** `quit`: the emulator ends (the PowerOff says how). */
  quit(end: PowerOff): void;
  /** The socket could not listen: qemu's message after "-monitor SPEC: ". */
  failed(reason: string): void;
}

/** Node's "listen ECODE: lower-case strerror <address>" as the C library's text. libuv reports
 *  a Unix socket's missing directory as EACCES (for Windows' sake): that is ENOENT's text. */
function strerror(e: NodeJS.ErrnoException, address: string, path: string | undefined): string {
  if (path !== undefined && e.code === 'EACCES' && !existsSync(dirname(path))) return 'No such file or directory';
  const text = e.message.replace(/^listen [A-Z]+: /, '').replace(` ${address}`, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function startMonitorServer(where: net.ListenOptions, monitor: () => Monitor, banner: string, on: MonitorServerEvents): net.Server {
  // A socket left behind by an earlier run is replaced, as qemu replaces it (qemu unlinks
  // whatever is there; this leaves other files alone and fails on them).
  if (where.path !== undefined) {
    try {
      if (lstatSync(where.path).isSocket()) unlinkSync(where.path);
    } catch {
      // nothing there
    }
  }
  const server = net.createServer({ noDelay: true }, (s) => {
    const session = new MonitorSession(monitor, (text) => { if (!s.destroyed) s.write(text, 'latin1'); });
    session.greet(banner);
    on.connected();
    s.on('data', (chunk: Buffer) => {
      try {
        for (const b of chunk) session.byte(b);
      } catch (e) {
        if (!(e instanceof PowerOff)) throw e;
        on.quit(e);
      }
    });
    s.on('error', () => s.destroy());
  });
  server.on('error', (e: NodeJS.ErrnoException) => {
    const address = where.path ?? `${where.host}:${where.port}`;
    const why = strerror(e, address, where.path);
    on.failed(where.path !== undefined ? `Failed to bind socket to ${where.path}: ${why}` : `Failed to find an available port: ${why}`);
  });
  server.listen(where);
  return server;
}
