// Mismatches the fuzzer found, minimised, as fixed cases for the normal test run: the
// instructions (hex as disassemblers print them: a 32-bit Thumb instruction as its two
// halfwords), the registers they read (everything else starts at zero), and the parts of the
// state they must leave as qemu does, or as the manual says where qemu is wrong (`manual`).

export interface RegressionCase {
  arch: 'riscv64' | 'arm';
  name: string;
  /** A32 words, riscv words or halfwords ("4 hex digits"), Thumb halfword pairs ("f8dd f100"). */
  code: string[];
  thumb?: boolean;
  inputs: Record<string, bigint>;
  expect: Record<string, bigint>;
  /** The expectation follows the manual against qemu 7.2 (a known qemu difference). */
  manual?: string;
}

export const REGRESSION_CASES: RegressionCase[] = [
  {
    arch: 'riscv64', name: 'ctzw of a value whose low word is zero is 32', code: ['6018161b'], // ctzw x12, x16
    inputs: { x16: 1n << 44n }, expect: { x12: 32n },
    manual: 'Zbb 1.0.0 ctzw: counts in rs1[31:0] only; qemu 7.2 counts all 64 bits',
  },
  {
    arch: 'arm', name: 'VMLA.F32 sets IDC for a denormal addend beside a NaN product', code: ['f2023d10'], // vmla.f32 d3, d2, d0
    inputs: { d3: 0xffffn, d2: 0xfb804b71425d0274n, d0: 0xbffffffffffffffdn, fpscr: 0xa1c00017n },
    expect: { fpscr: 0xa1c00097n, d3: 0x7c004b707fc00000n },
  },
  {
    arch: 'arm', name: 'VMLA.F32 keeps the product overflow flags when the addend is a NaN', code: ['f24c4d32'], // vmla.f32 d20, d12, d18
    inputs: { d20: 0x7fc000007fc00000n, d12: 0x7f7fffff7f7fffffn, d18: 0x4000000040000000n },
    expect: { fpscr: 0x14n, d20: 0x7fc000007fc00000n }, // OFC, IXC; default NaNs
  },
  {
    arch: 'arm', name: 'VCEQ.F32 sets IDC for a denormal beside a NaN', code: ['f202ae84'], // vceq.f32 d10, d18, d4
    inputs: { d18: 0xffffffffffffffc3n, d4: 0x13ab90ddf3n },
    expect: { fpscr: 0x80n, d10: 0x0n },
  },
  {
    // The replicated zero forms of ThumbExpandImm are UNPREDICTABLE; qemu-arm runs them as 0.
    arch: 'arm', name: 'Thumb ADC with a replicated zero immediate runs as #0', code: ['f145 2700'], thumb: true, // adc r7, r5, #0 (imm12 0x200)
    inputs: { r5: 0x1df63e3cn },
    expect: { r7: 0x1df63e3cn }, // carry clear
  },
];
