// RV64C: every compressed instruction must expand to the operands of its 32-bit equivalent and use
// the same translate function. The pairs were produced by GNU as (binutils 2.40, -march=rv64gc):
// each c.* form and its spelled-out 32-bit instruction, assembled and linked back to back.
import { describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { Args, decode16, decode32, extract } from '../../src/target/riscv/decode.js';
import { EXCEPTION, EXC_BREAKPOINT, EXC_ILLEGAL_INSN } from '../../src/target/riscv/cpu-state.js';
import { RVC_PATTERNS } from '../../src/target/riscv/rvc.js';
import { RVI_PATTERNS } from '../../src/target/riscv/rvi.js';
import { BACKENDS, CODE, DATA, Half, I, Rig } from './riscv-int-rig.js';

const PAIRS: [number, number][] = [
  [0x0034, 0x00810693], // c.addi4spn a3,sp,8
  [0x0818, 0x01010713], // c.addi4spn a4,sp,16
  [0x0040, 0x00410413], // c.addi4spn s0,sp,4
  [0x4104, 0x00052483], // c.lw s1,0(a0)
  [0xc104, 0x00952023], // c.sw s1,0(a0)
  [0x4240, 0x00462403], // c.lw s0,4(a2)
  [0xc240, 0x00862223], // c.sw s0,4(a2)
  [0x402c, 0x04042583], // c.lw a1,64(s0)
  [0xc02c, 0x04b42023], // c.sw a1,64(s0)
  [0x5de4, 0x07c5a483], // c.lw s1,124(a1)
  [0xdde4, 0x0695ae23], // c.sw s1,124(a1)
  [0x6018, 0x00043703], // c.ld a4,0(s0)
  [0xe018, 0x00e43023], // c.sd a4,0(s0)
  [0x640c, 0x00843583], // c.ld a1,8(s0)
  [0xe40c, 0x00b43423], // c.sd a1,8(s0)
  [0x6058, 0x08043703], // c.ld a4,128(s0)
  [0xe058, 0x08e43023], // c.sd a4,128(s0)
  [0x7fe4, 0x0f87b483], // c.ld s1,248(a5)
  [0xffe4, 0x0e97bc23], // c.sd s1,248(a5)
  [0x1881, 0xfe088893], // c.addi a7,-32
  [0x3881, 0xfe08889b], // c.addiw a7,-32
  [0x5881, 0xfe000893], // c.li a7,-32
  [0x18fd, 0xfff88893], // c.addi a7,-1
  [0x38fd, 0xfff8889b], // c.addiw a7,-1
  [0x58fd, 0xfff00893], // c.li a7,-1
  [0x0785, 0x00178793], // c.addi a5,1
  [0x2785, 0x0017879b], // c.addiw a5,1
  [0x4785, 0x00100793], // c.li a5,1
  [0x01fd, 0x01f18193], // c.addi gp,31
  [0x21fd, 0x01f1819b], // c.addiw gp,31
  [0x41fd, 0x01f00193], // c.li gp,31
  [0x0001, 0x00000013], // c.addi zero,0
  [0x7101, 0xe0010113], // c.addi16sp sp,-512
  [0x6141, 0x01010113], // c.addi16sp sp,16
  [0x617d, 0x1f010113], // c.addi16sp sp,496
  [0x717d, 0xff010113], // c.addi16sp sp,-16
  [0x6085, 0x000010b7], // c.lui ra,0x1
  [0x657d, 0x0001f537], // c.lui a0,0x1f
  [0x7281, 0xfffe02b7], // c.lui t0,0xfffe0
  [0x757d, 0xfffff537], // c.lui a0,0xfffff
  [0x8105, 0x00155513], // c.srli a0,0x1
  [0x8505, 0x40155513], // c.srai a0,0x1
  [0x0586, 0x00159593], // c.slli a1,0x1
  [0x837d, 0x01f75713], // c.srli a4,0x1f
  [0x877d, 0x41f75713], // c.srai a4,0x1f
  [0x037e, 0x01f31313], // c.slli t1,0x1f
  [0x9081, 0x0204d493], // c.srli s1,0x20
  [0x9481, 0x4204d493], // c.srai s1,0x20
  [0x1582, 0x02059593], // c.slli a1,0x20
  [0x917d, 0x03f55513], // c.srli a0,0x3f
  [0x957d, 0x43f55513], // c.srai a0,0x3f
  [0x12fe, 0x03f29293], // c.slli t0,0x3f
  [0x9981, 0xfe05f593], // c.andi a1,-32
  [0x9afd, 0xfff6f693], // c.andi a3,-1
  [0x8881, 0x0004f493], // c.andi s1,0
  [0x88fd, 0x01f4f493], // c.andi s1,31
  [0x8c11, 0x40c40433], // c.sub s0,a2
  [0x8dbd, 0x00f5c5b3], // c.xor a1,a5
  [0x8f5d, 0x00f76733], // c.or a4,a5
  [0x8eed, 0x00b6f6b3], // c.and a3,a1
  [0x9f89, 0x40a787bb], // c.subw a5,a0
  [0x9e25, 0x0096063b], // c.addw a2,s1
  [0xb001, 0x801ff06f], // c.j
  [0xbffd, 0xfffff06f], // c.j
  [0xa009, 0x0020006f], // c.j
  [0xaffd, 0x7fe0006f], // c.j
  [0xab91, 0x5540006f], // c.j
  [0xbb91, 0xd55ff06f], // c.j
  [0xd101, 0xf00500e3], // c.beqz
  [0xf101, 0xf00510e3], // c.bnez
  [0xddfd, 0xfe058fe3], // c.beqz
  [0xfdfd, 0xfe059fe3], // c.bnez
  [0xc089, 0x00048163], // c.beqz
  [0xe089, 0x00049163], // c.bnez
  [0xce7d, 0x0e060f63], // c.beqz
  [0xee7d, 0x0e061f63], // c.bnez
  [0xc7cd, 0x0a078563], // c.beqz
  [0xe7cd, 0x0a079563], // c.bnez
  [0xd6cd, 0xfa0685e3], // c.beqz
  [0xf6cd, 0xfa0695e3], // c.bnez
  [0x4e02, 0x00012e03], // c.lwsp t3,0(sp)
  [0xc072, 0x01c12023], // c.swsp t3,0(sp)
  [0x4592, 0x00412583], // c.lwsp a1,4(sp)
  [0xc22e, 0x00b12223], // c.swsp a1,4(sp)
  [0x5276, 0x07c12203], // c.lwsp tp,124(sp)
  [0xde92, 0x06412e23], // c.swsp tp,124(sp)
  [0x52fe, 0x0fc12283], // c.lwsp t0,252(sp)
  [0xdf96, 0x0e512e23], // c.swsp t0,252(sp)
  [0x6d82, 0x00013d83], // c.ldsp s11,0(sp)
  [0xe06e, 0x01b13023], // c.sdsp s11,0(sp)
  [0x63a2, 0x00813383], // c.ldsp t2,8(sp)
  [0xe41e, 0x00713423], // c.sdsp t2,8(sp)
  [0x6792, 0x10013783], // c.ldsp a5,256(sp)
  [0xe23e, 0x10f13023], // c.sdsp a5,256(sp)
  [0x737e, 0x1f813303], // c.ldsp t1,504(sp)
  [0xff9a, 0x1e613c23], // c.sdsp t1,504(sp)
  [0x8082, 0x00008067], // c.jr ra
  [0x9082, 0x000080e7], // c.jalr ra
  [0x8502, 0x00050067], // c.jr a0
  [0x9502, 0x000500e7], // c.jalr a0
  [0x8f82, 0x000f8067], // c.jr t6
  [0x9f82, 0x000f80e7], // c.jalr t6
  [0x852e, 0x00b00533], // c.mv a0,a1
  [0x952e, 0x00b50533], // c.add a0,a1
  [0x80fe, 0x01f000b3], // c.mv ra,t6
  [0x90fe, 0x01f080b3], // c.add ra,t6
  [0x8d8a, 0x00200db3], // c.mv s11,sp
  [0x9d8a, 0x002d8db3], // c.add s11,sp
  [0x9002, 0x00100073], // c.ebreak
];

// The operand fields each 32-bit format defines.
const FIELDS: Record<string, (keyof Args)[]> = {
  R: ['rd', 'rs1', 'rs2'], I: ['rd', 'rs1', 'imm'], SH: ['rd', 'rs1', 'imm'], S: ['rs1', 'rs2', 'imm'],
  B: ['rs1', 'rs2', 'imm'], U: ['rd', 'imm'], J: ['rd', 'imm'], NONE: [],
};
const pick = (a: Args, keys: (keyof Args)[]) => Object.fromEntries(keys.map((k) => [k, a[k]]));

describe('riscv RVC expansion', () => {
  it('every RVC instruction expands to its 32-bit equivalent', () => {
    const seen = new Set<string>();
    for (const [c, w] of PAIRS) {
      const cp = decode16(RVC_PATTERNS, c);
      const p = decode32([RVI_PATTERNS], w);
      const what = `${c.toString(16)} / ${w.toString(16)}`;
      expect(cp, what).toBeDefined();
      expect(p, what).toBeDefined();
      expect(cp!.trans, `${what}: ${cp!.name} vs ${p!.name}`).toBe(p!.trans);
      const keys = FIELDS[p!.format];
      expect(pick(cp!.expand(c)!, keys), `${what} ${cp!.name}`).toEqual(pick(extract(w, p!.format), keys));
      seen.add(cp!.name);
    }
    // Every integer RVC pattern was covered.
    expect([...seen].sort()).toEqual(RVC_PATTERNS.map((p) => p.name).sort());
  });

  it('reserved encodings are illegal', () => {
    const rig = new Rig();
    // all zeros (c.addi4spn 0), c.addiw x0, c.lui x1 0, c.addi16sp 0, c.lwsp x0, c.ldsp x0, c.jr x0,
    // quadrant 0 funct3 100, the reserved CA slots after c.addw
    for (const c of [0x0000, 0x2001, 0x6081, 0x6101, 0x4002, 0x6002, 0x8002, 0x8000, 0x9c41, 0x9c61]) {
      expect(rig.load([{ c }]).run(), c.toString(16)).toBe(ExitReason.Exception);
      expect(Number(rig.get64(EXCEPTION) & 0xffffffffn)).toBe(EXC_ILLEGAL_INSN);
    }
  });
});

describe.each(BACKENDS)('riscv RVC execution (%s)', (kind) => {
  it('runs mixed 16- and 32-bit code with pc-relative jumps and links from 2-byte instructions', () => {
    const rig = new Rig(kind);
    const h = (c: number): Half => ({ c });
    // Assembled by GNU as from the c.* forms noted.
    rig.load([
      h(0x7139), // c.addi16sp sp,-64
      h(0x4515), // c.li a0,5
      I(0x13, 0)(11, 0, 7), // addi a1,zero,7
      h(0x952e), // c.add a0,a1
      h(0xe42a), // c.sdsp a0,8(sp)
      h(0x6622), // c.ldsp a2,8(sp)
      h(0x0605), // c.addi a2,1
      h(0x9e09), // c.subw a2,a0
      h(0xa011), // c.j +4
      h(0x4685), // c.li a3,1 (skipped)
      h(0x0038), // c.addi4spn a4,sp,8
      h(0x431c), // c.lw a5,0(a4)
      h(0xc391), // c.beqz a5,+4 (not taken)
      h(0x4689), // c.li a3,2
      h(0x9282), // c.jalr t0
      h(0x468d), // c.li a3,3 (skipped: t0 points past it)
    ]);
    const sp = DATA + 0x800;
    rig.setX(2, sp).setX(5, CODE + 0x22);
    expect(rig.run()).toBe(ExitReason.Next);
    expect(rig.x(2)).toBe(BigInt(sp - 64));
    expect(rig.x(10)).toBe(12n);
    expect(rig.x(12)).toBe(1n);
    expect(rig.x(14)).toBe(BigInt(sp - 64 + 8));
    expect(rig.x(15)).toBe(12n);
    expect(rig.x(13)).toBe(2n);
    expect(rig.x(1)).toBe(BigInt(CODE + 0x20));
  });

  it('c.ebreak raises a breakpoint', () => {
    const rig = new Rig(kind);
    expect(rig.load([{ c: 0x9002 }, { c: 0x0001 }]).run()).toBe(ExitReason.Exception);
    expect(Number(rig.get64(EXCEPTION) & 0xffffffffn)).toBe(EXC_BREAKPOINT);
  });

  it('disassembles as the expanded instruction', () => {
    const rig = new Rig(kind);
    rig.load([{ c: 0x1141 }, { c: 0xc391 }]);
    expect(rig.fe.disassemble(CODE, 4)).toEqual([
      '0x0000000000010000:  1141              addi                    sp,sp,-16',
      '0x0000000000010002:  c391              beqz                    a5,4                    # 0x10006',
    ]);
  });
});
