// The Thumb decode tables: every row reachable (no row wholly covered by an earlier one), and
// GNU as encodings of each T16 and T32 form decoding to the intended row.
import { afterAll, describe, expect, it } from 'vitest';
import { ArmPattern, findPattern } from '../../src/target/arm/decode.js';
import { T16_PATTERNS } from '../../src/target/arm/t16.js';
import { T32_PATTERNS } from '../../src/target/arm/t32.js';
import { isThumb32 } from '../../src/target/arm/thumb-decode.js';
import { asm, saveAsmCache } from './arm-rig.js';

afterAll(saveAsmCache);

/** Rows that an earlier row matches in full (the first match wins, so they could never). */
function shadowed(table: ArmPattern[]): string[] {
  const out: string[] = [];
  table.forEach((p, i) => {
    const by = table.slice(0, i).find((q) => ((q.mask & p.mask) >>> 0) === q.mask && ((p.match & q.mask) >>> 0) === q.match);
    if (by) out.push(`${p.name} (by ${by.name})`);
  });
  return out;
}

// [assembly, row] in order; .n / .w pick the encoding where GNU as could choose either.
const CASES: [string, string][] = [
  ['lsls r1, r2, #3', 'lsl_imm'], ['lsrs r1, r2, #32', 'lsr_imm'], ['asrs r1, r2, #1', 'asr_imm'],
  ['adds r1, r2, r3', 'add_reg'], ['subs r1, r2, r3', 'sub_reg'], ['adds r1, r2, #7', 'add_imm3'],
  ['subs r1, r2, #7', 'sub_imm3'], ['movs r1, #200', 'mov_imm'], ['cmp r1, #200', 'cmp_imm'],
  ['adds r1, #200', 'add_imm8'], ['subs r1, #200', 'sub_imm8'], ['ands r1, r2', 'and_reg'],
  ['eors r1, r2', 'eor_reg'], ['lsls r1, r2', 'lsl_reg'], ['lsrs r1, r2', 'lsr_reg'],
  ['asrs r1, r2', 'asr_reg'], ['adcs r1, r2', 'adc_reg'], ['sbcs r1, r2', 'sbc_reg'],
  ['rors r1, r2', 'ror_reg'], ['tst r1, r2', 'tst_reg'], ['negs r1, r2', 'rsb_imm'],
  ['cmp r1, r2', 'cmp_reg'], ['cmn r1, r2', 'cmn_reg'], ['orrs r1, r2', 'orr_reg'],
  ['muls r1, r2, r1', 'mul'], ['bics r1, r2', 'bic_reg'], ['mvns r1, r2', 'mvn_reg'],
  ['add r8, r9', 'add_hi'], ['cmp r8, r9', 'cmp_hi'], ['mov r8, r9', 'mov_hi'], ['bx lr', 'bx'],
  ['blx r3', 'blx_reg'], ['ldr r1, [pc, #8]', 'ldr_lit'], ['str r1, [r2, r3]', 'str_reg'],
  ['strh r1, [r2, r3]', 'strh_reg'], ['strb r1, [r2, r3]', 'strb_reg'], ['ldrsb r1, [r2, r3]', 'ldrsb_reg'],
  ['ldr r1, [r2, r3]', 'ldr_reg'], ['ldrh r1, [r2, r3]', 'ldrh_reg'], ['ldrb r1, [r2, r3]', 'ldrb_reg'],
  ['ldrsh r1, [r2, r3]', 'ldrsh_reg'], ['str r1, [r2, #124]', 'str_imm'], ['ldr r1, [r2, #124]', 'ldr_imm'],
  ['strb r1, [r2, #31]', 'strb_imm'], ['ldrb r1, [r2, #31]', 'ldrb_imm'], ['strh r1, [r2, #62]', 'strh_imm'],
  ['ldrh r1, [r2, #62]', 'ldrh_imm'], ['str r1, [sp, #1020]', 'str_sp'], ['ldr r1, [sp, #1020]', 'ldr_sp'],
  ['.inst.n 0xa110', 'adr'], ['add r1, sp, #1020', 'add_sp_imm'], ['add sp, #508', 'add_sp_imm7'],
  ['sub sp, #508', 'sub_sp_imm7'], ['cbnz r1, .+20', 'cbz'], ['sxth r1, r2', 'sxth'], ['sxtb r1, r2', 'sxtb'],
  ['uxth r1, r2', 'uxth'], ['uxtb r1, r2', 'uxtb'], ['push {r1, lr}', 'push'], ['rev r1, r2', 'rev'],
  ['rev16 r1, r2', 'rev16'], ['revsh r1, r2', 'revsh'], ['pop {r1, pc}', 'pop'], ['bkpt #1', 'bkpt'],
  ['yield', 'hint'], ['ite gt', 'it'], ['movgt r1, r2', 'mov_hi'], ['movle r1, r2', 'mov_hi'],
  ['stm r1!, {r2, r3}', 'stm'], ['ldm r1, {r1, r3}', 'ldm'], ['udf #9', 'udf'], ['svc #0', 'svc'],
  ['bvs .+4', 'b_cond'], ['b .-100', 'b'],
  ['stm.w r1!, {r2, r3}', 'stm'], ['ldm.w r1, {r2, lr}', 'ldm'], ['stmdb r1, {r2, r3}', 'stmdb'],
  ['ldmdb r1!, {r2, r3}', 'ldmdb'], ['strex r1, r2, [r3, #8]', 'strex'], ['ldrex r1, [r3]', 'ldrex'],
  ['strexb r1, r2, [r3]', 'strexb'], ['strexh r1, r2, [r3]', 'strexh'], ['strexd r1, r2, r3, [r4]', 'strexd'],
  ['tbh [r1, r2, lsl #1]', 'tbb'], ['ldrexb r1, [r3]', 'ldrexb'], ['ldrexh r1, [r3]', 'ldrexh'],
  ['ldrexd r1, r2, [r3]', 'ldrexd'], ['strd r1, r2, [r3, #-8]!', 'strd'], ['ldrd r1, r2, [r3], #8', 'ldrd'],
  ['tst.w r1, r2, lsl #3', 'tst_reg'], ['and r1, r2, r3, ror #9', 'and_reg'], ['bics r1, r2, r3, rrx', 'bic_reg'],
  ['mov.w r1, r2, asr #9', 'mov_reg'], ['orr r9, r2, r3', 'orr_reg'], ['mvn r9, r3', 'mvn_reg'],
  ['orn r1, r2, r3', 'orn_reg'], ['teq r1, r2', 'teq_reg'], ['eor r9, r2, r3', 'eor_reg'],
  ['pkhtb r1, r2, r3, asr #7', 'pkh'], ['cmn.w r1, r2, lsl #1', 'cmn_reg'], ['add.w r1, r2, r3, lsr #2', 'add_reg'],
  ['adc.w r1, r2, r3', 'adc_reg'], ['sbc.w r1, r2, r3', 'sbc_reg'], ['cmp.w r1, r2, lsl #1', 'cmp_reg'],
  ['sub.w r9, r2, r3', 'sub_reg'], ['rsb r1, r2, r3', 'rsb_reg'], ['mrc p15, 0, r0, c13, c0, 3', 'mrc'],
  ['tst.w r1, #0x100', 'tst_imm'], ['and r1, r2, #0xff00ff00', 'and_imm'], ['bic r1, r2, #1', 'bic_imm'],
  ['mov.w r1, #0x12001200', 'mov_imm'], ['orr r1, r2, #0x80000000', 'orr_imm'], ['mvn r1, #7', 'mvn_imm'],
  ['orn r1, r2, #7', 'orn_imm'], ['teq r1, #7', 'teq_imm'], ['eor r1, r2, #7', 'eor_imm'], ['cmn.w r1, #7', 'cmn_imm'],
  ['add.w r1, r2, #0x3fc', 'add_imm'], ['adc r1, r2, #7', 'adc_imm'], ['sbc r1, r2, #7', 'sbc_imm'],
  ['cmp.w r1, #0x3fc', 'cmp_imm'], ['subs.w r1, r2, #7', 'sub_imm'], ['rsb r1, r2, #7', 'rsb_imm'],
  ['addw r1, r2, #4095', 'addw'], ['movw r1, #0xbeef', 'movw'], ['subw r1, r2, #4095', 'subw'],
  ['movt r1, #0xdead', 'movt'], ['ssat16 r1, #9, r2', 'ssat16'], ['ssat r1, #9, r2, asr #3', 'ssat'],
  ['sbfx r1, r2, #3, #9', 'sbfx'], ['bfc r1, #3, #9', 'bfc'], ['bfi r1, r2, #3, #9', 'bfi'],
  ['usat16 r1, #9, r2', 'usat16'], ['usat r1, #9, r2, lsl #3', 'usat'], ['ubfx r1, r2, #3, #9', 'ubfx'],
  ['msr APSR_nzcvq, r1', 'msr'], ['nop.w', 'hint'], ['clrex', 'clrex'], ['dmb ish', 'barrier'],
  ['isb', 'barrier'], ['mrs r1, apsr', 'mrs'], ['udf.w #300', 'udf'], ['bne.w .+1000', 'b_cond'],
  ['b.w .+100000', 'b'], ['blx .+100', 'blx_imm'], ['bl .-100000', 'bl'],
  ['pld [r1, #8]', 'pld'], ['pli [r1, r2]', 'pld'], ['pld [pc, #-12]', 'pld'],
  ['ldr.w r1, [pc, #-8]', 'ldr_lit'], ['ldrsh r1, [pc, #8]', 'ldrsh_lit'], ['strb.w r1, [r2, #4095]', 'strb_imm12'],
  ['strh r1, [r2, #-4]!', 'strh_imm8'], ['str.w r1, [r2, r3, lsl #3]', 'str_reg'], ['ldrbt r1, [r2, #4]', 'ldrb_imm8'],
  ['ldrh.w r1, [r2, #4095]', 'ldrh_imm12'], ['ldrsb r1, [r2], #-255', 'ldrsb_imm8'], ['ldr.w pc, [sp], #4', 'ldr_imm8'],
  ['lsls.w r1, r2, r3', 'shift_reg'], ['sxth.w r1, r2, ror #8', 'sxth'], ['sxtah r1, r2, r3', 'sxtah'],
  ['uxth.w r1, r2', 'uxth'], ['uxtah r1, r2, r3', 'uxtah'], ['sxtb16 r1, r2', 'sxtb16'], ['sxtab16 r1, r2, r3', 'sxtab16'],
  ['uxtb16 r1, r2', 'uxtb16'], ['uxtab16 r1, r2, r3', 'uxtab16'], ['sxtb.w r1, r2', 'sxtb'], ['sxtab r1, r2, r3', 'sxtab'],
  ['uxtb.w r1, r2', 'uxtb'], ['uxtab r1, r2, r3, ror #24', 'uxtab'], ['uqsub8 r1, r2, r3', 'parallel'],
  ['shasx r1, r2, r3', 'parallel'], ['qadd r1, r2, r3', 'qadd'], ['qdadd r1, r2, r3', 'qdadd'], ['qsub r1, r2, r3', 'qsub'],
  ['qdsub r1, r2, r3', 'qdsub'], ['rev.w r1, r2', 'rev'], ['rev16.w r1, r2', 'rev16'], ['rbit r1, r2', 'rbit'],
  ['revsh.w r1, r2', 'revsh'], ['sel r1, r2, r3', 'sel'], ['clz r1, r2', 'clz'], ['mul r1, r2, r3', 'mul'],
  ['mla r1, r2, r3, r4', 'mla'], ['mls r1, r2, r3, r4', 'mls'], ['smultb r1, r2, r3', 'smulxy'],
  ['smlatt r1, r2, r3, r4', 'smlaxy'], ['smuadx r1, r2, r3', 'smuad'], ['smlad r1, r2, r3, r4', 'smlad'],
  ['smulwt r1, r2, r3', 'smulwy'], ['smlawb r1, r2, r3, r4', 'smlawy'], ['smusd r1, r2, r3', 'smusd'],
  ['smlsdx r1, r2, r3, r4', 'smlsd'], ['smmulr r1, r2, r3', 'smmul'], ['smmla r1, r2, r3, r4', 'smmla'],
  ['smmlsr r1, r2, r3, r4', 'smmls'], ['usad8 r1, r2, r3', 'usad8'], ['usada8 r1, r2, r3, r4', 'usada8'],
  ['smull r1, r2, r3, r4', 'smull'], ['sdiv r1, r2, r3', 'sdiv'], ['umull r1, r2, r3, r4', 'umull'],
  ['udiv r1, r2, r3', 'udiv'], ['smlal r1, r2, r3, r4', 'smlal'], ['smlalbt r1, r2, r3, r4', 'smlalxy'],
  ['smlaldx r1, r2, r3, r4', 'smlald'], ['smlsld r1, r2, r3, r4', 'smlsld'], ['umlal r1, r2, r3, r4', 'umlal'],
  ['umaal r1, r2, r3, r4', 'umaal'],
];

describe('Thumb decode tables', () => {
  it('have no row that an earlier row hides', () => {
    expect(shadowed(T16_PATTERNS)).toEqual([]);
    expect(shadowed(T32_PATTERNS)).toEqual([]);
  });

  it('decode each GNU as encoding to its row', () => {
    const code = Buffer.from(asm(CASES.map(([src]) => src).join('\n'), true));
    const names: string[] = [];
    for (let at = 0; at < code.length;) {
      const hw1 = code.readUInt16LE(at);
      const wide = isThumb32(hw1);
      const insn = wide ? ((hw1 << 16) | code.readUInt16LE(at + 2)) >>> 0 : hw1;
      names.push(findPattern([wide ? T32_PATTERNS : T16_PATTERNS], insn)?.name ?? `? ${insn.toString(16)}`);
      at += wide ? 4 : 2;
    }
    expect(names).toEqual(CASES.map(([, name]) => name));
  });
});
