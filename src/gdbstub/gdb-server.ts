// The gdbstub's socket: `-g port` (or a path with a '/', a Unix socket, as qemu-user takes it)
// accepts one gdb connection. The target is stopped until then; when gdb goes away without
// detaching, the guest runs on undebugged, as under qemu-user.
import * as net from 'node:net';
import type { DebugTarget, StopEvent } from './debug-target.js';
import { GdbSession } from './gdb-session.js';

export interface GdbServer {
  /** The guest ended: gdb is told (W or X packet) before the process goes. */
  ended(e: StopEvent): void;
}

/** Listens at `where` for gdb and serves the first connection over `target`; `fail` gets a
 *  one-line reason when the socket cannot be opened; `attached` is called when gdb connects
 *  (system mode stops a running machine then). */
export function startGdbServer(where: net.ListenOptions, target: DebugTarget, fail: (reason: string) => void, attached?: () => void): GdbServer {
  let session: GdbSession | undefined;
  let socket: net.Socket | undefined;
  /** A stop before gdb connects (the first one): told when gdb asks. */
  let early: StopEvent | undefined;
  const server = net.createServer({ noDelay: true }, (s) => {
    server.close();
    socket = s;
    session = new GdbSession(target, (bytes) => { if (!s.destroyed) s.write(bytes, 'latin1'); }, () => s.end());
    attached?.();
    if (early) session.stopped(early);
    s.on('data', (chunk: Buffer) => session!.receive(chunk));
    s.on('error', () => s.destroy());
    s.on('close', () => {
      if (session) target.detach();
      session = undefined;
    });
  });
  server.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
  server.listen(where);
  target.onStop = (e) => {
    if (session) session.stopped(e);
    else early = e;
  };
  return {
    ended: (e) => {
      // A small write to an idle socket leaves at once (libuv writes before queueing), so the
      // reply is out before the process exits.
      session?.stopped(e);
      socket?.end();
    },
  };
}
