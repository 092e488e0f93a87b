// `npm run fuzz -- --arch riscv64|arm --count N --seed S`: random instruction sequences under
// qemu-user and tsemu (every backend), mismatches minimised and printed. Exit status 1 when a
// mismatch is not a recorded qemu difference.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { ARCHES } from './arches.js';
import { fuzz } from './fuzz.js';
import { BACKENDS, BackendName, cliOf } from './runner.js';

const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: 'riscv64' },
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    length: { type: 'string', default: '20' },
    batch: { type: 'string', default: '100' },
    ext: { type: 'string' },
    backend: { type: 'string', default: BACKENDS.join(',') },
    help: { type: 'boolean', short: 'h' },
  },
});
const arch = ARCHES[values.arch as keyof typeof ARCHES];
if (values.help || !arch) {
  console.log(`usage: npm run fuzz -- [--arch riscv64|arm] [--count N] [--seed S] [--length L] [--batch B]
                     [--ext E,...] [--backend interp,wasm,tiered]
  --count    random instructions to run (default 10000), in batches of B sequences of L items
  --ext      instruction groups to draw from (riscv64: ${ARCHES.riscv64.exts.join(',')}; arm: ${ARCHES.arm.exts.join(',')})`);
  process.exit(values.help ? 0 : 2);
}
if (!existsSync(cliOf(arch))) {
  console.error(`${cliOf(arch)} is missing: run \`npm run build\` first`);
  process.exit(2);
}
const exts = values.ext ? values.ext.split(',') : arch.exts;
for (const e of exts) if (!arch.exts.includes(e)) { console.error(`unknown extension ${e}`); process.exit(2); }
const backends = values.backend.split(',') as BackendName[];
const start = Date.now();
const report = await fuzz({
  arch, seed: Number(values.seed), count: Number(values.count), length: Number(values.length), batch: Number(values.batch),
  exts, backends, log: (line) => console.log(line),
});
const unknown = report.mismatches.filter((m) => !m.known).length;
console.log(`${arch.name}, seed ${values.seed}: ${report.instructions} random instructions in ${report.sequences} sequences, ` +
  `under ${backends.join(', ')} in ${((Date.now() - start) / 1000).toFixed(0)} s: ${unknown} mismatches, ` +
  `${report.mismatches.length - unknown} known qemu differences${report.qemuFailures.length ? `, ${report.qemuFailures.length} batches qemu could not run` : ''}`);
for (const q of report.qemuFailures) console.log(`qemu failed: ${q}`);
process.exit(unknown || report.qemuFailures.length ? 1 : 0);
