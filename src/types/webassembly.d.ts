// The WebAssembly JS API as Node 20 provides it. TypeScript declares it only in lib.dom, which
// would also bring the browser's globals; this is the subset tsemu uses.
declare namespace WebAssembly {
  interface MemoryDescriptor { initial: number; maximum?: number; shared?: boolean }
  class Memory {
    constructor(d: MemoryDescriptor);
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(delta: number): number;
  }
  type TableKind = 'anyfunc' | 'externref';
  interface TableDescriptor { element: TableKind; initial: number; maximum?: number }
  class Table {
    constructor(d: TableDescriptor, value?: unknown);
    readonly length: number;
    get(i: number): any;
    set(i: number, v?: unknown): void;
    grow(delta: number, value?: unknown): number;
  }
  interface GlobalDescriptor { value: 'i32' | 'i64' | 'f32' | 'f64'; mutable?: boolean }
  class Global {
    constructor(d: GlobalDescriptor, v?: unknown);
    value: any;
  }
  type ImportValue = Function | Memory | Table | Global | number;
  type Imports = Record<string, Record<string, ImportValue>>;
  class Module {
    constructor(bytes: BufferSource);
    static exports(m: Module): { name: string; kind: string }[];
  }
  class Instance {
    constructor(m: Module, imports?: Imports);
    readonly exports: Record<string, any>;
  }
  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}
  function validate(bytes: BufferSource): boolean;
  function compile(bytes: BufferSource): Promise<Module>;
}
type BufferSource = ArrayBufferView | ArrayBuffer;
