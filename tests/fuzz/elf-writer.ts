// A minimal static executable (ELF gABI, "Object file format"): an ELF header, one program
// header per segment and the segments' bytes, nothing else (no sections: the loaders of Linux,
// qemu-user and tsemu read program headers only). Written by the fuzzer itself so that a run
// needs no cross toolchain.

export interface ElfSegment {
  vaddr: number;
  bytes: Uint8Array;
  /** PF_X 1, PF_W 2, PF_R 4. */
  flags: number;
}

export interface ElfTarget {
  class: 32 | 64;
  /** e_machine: EM_ARM 40, EM_RISCV 243. */
  machine: number;
  /** e_flags: the ABI the loader checks (riscv: RVC and the double-float ABI; arm: EABI 5, hard float). */
  flags: number;
}

const PAGE = 0x1000;
const PT_LOAD = 1;

/** The file bytes of a static ET_EXEC starting at `entry`; each segment's file offset is
 *  congruent to its address modulo the page size, as mmap needs. */
export function writeElf(target: ElfTarget, entry: number, segments: ElfSegment[]): Uint8Array {
  const is64 = target.class === 64;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  let offset = ehsize + phentsize * segments.length;
  const placed = segments.map((s) => {
    offset += (s.vaddr - offset) & (PAGE - 1);
    const at = offset;
    offset += s.bytes.length;
    return { ...s, offset: at };
  });
  const out = new Uint8Array(offset);
  const v = new DataView(out.buffer);
  // Fields wide in ELF64 and narrow in ELF32 (addresses and offsets).
  const word = (at: number, x: number): number => {
    if (is64) v.setBigUint64(at, BigInt(x), true); else v.setUint32(at, x, true);
    return at + (is64 ? 8 : 4);
  };
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1 /* little endian */, 1 /* EV_CURRENT */]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, target.machine, true);
  v.setUint32(20, 1, true);
  let at = word(word(word(24, entry), ehsize), 0); // e_entry, e_phoff, e_shoff
  v.setUint32(at, target.flags, true);
  v.setUint16(at + 4, ehsize, true);
  v.setUint16(at + 6, phentsize, true);
  v.setUint16(at + 8, segments.length, true);
  v.setUint16(at + 10, is64 ? 64 : 40, true); // e_shentsize (no section headers follow)
  at = ehsize;
  for (const s of placed) {
    v.setUint32(at, PT_LOAD, true);
    if (is64) {
      v.setUint32(at + 4, s.flags, true);
      word(word(word(word(word(word(at + 8, s.offset), s.vaddr), s.vaddr), s.bytes.length), s.bytes.length), PAGE);
    } else {
      word(word(word(word(word(at + 4, s.offset), s.vaddr), s.vaddr), s.bytes.length), s.bytes.length);
      v.setUint32(at + 24, s.flags, true);
      v.setUint32(at + 28, PAGE, true);
    }
    at += phentsize;
    out.set(s.bytes, s.offset);
  }
  return out;
}
