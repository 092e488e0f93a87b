// `-d in_asm` names each block after the function it starts in, as qemu-user does: the
// symbols/named_main programs keep main (only main) in their symbol table, and
// named_main.blocks holds the blocks qemu named, recorded by the guest-bins Makefile; every
// other block, and every block of a stripped program, has `IN: ` with nothing after it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARM, ROOT, RISCV64 } from './guest-bins/corpus.js';

/** Each block's first address and name, from a -d in_asm log. */
function blocks(log: string): [string, string][] {
  const lines = log.split('\n');
  const out: [string, string][] = [];
  lines.forEach((l, i) => {
    if (l.startsWith('IN: ')) out.push([lines[i + 1].split(':')[0], l.slice(4)]);
  });
  return out;
}

function inAsm(cli: string, prog: string): { blocks: [string, string][]; stdout: string } {
  const log = join(mkdtempSync(join(tmpdir(), 'tsemu-in-asm-')), 'log');
  const r = spawnSync('node', [cli, '-d', 'in_asm', '-D', log, prog], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return { blocks: blocks(readFileSync(log, 'utf8')), stdout: r.stdout };
}

describe.each([RISCV64, ARM])('-d in_asm block names ($name)', (arch) => {
  it('names the blocks in main `IN: main` and no other block', () => {
    const prog = `tests/guest-bins/${arch.name}/symbols/named_main`;
    const qemu = readFileSync(join(ROOT, `${prog}.blocks`), 'utf8').trim().split('\n').map((l) => l.split(' '));
    const run = inAsm(arch.cli, prog);
    expect(run.stdout).toBe('named_main ran\n');
    const named = run.blocks.filter(([, name]) => name !== '');
    expect(new Set(named.map(([addr, name]) => `${addr} ${name}`))).toEqual(new Set(qemu.map(([addr, name]) => `${addr} ${name}`)));
    expect(run.blocks.length).toBeGreaterThan(named.length);
  });

  it('leaves every block of a stripped program unnamed', () => {
    const run = inAsm(arch.cli, `tests/guest-bins/${arch.name}/hello`);
    expect(run.blocks.length).toBeGreaterThan(0);
    expect(run.blocks.filter(([, name]) => name !== '')).toEqual([]);
  });
});
