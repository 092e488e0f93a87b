// The loader's public face.
export { loadElf, DEFAULT_STACK_SIZE, type LoadRequest, type LoadedProgram } from './load-elf.js';
export { sysrootsOf, type ElfArch } from './elf-arch.js';
export { LoaderError } from './loader-error.js';
export { readElf } from './elf-file.js';
export { symbolLookup, type SymbolLookup, type SymbolSource } from './symbols.js';
export * from './auxv.js';
