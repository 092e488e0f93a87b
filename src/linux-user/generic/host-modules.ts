// Node's builtins that only some runs need, loaded at their first use. Importing them at the
// top would load them in every run and every forked child before the guest starts: together
// (child_process, net, tty, dgram) about 15 ms of a start-up of ~100 ms of CPU.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const childProcessModule = (): typeof import('node:child_process') => load('node:child_process');
export const netModule = (): typeof import('node:net') => load('node:net');
export const ttyModule = (): typeof import('node:tty') => load('node:tty');
export const dgramModule = (): typeof import('node:dgram') => load('node:dgram');

/** node:wasi's WASI class as host-reader.ts uses it. */
export type WasiClass = new (o: object) => { getImportObject(): WebAssembly.Imports; initialize(i: WebAssembly.Instance): void };

/** node:wasi, or null where it cannot be had. Node 20 warns that WASI is experimental as the
 *  module loads: not the guest's output, so the warning is held back. */
export function wasiModule(): { WASI: WasiClass } | null {
  const emit = process.emitWarning;
  try {
    process.emitWarning = () => {};
    return load('node:wasi') as { WASI: WasiClass };
  } catch {
    return null;
  } finally {
    process.emitWarning = emit;
  }
}
