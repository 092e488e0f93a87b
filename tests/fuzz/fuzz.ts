// The fuzzing loop: batches of random sequences run under qemu and tsemu, every mismatch
// minimised to the shortest sequence that still shows it, and checked against the recorded
// qemu differences.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuzzArch } from './arch.js';
import { knownDifference } from './known-qemu-differences.js';
import { Prng } from './prng.js';
import { BackendName, compareRuns, Outcome, runQemu, runTsemu, TIERED_PASSES, writeProgram } from './runner.js';
import { insnCount, Item, Sequence } from './sequence.js';

export interface FuzzOptions {
  arch: FuzzArch;
  seed: number;
  /** Random instructions to run in all (rounded up to whole batches). */
  count: number;
  /** Items per sequence. */
  length: number;
  /** Sequences per guest program. */
  batch: number;
  exts: readonly string[];
  backends: readonly BackendName[];
  log?: (line: string) => void;
}

export interface Mismatch {
  backend: BackendName;
  /** Where the generator made it: batch number and sequence index in the batch. */
  batch: number;
  index: number;
  /** The minimised sequence (its last item holds the first differing instruction) and how its
   *  state differs from qemu's. */
  items: Item[];
  outcome: Outcome;
  /** Initial values of the registers the first differing instruction names. */
  inputs: string[];
  /** Set when this is a recorded qemu difference. */
  known?: string;
}

export interface FuzzReport { instructions: number; sequences: number; mismatches: Mismatch[]; qemuFailures: string[] }

export function generate(arch: FuzzArch, p: Prng, length: number, exts: readonly string[]): Sequence {
  const first = p.pick(exts);
  const pool = exts.filter((e) => arch.sameMode(e, first));
  const init = arch.initState(p, first);
  const items = Array.from({ length }, () => arch.item(p, p.pick(pool)));
  return { items, init };
}

/** Runs candidate sequences (one program) under qemu and one backend; which of them differ. */
class Checker {
  constructor(readonly arch: FuzzArch, readonly dir: string) {}
  private n = 0;

  async outcomes(seqs: Sequence[], backend: BackendName): Promise<{ outcomes: Outcome[]; qemuError?: string }> {
    const passes = backend === 'tiered' ? TIERED_PASSES : 1;
    const tag = this.n++;
    const one = writeProgram(this.dir, `b${tag}`, this.arch.build(seqs, 1));
    const many = passes === 1 ? one : writeProgram(this.dir, `b${tag}p`, this.arch.build(seqs, passes));
    const [want, got] = await Promise.all([runQemu(this.arch, one), runTsemu(this.arch, backend, many)]);
    rmSync(one, { force: true });
    rmSync(many, { force: true });
    if (want.status !== 0 || want.out.length !== seqs.length * this.arch.recordSize) {
      return { outcomes: [], qemuError: `qemu status ${want.status}, ${want.out.length / this.arch.recordSize} records: ${want.stderr.trim()}` };
    }
    return { outcomes: compareRuns(this.arch, seqs.length, want.out, got, passes) };
  }

  /** For each candidate: whether it still shows a mismatch (a crash counts for the candidate it
   *  happened in; the ones after it count as passing). */
  async failing(seqs: Sequence[], backend: BackendName): Promise<boolean[]> {
    const { outcomes } = await this.outcomes(seqs, backend);
    const bad = new Set(outcomes.map((o) => o.index));
    return seqs.map((_, i) => bad.has(i));
  }
}

/** The shortest prefix that still fails (so its last item is the first differing one), then
 *  earlier items dropped while it keeps failing. */
async function minimise(c: Checker, seq: Sequence, backend: BackendName): Promise<Item[]> {
  const prefixes = seq.items.map((_, k) => ({ items: seq.items.slice(0, k + 1), init: seq.init }));
  const fails = await c.failing(prefixes, backend);
  const first = fails.indexOf(true);
  let items = first < 0 ? seq.items : seq.items.slice(0, first + 1);
  for (;;) {
    const without = items.slice(0, -1).map((_, k) => ({ items: items.filter((_, j) => j !== k), init: seq.init }));
    if (without.length === 0) break;
    const still = await c.failing(without, backend);
    const drop = still.flatMap((f, k) => (f ? [k] : []));
    if (drop.length === 0) break;
    const all = items.filter((_, j) => !drop.includes(j));
    const [allFails] = drop.length > 1 ? await c.failing([{ items: all, init: seq.init }], backend) : [true];
    items = allFails ? all : without[drop[0]].items;
  }
  return items;
}

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const { arch, log = () => {} } = o;
  const dir = mkdtempSync(join(tmpdir(), `tsemu-fuzz-${arch.name}-`));
  const c = new Checker(arch, dir);
  const top = new Prng(o.seed);
  const report: FuzzReport = { instructions: 0, sequences: 0, mismatches: [], qemuFailures: [] };
  try {
    for (let b = 0; report.instructions < o.count; b++) {
      const p = top.fork();
      const seqs = Array.from({ length: o.batch }, () => generate(arch, p, o.length, o.exts));
      report.instructions += seqs.reduce((n, s) => n + insnCount(s.items), 0);
      report.sequences += seqs.length;
      for (const backend of o.backends) {
        // After a crash the rest of the batch runs again without the sequence that crashed.
        for (let from = 0; from < seqs.length;) {
          const part = seqs.slice(from);
          const { outcomes, qemuError } = await c.outcomes(part, backend);
          if (qemuError) { report.qemuFailures.push(`batch ${b} from ${from}: ${qemuError}`); break; }
          const seen = new Set<number>();
          for (const out of outcomes) {
            if (seen.has(out.index)) continue;
            seen.add(out.index);
            const index = from + out.index;
            const items = await minimise(c, seqs[index], backend);
            const { outcomes: [final] } = await c.outcomes([{ items, init: seqs[index].init }], backend);
            const m: Mismatch = { backend, batch: b, index, items, outcome: final ?? out, inputs: arch.inputs(seqs[index].init, items.at(-1)!.insns.map((i) => i.text).join(' ')) };
            m.known = knownDifference(arch.name, items, m.outcome);
            report.mismatches.push(m);
            log(formatMismatch(m));
          }
          const crash = outcomes.find((x) => x.crash);
          from = crash ? from + crash.index + 1 : seqs.length;
        }
      }
      const known = report.mismatches.filter((m) => m.known).length;
      log(`batch ${b}: ${report.instructions} instructions, ${report.mismatches.length - known} mismatches, ${known} known qemu differences`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

export function formatMismatch(m: Mismatch): string {
  const lines = [`${m.known ? 'known qemu difference' : 'MISMATCH'} under -backend ${m.backend} (batch ${m.batch}, sequence ${m.index}, ${m.outcome.pass} pass)${m.known ? `: ${m.known}` : ''}`];
  m.items.forEach((it, k) => {
    for (const insn of it.insns) {
      const hexBytes = Buffer.from(insn.bytes).reverse().toString('hex');
      lines.push(`  ${k === m.items.length - 1 ? '>' : ' '} ${hexBytes.padStart(8)}  ${insn.text}`);
    }
  });
  lines.push(`  inputs: ${m.inputs.join(' ')}`);
  if (m.outcome.crash) lines.push(`  tsemu ended early: ${m.outcome.crash}`);
  for (const d of m.outcome.diffs) lines.push(`  ${d.name}: qemu ${d.want}, tsemu ${d.got}`);
  return lines.join('\n');
}
