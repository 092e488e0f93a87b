// Signals sent to the emulator from outside, as `kill` or Ctrl-C would: the guest's handler runs,
// or its default action ends tsemu the way it ends the native program (the shell's 128+N). The
// guests (sigint_wait, sigusr_wait) print "ready" once their dispositions are set and then wait
// in pause() or in a loop without syscalls. qemu-user runs the same cases when installed.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ARM, GuestArch, RISCV64, ROOT, onPath, programPath } from './guest-bins/corpus.js';

interface Ended { stdout: string; status: number }

/** Starts `argv`, sends the signals once "ready" shows (one at a time, each after the output
 *  the previous one caused), and resolves with the output and shell status. */
function signalled(argv: string[], signals: [NodeJS.Signals, string?][]): Promise<Ended> {
  const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const queue = [...signals];
  let waitFor = 'ready\n';
  const next = (): void => {
    if (!out.includes(waitFor) || queue.length === 0) return;
    const [sig, after] = queue.shift()!;
    waitFor = after ?? '\u0000never';
    child.kill(sig);
  };
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); next(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no end; output so far: ${out}`)); }, 60000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ stdout: out, status: status ?? 128 + constants.signals[signal!] });
    });
  });
}

const runners = (arch: GuestArch): [string, string[]][] => [
  ['tsemu', ['node', arch.cli]],
  ...(onPath(arch.qemu) ? [[arch.qemu, [arch.qemu]] as [string, string[]]] : []),
];

describe.each([RISCV64, ARM])('signals from outside ($name)', (arch) => {
  describe.each(runners(arch))('%s', (_name, cmd) => {
    const prog = (name: string): string => programPath(name, arch.name);

    it.each(['', 'spin'])('SIGINT runs the handler (%s)', async (wait) => {
      const r = await signalled([...cmd, prog('sigint_wait'), 'handler', ...(wait ? [wait] : [])], [['SIGINT']]);
      expect(r).toEqual({ stdout: 'ready\nhandler: SIGINT\n', status: 0 });
    });

    it.each(['', 'spin'])('SIGINT without a handler ends it with status 130 (%s)', async (wait) => {
      const r = await signalled([...cmd, prog('sigint_wait'), ...(wait ? [wait] : [])], [['SIGINT']]);
      expect(r).toEqual({ stdout: 'ready\n', status: 130 });
    });

    it.each(['', 'spin'])('SIGUSR1 handlers return and SIGTERM kills by default (%s)', async (wait) => {
      const r = await signalled([...cmd, prog('sigusr_wait'), ...(wait ? [wait] : [])], [
        ['SIGUSR1', 'handler: SIGUSR1 1\n'], ['SIGUSR1', 'handler: SIGUSR1 2\n'], ['SIGTERM'],
      ]);
      expect(r).toEqual({ stdout: 'ready\nhandler: SIGUSR1 1\nhandler: SIGUSR1 2\n', status: 143 });
    });

    it('a SIGTERM handler runs', async () => {
      const r = await signalled([...cmd, prog('sigusr_wait'), 'term'], [['SIGUSR1', 'handler: SIGUSR1 1\n'], ['SIGTERM']]);
      expect(r).toEqual({ stdout: 'ready\nhandler: SIGUSR1 1\nhandler: SIGTERM after 1 SIGUSR1\n', status: 0 });
    });
  });
});
