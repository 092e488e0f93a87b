// `-d helpers`: the helper calls per million guest instructions of real guest programs
// (src/tcg/helper-stats.ts). A helper call is a trip from generated code into JavaScript, what
// an operation without an inline IR lowering costs; the ceilings below make a frontend change
// that puts one on a hot path fail here, instead of showing up only as a slower `npm run bench`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARM, GuestArch, ROOT, RISCV64 } from './guest-bins/corpus.js';

interface Report { insns: number; rows: { name: string; calls: number; perMillion: string }[]; total: number; totalPer: string }

// A fixed environment: the guest's start-up walks its environment, so the instruction count of
// the same program differs by a few instructions per byte of a different environment.
const ENV = { PATH: '/usr/bin:/bin', LANG: 'C' };

function run(arch: GuestArch, prog: string, opts: string[]): { log: string; stdout: string; status: number | null } {
  const log = join(mkdtempSync(join(tmpdir(), 'tsemu-helpers-')), 'log');
  const r = spawnSync('node', [arch.cli, ...opts, '-D', log, prog], { cwd: ROOT, encoding: 'utf8', env: ENV, maxBuffer: 1 << 26 });
  return { log: readFileSync(log, 'utf8'), stdout: r.stdout, status: r.status };
}

/** Parses the report, checking each line's shape on the way. */
function parse(log: string): Report {
  const at = log.indexOf('helper calls: ');
  expect(at).toBeGreaterThanOrEqual(0);
  const lines = log.slice(at).trimEnd().split('\n');
  const head = /^helper calls: (\d+) guest instructions$/.exec(lines[0]);
  expect(head, lines[0]).not.toBeNull();
  expect(lines[1]).toMatch(/^helper +calls +per Minsn$/);
  const row = (l: string) => {
    const m = /^(\S+) +(\d+) +(\d+\.\d)$/.exec(l);
    expect(m, l).not.toBeNull();
    return { name: m![1], calls: Number(m![2]), perMillion: m![3] };
  };
  const rows = lines.slice(2, -1).map(row);
  const total = row(lines[lines.length - 1]);
  expect(total.name).toBe('total');
  return { insns: Number(head![1]), rows, total: total.calls, totalPer: total.perMillion };
}

const perMillion = (calls: number, insns: number): string => ((calls * 1e6) / insns).toFixed(1);

/** Ceilings of the total helper calls per million guest instructions, under the default
 *  backend. Measured on 2026-12-05 (the rate does not depend on the backend or the machine:
 *  the counts are exact and these programs deterministic, CoreMark but for its few timing
 *  lines): riscv64 coremark 0.0014 (6 calls in 4.25e9 instructions: int to double
 *  conversions and a divide for its report), nbody 99.3 (fmadd_d 76.7, fnmsub_d 22.6: the
 *  fused multiply-adds' exact path), 0.007 with the host's fused multiply-add (4 calls;
 *  src/tcg/host-fma.ts; the ceiling stays for a host without one), kernels 141.2 (fmadd_d 79.0, fcvt_d_w 61.3), then 79.9 once
 *  fcvt.d.w became IR (fmadd_d 79.0); arm
 *  coremark 0.0017 (6 in 3.6e9), nbody 0.007 (4 vfp_mla_d in 5.7e8), kernels 84.7
 *  (vfp_fromint_d 56.1, vfp_mla_d 27.7), then 28.5 once VCVT.F64 from an integer became IR
 *  (vfp_mla_d 27.7, vfp_mul_d 0.7); string_mem 0 on riscv64, on arm 293 (glibc's NEON memchr:
 *  neon_padd 195.3, neon_ceq 97.6), then 0 once VPADD and VCEQ became IR. A ceiling is the measure plus about 10%, and 1 where it
 *  was near 0: one helper call per iteration of a hot loop adds tens of thousands. */
const CEILINGS: Record<GuestArch['name'], [prog: string, ceiling: number][]> = {
  riscv64: [['bench/riscv64/coremark', 1], ['bench/riscv64/nbody', 110], ['tests/guest-bins/riscv64/kernels', 88],
    ['tests/guest-bins/riscv64/string_mem', 1]],
  arm: [['bench/arm/coremark', 1], ['bench/arm/nbody', 1], ['tests/guest-bins/arm/kernels', 32],
    ['tests/guest-bins/arm/string_mem', 1]],
};

describe.each([RISCV64, ARM])('-d helpers ($name)', (arch) => {
  const kernels = `tests/guest-bins/${arch.name}/kernels`;

  it('writes a table sorted by calls whose rows add up to the total line', () => {
    const r = run(arch, kernels, ['-d', 'helpers']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, `${kernels}.stdout`), 'utf8'));
    const rep = parse(r.log);
    expect(rep.insns).toBeGreaterThan(5_000_000);
    // The program multiply-adds doubles in its loops, some through the helpers behind
    // inline-fp.ts's fast paths (ARM's VMLA, RISC-V's fmadd.d).
    expect(rep.rows.length).toBeGreaterThan(1);
    expect(rep.rows.map((x) => x.name)).toContain(arch.name === 'arm' ? 'vfp_mla_d' : 'fmadd_d');
    for (let i = 1; i < rep.rows.length; i++) expect(rep.rows[i - 1].calls).toBeGreaterThanOrEqual(rep.rows[i].calls);
    for (const x of rep.rows) {
      expect(x.calls).toBeGreaterThan(0);
      expect(x.perMillion).toBe(perMillion(x.calls, rep.insns));
    }
    expect(rep.total).toBe(rep.rows.reduce((s, x) => s + x.calls, 0));
    expect(rep.totalPer).toBe(perMillion(rep.total, rep.insns));
  });

  it('counts the same instructions and calls under interp, wasm and tiered', () => {
    const reports = (['interp', 'wasm', 'tiered'] as const).map((b) => {
      const r = run(arch, kernels, ['-backend', b, '-d', 'helpers']);
      expect(r.status, b).toBe(0);
      return parse(r.log);
    });
    expect(reports[1]).toEqual(reports[0]);
    expect(reports[2]).toEqual(reports[0]);
  });

  it('counts each instruction executed: as many as a trace of one-instruction blocks runs', () => {
    // Whole blocks compiled to wasm, counted at their exits, against a trace of blocks of one
    // instruction (interpreted, each one back in the loop), the same run of the guest. A
    // Thumb IT block stays one block whatever the limit, so each traced block counts as many
    // instructions as its -d in_asm listing has lines.
    const prog = `tests/guest-bins/${arch.name}/control_flow`;
    const counted = parse(run(arch, prog, ['-backend', 'wasm', '-d', 'helpers']).log).insns;
    const log = run(arch, prog, ['-backend', 'interp', '-one-insn-per-tb', '-d', 'in_asm,exec']).log.split('\n');
    const insnsAt = new Map<number, number>();
    let traced = 0, blocks = 0;
    log.forEach((l, i) => {
      if (l.startsWith('IN:')) {
        let n = 0;
        while (log[i + 1 + n].startsWith('0x')) n++;
        insnsAt.set(parseInt(log[i + 1], 16), n);
      } else if (l.startsWith('Trace ')) {
        // The trace's pc has the Thumb bit, the listing's not.
        traced += insnsAt.get(parseInt(/\[([0-9a-f]+)\]/.exec(l)![1], 16) & ~1)!;
        blocks++;
      }
    });
    expect(blocks).toBeGreaterThan(100_000);
    expect(counted).toBe(traced);
  });

  it('adds nothing to the generated code when the item is off', () => {
    const prog = `tests/guest-bins/${arch.name}/hello`;
    expect(run(arch, prog, ['-d', 'op']).log).not.toContain('insn_count');
    expect(run(arch, prog, ['-d', 'op,helpers']).log).toContain('insn_count');
  });

  it.each(CEILINGS[arch.name])('%s stays under its ceiling of %d helper calls per million instructions', (prog, ceiling) => {
    const r = run(arch, prog, ['-d', 'helpers']);
    expect(r.status).toBe(0);
    const rep = parse(r.log);
    expect(rep.insns).toBeGreaterThan(5_000_000);
    expect((rep.total * 1e6) / rep.insns).toBeLessThan(ceiling);
  });
});
