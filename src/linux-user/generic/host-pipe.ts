// Real host pipes, for the guest's pipes that a fork hands to another process. Node can neither
// call pipe(2) nor mkfifo(3), so a pipe is a FIFO made by mkfifo(1), opened at both ends and
// unlinked at once: the same kernel pipe object as pipe(2) gives, with no name left behind.
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E, SyscallError } from './errno.js';
import { childProcessModule } from './host-modules.js';

/** `count` new host pipes: each read end non-blocking (a blocked guest read waits in the loop,
 *  interruptible, instead of blocking the thread), each write end blocking. */
export function makeHostPipes(count: number): { r: number; w: number }[] {
  if (count === 0) return [];
  const base = join(tmpdir(), `tsemu-pipe-${process.pid}-${Date.now()}-`);
  const paths = Array.from({ length: count }, (_, i) => `${base}${i}`);
  const made = childProcessModule().spawnSync('mkfifo', ['-m', '600', ...paths], { stdio: 'ignore' });
  if (made.status !== 0) throw new SyscallError(E.NFILE); // no mkfifo(1): no pipe to share
  return paths.map((p) => {
    try {
      // A FIFO's non-blocking read open returns at once; the write open then finds a reader.
      const r = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const w = fs.openSync(p, fs.constants.O_WRONLY);
      return { r, w };
    } finally {
      fs.unlinkSync(p);
    }
  });
}
