// What a device of the system-mode machine offers the physical bus (src/system/phys-bus.ts): a
// region of registers read and written by guest loads and stores. Values are BigInt: device
// accesses are rare next to RAM ones, and some registers are 64 bits wide.

export interface MmioDevice {
  readonly name: string;
  /** Reads `size` bytes (1, 2, 4 or 8) at `offset` in the device's region. */
  read(offset: number, size: number): bigint;
  write(offset: number, size: number, value: bigint): void;
  /** A ROM's contents: code may run from them, and a debugger may read them. */
  readonly bytes?: Uint8Array;
}

/** Thrown by a device that ends the machine (a test finisher, HTIF's exit command): the system
 *  loop unwinds to the command line, which exits with `status` as qemu does. `reset`: the
 *  machine asked for a reset instead (the command line builds it anew, as qemu's system reset
 *  reloads the images); `error`: why the emulator had to stop, for stderr. */
export class PowerOff {
  constructor(readonly status: number, readonly reason: string, readonly kind: 'off' | 'reset' | 'error' = 'off') {}
}

/** The bytes of a 64-bit register that an access of `size` bytes at `offset` within it reads. */
export function regSlice(reg: bigint, offset: number, size: number): bigint {
  return BigInt.asUintN(size * 8, reg >> BigInt(offset * 8));
}

/** The register after a write of `size` bytes at `offset` within it. */
export function regMerge(reg: bigint, offset: number, size: number, value: bigint): bigint {
  const shift = BigInt(offset * 8);
  const mask = ((1n << BigInt(size * 8)) - 1n) << shift;
  return (reg & ~mask) | ((value << shift) & mask);
}
