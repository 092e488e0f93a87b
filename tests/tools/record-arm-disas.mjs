#!/usr/bin/env node
// Records qemu-arm's `-d in_asm` listing of the committed ARM guest binaries, of programs of
// the fuzzer's ARM generators (tests/tools/arm-fuzz-programs.ts) and of the encodings of
// tests/tools/arm-disas-{core,neon,thumb}.S (A32 and Thumb) as the fixture of
// tests/unit/arm-disas-qemu.test.ts: distinct instruction lines (raw bits and text) that qemu
// printed, in first-seen order, a few of each shape. An IT instruction is kept together with
// the lines it covers, since their text (condition suffixes, flag setting) depends on it; the
// test replays such a group in order.
//
//   node tests/tools/record-arm-disas.mjs   (needs qemu-arm, arm-linux-gnueabihf-gcc and npx tsx)
//
// Each binary runs with its .args and .stdin beside it, in a scratch directory, for at most a
// few seconds (some wait for a network peer or a signal; the blocks run until then suffice).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const BINS = join(ROOT, 'tests/guest-bins/arm');
const OUT = join(ROOT, 'tests/unit/data/arm-disas-qemu.txt');
/** The Go binaries are A32 code of one compiler; a few of them cover it. */
const SKIP = new Set(['go_net', 'go_signals', 'go_runtime']);
const LINE = /^0x[0-9a-f]{8}: {2}([0-9a-f]{8}|[0-9a-f]{4} [0-9a-f]{4}|[0-9a-f]{4} {5}) {2}(.*)$/;

function binaries() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.includes('.') && !SKIP.has(name) && (statSync(p).mode & 0o111)) out.push(p);
    }
  };
  walk(BINS);
  return out;
}

/** The fuzzer's programs, written to a scratch directory. */
const FUZZ_PROGRAMS = 6;
function fuzzPrograms() {
  const dir = mkdtempSync(join(tmpdir(), 'arm-disas-fuzz-'));
  spawnSync('npx', ['tsx', join(ROOT, 'tests/tools/arm-fuzz-programs.ts'), dir, String(FUZZ_PROGRAMS)], { cwd: ROOT, stdio: 'inherit' });
  return { dir, bins: readdirSync(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((n) => join(dir, n)) };
}

/** The hand-written encodings, built (A32, and Thumb with -DTHUMB) into the scratch directory. */
const EXTRA = [['core', ['', '-DTHUMB']], ['neon', ['', '-DTHUMB']], ['thumb', ['']]];
function extraPrograms(dir) {
  return EXTRA.flatMap(([name, variants]) => variants.map((flag) => {
    const out = join(dir, `${name}${flag ? '-thumb' : ''}`);
    const flags = ['-static', '-Wl,-z,noexecstack', ...(flag ? [flag] : []), '-o', out, join(ROOT, `tests/tools/arm-disas-${name}.S`)];
    spawnSync('arm-linux-gnueabihf-gcc', flags, { stdio: 'inherit' });
    return out;
  }));
}

/** The blocks of one run: arrays of instruction lines, each with the name of its `IN:` line. */
function blocksOf(bin, qemuArgs = []) {
  const cwd = mkdtempSync(join(tmpdir(), 'arm-disas-'));
  const log = join(cwd, 'in_asm.log');
  const args = existsSync(`${bin}.args`) ? readFileSync(`${bin}.args`, 'utf8').split('\n').filter((a) => a !== '') : [];
  const input = existsSync(`${bin}.stdin`) ? readFileSync(`${bin}.stdin`) : '';
  spawnSync('qemu-arm', [...qemuArgs, '-L', '/usr/arm-linux-gnueabihf', '-d', 'in_asm', '-D', log, bin, ...args],
    { cwd, input, timeout: 5000, stdio: ['pipe', 'ignore', 'ignore'] });
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
  rmSync(cwd, { recursive: true, force: true });
  const blocks = [];
  let cur = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('IN:')) blocks.push((cur = Object.assign([], { name: line.slice(4) })));
    else if (cur && LINE.test(line)) cur.push(line);
    else cur = line === '' ? null : cur;
  }
  return blocks;
}

/** Splits a block into groups: an IT instruction with the instructions it covers, or one line. */
function groupsOf(block) {
  const groups = [];
  for (let i = 0; i < block.length;) {
    const m = /^(it[te]{0,3}) /.exec(LINE.exec(block[i])[2]);
    const n = m ? m[1].length : 1; // IT and the 1-4 instructions it covers
    // An IT whose block ends before the instructions it covers is left out.
    if (i + n <= block.length) groups.push(block.slice(i, i + n));
    i += n;
  }
  return groups;
}

/** A line's text with registers and numbers abstracted (numbers by how they print: decimal,
 *  hex, negative), so that the fixture keeps a few lines of each kind rather than every one. */
const shapeOf = (line) => LINE.exec(line)[2]
  .replace(/\b(r\d+|sb|sl|fp|ip|sp|lr|pc|[sdq]\d+)\b/g, 'R')
  .replace(/#(-?)(0x)?[0-9a-f]+/g, (_m, neg, x) => `#${neg}${x ? 'x' : 'd'}`);
const PER_SHAPE = 2;

const seenBits = new Set();
const shapes = new Map();
const kept = [];
const fuzz = fuzzPrograms();
// The fuzzer's programs are run on the CPU it compares with (tests/fuzz/arm-harness.ts). The
// hand-written encodings are kept whole (every line of main, and only main), whatever their shapes.
const runs = [...binaries().map((bin) => [bin, [], false]), ...extraPrograms(fuzz.dir).map((bin) => [bin, [], true]),
  ...fuzz.bins.map((bin) => [bin, ['-cpu', 'cortex-a15'], false])];
for (const [bin, qemuArgs, whole] of runs) {
  let added = 0;
  for (const block of blocksOf(bin, qemuArgs).filter((b) => !whole || b.name === 'main')) {
    for (const group of groupsOf(block)) {
      const bits = group.map((l) => LINE.exec(l)[1]).join(' ');
      const shape = group.map(shapeOf).join('; ');
      const count = shapes.get(shape) ?? 0;
      if (seenBits.has(bits) || (count >= PER_SHAPE && !whole)) continue;
      seenBits.add(bits);
      shapes.set(shape, count + 1);
      kept.push(group.join('\n'));
      added++;
    }
  }
  console.log(`${bin.startsWith(BINS) ? bin.slice(BINS.length + 1) : bin}: ${added} new`);
}
rmSync(fuzz.dir, { recursive: true, force: true });
writeFileSync(OUT, `${kept.join('\n')}\n`);
console.log(`${kept.length} groups -> ${OUT}`);
