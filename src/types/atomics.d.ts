// Atomics.waitAsync as Node 20 (V8) provides it; TypeScript declares it from lib es2024 on,
// which Node 20 does not fully implement.
interface Atomics {
  waitAsync(
    typedArray: Int32Array, index: number, value: number, timeout?: number,
  ): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}
