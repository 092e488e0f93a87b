// What the gdbstub tests share (tests/gdbstub.test.ts for user mode, tests/system-gdb.test.ts
// for system mode): a free port, and a command's whole output and status.
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { ROOT } from './guest-bins/corpus.js';

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Exit { stdout: string; stderr: string; status: number | null; signal: NodeJS.Signals | null }

export function collect(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('close', (status, signal) => resolve({
      stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), status, signal,
    }));
  });
}

