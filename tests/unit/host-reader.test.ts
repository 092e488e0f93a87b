// HostReader over a real host socket pair (Node's net on 127.0.0.1): what a read finds is a
// number, never an exception: EAGAIN while empty, the bytes once they came, 0 at EOF, and a
// reset connection's ECONNRESET; chunk() hands out its own copy. Each case runs on a fresh
// reader (reading through fs) and on one that found its fd empty often enough to read through
// WASI.
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HostReader } from '../../src/linux-user/generic/host-reader.js';

const EAGAIN = 11, ECONNRESET = 104;
const fdOf = (s: net.Socket): number => (s as unknown as { _handle: { fd: number } })._handle.fd;

/** A connected pair: the server's accepted socket (paused, so Node reads nothing of it) and
 *  the client. */
async function pair(): Promise<{ server: net.Socket; client: net.Socket; close(): void }> {
  const listener = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => listener.once('connection', r));
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  await new Promise<void>((r) => (client.connecting ? client.once('connect', () => r()) : r()));
  return { server, client, close: () => { server.destroy(); client.destroy(); listener.close(); } };
}

/** Polls `read` until it stops answering EAGAIN (the bytes take a moment over loopback). */
async function settled(read: () => number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const n = read();
    if (n !== -EAGAIN) return n;
    await new Promise((r) => setTimeout(r, 5));
  }
  return -EAGAIN;
}

/** A reader of fd that has found it empty `empties` times already (all answered EAGAIN). */
function reader(fd: number, empties: number): HostReader {
  const r = new HostReader(fd);
  for (let i = 0; i < empties; i++) expect(r.read(new Uint8Array(4), 0, 4)).toBe(-EAGAIN);
  return r;
}

describe.each([['through fs', 0], ['through WASI', 20]])('HostReader %s', (_, empties) => {
  let close = (): void => {};
  afterEach(() => close());

  it('answers EAGAIN, then the bytes, then 0 at EOF', async () => {
    const p = await pair();
    close = p.close;
    const r = reader(fdOf(p.server), empties);
    const dst = new Uint8Array(16).fill(0xee);
    expect(r.read(dst, 0, 16)).toBe(-EAGAIN);
    p.client.write('hello');
    expect(await settled(() => r.read(dst, 2, 14))).toBe(5);
    expect(Buffer.from(dst.subarray(0, 8)).toString('latin1')).toBe('\xee\xeehello\xee');
    expect(() => r.transfer(dst, 0, 16)).toThrow(expect.objectContaining({ errno: EAGAIN }));
    p.client.end();
    expect(await settled(() => r.read(dst, 0, 16))).toBe(0);
  });

  it('gives a chunk of its own, and ECONNRESET as a number', async () => {
    const p = await pair();
    close = p.close;
    const r = reader(fdOf(p.server), empties);
    expect(r.chunk()).toBe(-EAGAIN);
    p.client.write('abc');
    let c: Uint8Array | number = -EAGAIN;
    for (let i = 0; i < 200 && c === -EAGAIN; i++) {
      c = r.chunk();
      if (c === -EAGAIN) await new Promise((res) => setTimeout(res, 5));
    }
    expect(Buffer.from(c as Uint8Array).toString()).toBe('abc');
    p.client.write('de');
    await new Promise((res) => setTimeout(res, 20));
    // An RST while data is unread: the reader's next call reports the reset.
    p.client.resetAndDestroy();
    const n = await settled(() => r.read(new Uint8Array(8), 0, 8));
    expect([2, -ECONNRESET]).toContain(n);
    if (n === 2) expect(await settled(() => r.read(new Uint8Array(8), 0, 8))).toBe(-ECONNRESET);
  });
});
