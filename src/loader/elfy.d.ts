// The slice of elfy 1.0.0's untyped API the loader uses: the header and program-header parsers
// (the loader never needs sections, and a stripped or truncated file may lack them).
declare module 'elfy' {
  export interface ElfyHeader {
    class: string;
    endian: string;
    entry: number;
    phoff: number;
    phentsize: number;
    phnum: number;
  }
  export interface ElfyProgram {
    /** Undefined for types elfy does not know (PT_RISCV_ATTRIBUTES, PT_ARM_EXIDX). */
    type: string | undefined;
    offset: number;
    vaddr: number;
    filesz: number;
    memsz: number;
    flags: { r?: boolean; w?: boolean; x?: boolean };
    align: number;
    data: Buffer;
  }
  export class Parser {
    parseHeader(buf: Buffer): ElfyHeader;
    parsePrograms(buf: Buffer, header: ElfyHeader): ElfyProgram[];
  }
  const elfy: { Parser: typeof Parser };
  export default elfy;
}
