// The contents of the virt machine's mask ROM at 0x1000, laid out as qemu 7.2's (dumped from
// qemu-system-riscv64 with gdb): a reset vector every hart runs first, then two data words (where
// to go, the device tree's address), then OpenSBI's fw_dynamic information. The reset vector
// leaves a0 = the hart's own mhartid (so that any number of harts can run it), a1 = the device
// tree, a2 = fw_dynamic's information, and jumps to the firmware or kernel:
//   0x1000 auipc t0, 0          t0 = 0x1000
//   0x1004 addi  a2, t0, 40     the information after the ten words of code and data
//   0x1008 csrr  a0, mhartid
//   0x100c ld    a1, 32(t0)     the device tree's address
//   0x1010 ld    t0, 24(t0)     the entry
//   0x1014 jr    t0
//   0x1018 the entry; 0x1020 the device tree's address; 0x1028 fw_dynamic's information.
// The instructions are encoded here from the unprivileged ISA's base formats (U and I types).

const OP_AUIPC = 0x17, OP_IMM = 0x13, OP_LOAD = 0x03, OP_JALR = 0x67, OP_SYSTEM = 0x73;
const T0 = 5, A0 = 10, A1 = 11, A2 = 12;
const CSR_MHARTID = 0xf14;
/** funct3 of addi, ld, jalr, csrrs. */
const ADDI = 0, LD = 3, JALR = 0, CSRRS = 2;

const uType = (opcode: number, rd: number, imm20: number): number => ((imm20 << 12) | (rd << 7) | opcode) >>> 0;
const iType = (opcode: number, funct3: number, rd: number, rs1: number, imm12: number): number =>
  (((imm12 & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;

/** Offsets from the ROM's base: the six instructions, then the entry, the device tree's
 *  address and fw_dynamic's information. */
const ENTRY_AT = 6 * 4, FDT_AT = ENTRY_AT + 8, INFO_AT = FDT_AT + 8;
const CODE = [
  uType(OP_AUIPC, T0, 0),
  iType(OP_IMM, ADDI, A2, T0, INFO_AT),
  iType(OP_SYSTEM, CSRRS, A0, 0, CSR_MHARTID),
  iType(OP_LOAD, LD, A1, T0, FDT_AT),
  iType(OP_LOAD, LD, T0, T0, ENTRY_AT),
  iType(OP_JALR, JALR, 0, T0, 0),
];

/** OpenSBI's fw_dynamic reads where to go next from a struct whose address is in a2 (OpenSBI's
 *  docs, "fw_dynamic": magic "OSBI", version 2, next address, next mode (1 = S-mode), options,
 *  boot hart). */
function fwDynamicInfo(next: number): bigint[] {
  return [0x4942534fn, 2n, BigInt(next), 1n, 0n, 0n];
}

/** The ROM's bytes: the reset vector jumping to `entry` with the device tree at `fdt`, and the
 *  information telling fw_dynamic to go on to `next` (the kernel's entry, as qemu's). */
export function maskRom(entry: number, fdt: number, next: number): Uint8Array {
  const words = [BigInt(entry), BigInt(fdt), ...fwDynamicInfo(next)];
  const b = Buffer.alloc(ENTRY_AT + words.length * 8);
  CODE.forEach((insn, i) => b.writeUInt32LE(insn, i * 4));
  words.forEach((w, i) => b.writeBigUInt64LE(w, ENTRY_AT + i * 8));
  return b;
}
