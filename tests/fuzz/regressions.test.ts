// The fuzzer's minimised mismatches (regression-cases.ts) under every backend; against qemu too
// where it is installed (where qemu is the one that is wrong, that it still is).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onPath } from '../guest-bins/corpus.js';
import { ARCHES } from './arches.js';
import { REGRESSION_CASES, RegressionCase } from './regression-cases.js';
import { BACKENDS, cliOf, diffRecord, runQemu, runTsemu, TIERED_PASSES, writeProgram } from './runner.js';
import { Insn, Item } from './sequence.js';

const dir = mkdtempSync(join(tmpdir(), 'tsemu-fuzz-regressions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The case's code as one item per instruction, bytes in memory order. */
function items(c: RegressionCase): Item[] {
  return c.code.map((hex): Item => {
    const halves = hex.includes(' ') ? hex.split(' ') : hex.length === 4 ? [hex] : [hex.slice(4), hex.slice(0, 4)];
    const insn: Insn = { bytes: halves.flatMap((h) => [parseInt(h, 16) & 0xff, parseInt(h, 16) >> 8]), text: hex };
    return { insns: [insn] };
  });
}

function program(c: RegressionCase, passes: number, tag: string): string {
  const arch = ARCHES[c.arch];
  const init = arch.initWith(c.inputs, c.thumb ? 'thumb-dp' : '');
  return writeProgram(dir, `${c.arch}-${REGRESSION_CASES.indexOf(c)}-${tag}`, arch.build([{ items: items(c), init }], passes));
}

/** The expected parts of a record, read as little-endian numbers. */
function parts(c: RegressionCase, record: Buffer): Record<string, bigint> {
  const arch = ARCHES[c.arch];
  return Object.fromEntries(Object.keys(c.expect).map((name) => {
    const s = arch.slices.find((x) => x.name === name)!;
    return [name, BigInt(`0x${Buffer.from(record.subarray(s.at, s.at + s.size)).reverse().toString('hex')}`)];
  }));
}

describe.each(REGRESSION_CASES)('fuzz regression ($arch): $name', (c) => {
  const arch = ARCHES[c.arch];
  it.each(BACKENDS)('-backend %s', async (backend) => {
    if (!existsSync(cliOf(arch))) throw new Error(`${cliOf(arch)} is missing: run \`npm run build\` first`);
    const passes = backend === 'tiered' ? TIERED_PASSES : 1;
    const got = await runTsemu(arch, backend, program(c, passes, backend));
    expect(got.status, got.stderr).toBe(0);
    // The last pass's record (the tiered run's first one is the interpreter's).
    expect(parts(c, got.out.subarray(got.out.length - arch.recordSize))).toEqual(c.expect);
  });
  const title = c.manual ? `${arch.qemu} still differs where the manual decides (${c.manual})` : `the whole state as under ${arch.qemu}`;
  it.skipIf(!onPath(arch.qemu))(title, async () => {
    const path = program(c, 1, 'qemu');
    const [want, got] = await Promise.all([runQemu(arch, path), runTsemu(arch, 'interp', path)]);
    // A known qemu difference: should a newer qemu follow the manual, this fails and the case
    // compares in full again.
    if (c.manual) {
      expect(parts(c, want.out)).not.toEqual(c.expect);
      return;
    }
    expect(parts(c, want.out)).toEqual(c.expect);
    expect(diffRecord(arch, want.out, got.out)).toEqual([]);
  });
});
