// VFP instructions against vectors produced by qemu-arm running tests/unit/data/arm-vfp-oracle.c
// (edge and random operands, every rounding mode, with and without FZ and DN): each instruction
// is assembled, decoded and run by the frontend (interpreter backend), and the result register
// and the whole FPSCR (NZCV and the cumulative flags) must match. Each case also runs with IXC
// already set, the state in which the translated code takes its inline fast paths (and with
// round to nearest and no FZ: the modes cycle), whose edges the last 128 cases of each
// arithmetic instruction probe (results one rounding from overflow, exact results).
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { DREG, FPSCR } from '../../src/target/arm/cpu-state.js';
import { ArmRig } from './arm-rig.js';
import { saveVfpAsmCache, vfpAsm } from './arm-vfp-asm.js';

afterAll(saveVfpAsmCache);

const lines = gunzipSync(readFileSync(new URL('./data/arm-vfp-oracle.txt.gz', import.meta.url)))
  .toString().trim().split('\n');
const insns = new Map<string, string>();
const cases = new Map<string, string[]>();
for (const l of lines) {
  if (l.startsWith('#op ')) {
    const [, name, ...insn] = l.split(' ');
    insns.set(name, insn.join(' '));
    cases.set(name, []);
  } else {
    cases.get(l.slice(0, l.indexOf(' ')))!.push(l);
  }
}

/** Runs an instruction's cases; returns the mismatches. */
function check(rig: ArmRig, insn: string, thumb: boolean, list: string[]): string[] {
  const v = rig.mem.view;
  rig.load(vfpAsm(insn, thumb), thumb);
  const bad: string[] = [];
  for (const l of list) {
    const [, modeS, aS, bS, cS, resS, fpscrS] = l.split(' ');
    for (const ixc of [0, 0x10]) {
      rig.reset();
      v.setUint32(rig.env + FPSCR, parseInt(modeS, 16) | ixc, true);
      v.setBigUint64(rig.env + DREG(0), BigInt('0x' + aS), true);
      v.setBigUint64(rig.env + DREG(1), BigInt('0x' + bS), true);
      v.setBigUint64(rig.env + DREG(3), BigInt('0x' + cS), true);
      expect(rig.run()).toBe(ExitReason.Next);
      const res = v.getBigUint64(rig.env + DREG(3), true);
      const fpscr = v.getUint32(rig.env + FPSCR, true);
      if (res !== BigInt('0x' + resS) || fpscr !== (parseInt(fpscrS, 16) | ixc) >>> 0) {
        bad.push(`${l}${ixc ? ' (IXC set)' : ''}  => got ${res.toString(16)} ${fpscr.toString(16)}`);
      }
    }
  }
  return bad;
}

describe('VFP instructions match qemu-arm (A32, interpreter)', () => {
  const rig = new ArmRig('interp');
  for (const [op, insn] of insns) {
    it(`${op}: ${insn}`, () => {
      expect(check(rig, insn, false, cases.get(op)!).slice(0, 8)).toEqual([]);
    });
  }
});

// The T32 encodings of the same instructions under the wasm backend (its float ops and helper
// calls): a sample of each, the fast paths' edge cases included.
describe('VFP instructions match qemu-arm (T32, wasm)', () => {
  const rig = new ArmRig('wasm');
  for (const [op, insn] of insns) {
    it(`${op}: ${insn}`, () => {
      const list = cases.get(op)!;
      const sample = [...list.slice(0, 40), ...list.slice(81, 121), ...list.slice(-128)];
      expect(check(rig, insn, true, sample).slice(0, 8)).toEqual([]);
    });
  }
});
