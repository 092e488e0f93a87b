// The IR: the contract between frontends (src/target/*) and backends (interpreter, wasm).
// A translation block (TB) is a flat list of ops over typed temps, in the spirit of QEMU's TCG:
// frontends never emit host code, backends never know the guest.
//
// Temps are numbered; each has a type and a kind:
//   global: lives in the CPU state at a byte offset (a guest register); backends may cache it in
//           a host local but must write it back at every exit and around helper calls that
//           declare they read or write globals;
//   local:  a scratch value that lives only within the TB;
//   const:  an immutable value (bigint for both types; i32 consts hold the unsigned 32-bit value).
//
// Values of type i64 are 64-bit patterns, i32 ones 32-bit patterns; signedness belongs to the op.

export type Ty = 'i32' | 'i64';

export const enum TempKind { Global, Local, Const }

export interface TempInfo {
  ty: Ty;
  kind: TempKind;
  /** Global: byte offset in the CPU state. */
  offset: number;
  /** Const: the value, normalised to unsigned (0 <= v < 2^width). */
  value: bigint;
  name: string;
}

/** Comparison conditions (TCG_COND_*); L/G signed, LTU etc. unsigned. */
export const enum Cond { EQ, NE, LT, GE, LE, GT, LTU, GEU, LEU, GTU }
export const COND_NAMES = ['eq', 'ne', 'lt', 'ge', 'le', 'gt', 'ltu', 'geu', 'leu', 'gtu'];

/** Memory-op descriptor: size in bytes (1, 2, 4, 8), whether a narrower load sign-extends, and
 *  whether the address must be naturally aligned (a multiple of size; else a MemFault of kind
 *  FaultKind.Misaligned, checked before the protection). Atomics are always aligned; a plain
 *  load asks for it where the guest's exclusive loads (LR, LDREX) do. */
export interface MemOp { size: 1 | 2 | 4 | 8; signed: boolean; align?: boolean }

/** What a MemFault's access was: the value of the state's fault-kind slot. */
export const enum FaultKind {
  Read = 0,
  /** A store, or an atomic op (they need write permission even when they store nothing). */
  Write = 1,
  Fetch = 2,
  /** An access that must be naturally aligned (atomics, MemOp.align) was not (linux-user:
   *  SIGBUS with BUS_ADRALN, as the kernel does for a misaligned atomic). */
  Misaligned = 3,
}

/** The read-modify-write operations of AtomicRmw (those wasm and JS Atomics have natively):
 *  memory becomes (old OP v), Xchg stores v. */
export const enum RmwOp { Add, Sub, And, Or, Xor, Xchg }
export const RMW_NAMES = ['add', 'sub', 'and', 'or', 'xor', 'xchg'] as const;

/** Why a TB returns to the cpu loop: the code the backend's TB function returns. */
export const enum ExitReason {
  /** state.pc holds the next pc (plain end of block, budget exhausted, indirect jump). */
  Next = 0,
  /** A syscall instruction: state.pc is the pc of the instruction itself. */
  Syscall = 1,
  /** A guest exception (illegal insn, breakpoint...): state.pc is the faulting insn, the
   *  exception number is in the arch's exception field (frontend-defined). */
  Exception = 2,
  /** A load/store/atomic hit an unmapped or protected page, or was misaligned where it must
   *  not be: state.pc is the faulting insn (which has written nothing); the fault address is
   *  written to the state's fault-address slot, the access kind (FaultKind) to fault-kind. */
  MemFault = 3,
  /** The guest announced code modification (fence.i): state.pc is the next pc; the cpu loop
   *  drops every translation before going on. */
  FlushCode = 4,
  /** Never returned by a TB: CpuExec.run returns it, state.pc the next pc, when another
   *  thread asked the vCPU to stop by its exit request (src/tcg/vcpu-control.ts). */
  Interrupt = 5,
}

/** Helper-call flags: what the backend must do around the call. */
export const enum HelperFlags {
  None = 0,
  /** Helper reads globals from the CPU state: write cached globals back before the call. */
  ReadsGlobals = 1,
  /** Helper writes globals: reload cached globals after the call. */
  WritesGlobals = 2,
  /** Helper may throw a GuestException: state.pc must hold the current insn's pc. */
  MayRaise = 4,
}

/** A helper callable from IR. Arguments and result are i32 or i64; i64 values cross the JS
 *  boundary as BigInt (slow), so hot helpers take i32 arguments (register indices, modes) and
 *  read/write the CPU state themselves. `env` (the CPU state base address) is always the first
 *  argument passed to `fn`, before the IR arguments. */
export interface Helper {
  name: string;
  args: Ty[];
  ret: Ty | null;
  flags: HelperFlags;
  fn: (env: number, ...args: any[]) => any;
}

export const enum Opc {
  // d = a          (same type)
  Mov,
  // d = a OP b     (same type; shift/rotate counts are taken modulo the width, as in wasm)
  Add, Sub, Mul, And, Or, Xor, Shl, Shr, Sar, Rotl, Rotr,
  // d = high half of the double-width product: signed*signed, unsigned*unsigned, signed*unsigned
  MulHS, MulHU, MulHSU,
  // Total division (RISC-V semantics, chosen so every backend can do them without trapping):
  // x / 0 = all ones (DivS, DivU), x % 0 = x; MIN / -1 = MIN, MIN % -1 = 0.
  DivS, DivU, RemS, RemU,
  // d = OP a
  Neg, Not, Clz, Ctz, Popcnt,
  // Within one type: sign/zero-extend the low 8/16/32 bits of a into d.
  Ext8S, Ext16S, Ext32S, Ext8U, Ext16U, Ext32U,
  // Between types: d:i64 = zero/sign-extended a:i32; d:i32 = low half of a:i64
  ExtUI32I64, ExtSI32I64, TruncI64I32,
  // d = (a COND b) ? 1 : 0        args: d, a, b, cond
  SetCond,
  // d = (c1 COND c2) ? v1 : v2   args: d, c1, c2, v1, v2, cond
  MovCond,
  // if (a COND b) goto label      args: a, b, cond, label
  BrCond,
  // goto label                    args: label
  Br,
  // label:                        args: label
  SetLabel,
  // d = load(addr + offset)       args: d, addr, offset(number), size, signed(0/1), align(0/1)
  // addr is an i64 temp for 64-bit guests (checked < 4 GiB) or i32 for 32-bit guests.
  Ld,
  // store(addr + offset) = v      args: v, addr, offset, size
  St,
  // Atomic ops, sequentially consistent and atomic against other vCPUs on the shared memory.
  // They take Ld's first five args (size 8 needs an i64 op). The address must be naturally
  // aligned and writable: a fault (FaultKind.Misaligned, checked first, or Write) writes
  // nothing. d is the old value at addr + offset, zero- or sign-extended as for Ld; the value
  // operands are of the op's type and only their low `size` bytes count.
  // Compare-and-exchange: stores `new` iff the old value equals expected (in size bytes).
  //                               args: d, addr, offset, size, signed, expected, new
  AtomicCmpxchg,
  // Read-modify-write: stores (old OP v), see RmwOp.
  //                               args: d, addr, offset, size, signed, v, op (RmwOp)
  AtomicRmw,
  // d = helper(args...)           args: helperIndex, d (or -1), argTemps...
  Call,
  // Marks the start of a guest instruction.   args: pc (as number, < 2^53)
  InsnStart,
  // End of TB: jump to a constant pc (the backend may chain to its TB).  args: pc
  GotoTb,
  // End of TB: jump to the pc held in a temp of the address type (may look it up and chain).
  GotoPtr,
  // End of TB: return to the cpu loop.  args: reason (ExitReason), pc (as number)
  // The backend stores pc into the state's pc slot before returning reason.
  ExitTb,
  // IEEE 754 arithmetic on bit patterns, the type naming the format (i32: binary32, i64:
  // binary64), rounding to nearest even, raising nothing: d = a OP b, FSqrt d = sqrt(a).
  // A NaN result is some NaN pattern, which one unspecified (wasm leaves it to the host), so
  // frontends use these only for a fast path that hands NaN results to an exact helper.
  FAdd, FSub, FMul, FDiv, FSqrt,
  // d = a * b + c rounded once (fused), binary64 only (ty i64), raising nothing, a NaN result
  // unspecified as above. Only where the host has a fused multiply-add (host-fma.ts): the
  // wasm backend emits the host's.              args: d, a, b, c
  FMulAdd,
}

export const OPC_NAMES: string[] = [
  'mov', 'add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr', 'sar', 'rotl', 'rotr',
  'mulhs', 'mulhu', 'mulhsu', 'divs', 'divu', 'rems', 'remu',
  'neg', 'not', 'clz', 'ctz', 'popcnt',
  'ext8s', 'ext16s', 'ext32s', 'ext8u', 'ext16u', 'ext32u',
  'extu_i32_i64', 'exts_i32_i64', 'trunc_i64_i32',
  'setcond', 'movcond', 'brcond', 'br', 'set_label', 'ld', 'st', 'atomic_cmpxchg', 'atomic_rmw',
  'call', 'insn_start',
  'goto_tb', 'goto_ptr', 'exit_tb',
  'fadd', 'fsub', 'fmul', 'fdiv', 'fsqrt', 'fmuladd',
];

/** One op: opcode, the operation type (for typed ops), and operands (temp ids, immediates,
 *  labels, as each opcode's comment above says). */
export interface Op {
  opc: Opc;
  ty: Ty;
  args: number[];
}

/** The translated form of one guest block. */
export interface IRBlock {
  /** Guest pc of the first instruction. */
  pc: number;
  /** Guest bytes covered (for invalidation by page). */
  size: number;
  insnCount: number;
  ops: Op[];
  temps: TempInfo[];
  labelCount: number;
}

/** Describes the CPU state of a guest arch for the backends: its size and the pc slot, plus the
 *  slots the backends write on a memory fault. Everything else is frontend business. */
export interface StateLayout {
  size: number;
  /** Byte offset of the pc (an i64 slot for 64-bit guests, i32 for 32-bit ones). */
  pcOffset: number;
  pcTy: Ty;
  /** i64 slot: guest address of a faulting access. */
  faultAddrOffset: number;
  /** i32 slot: the FaultKind of a MemFault (0 = read, 1 = write, 2 = fetch, 3 = misaligned). */
  faultKindOffset: number;
  /** i32 slot: the cpu loop's budget/exit-request counter; chained TBs decrement it and return
   *  ExitReason.Next when it drops to zero or below. */
  budgetOffset: number;
}
