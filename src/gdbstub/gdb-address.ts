// Where -g listens, parsed apart from the socket code so that the command line can check it
// without loading node:net.
import type { ListenOptions } from 'node:net';

/** A TCP port on the loopback interface, or a Unix socket path (a value with a '/', as qemu-user
 *  takes it); undefined for anything else (qemu refuses it too). */
export function gdbAddress(spec: string): ListenOptions | undefined {
  if (spec.includes('/')) return { path: spec };
  const port = /^[0-9]+$/.test(spec) ? Number(spec) : NaN;
  return port >= 0 && port <= 0xffff ? { port, host: '127.0.0.1' } : undefined;
}
