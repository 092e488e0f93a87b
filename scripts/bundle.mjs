// `npm run bundle`: turns each tsc-built entry point dist/src/cli/tsemu-<arch>.js into
//   tsemu-<arch>.cjs        one CommonJS bundle of tsemu (esbuild),
//   tsemu-<arch>.cjs.cache  a V8 code cache for it, made by running a small guest program,
//   tsemu-<arch>.js         scripts/launcher.js, which runs the bundle through that cache.
// CommonJS because node:vm can take and produce a code cache only for a classic script.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, 'dist/src/cli');
// The run each cache is made with: start-up of a static program, the case the cache is for
// (for system mode, a riscv-tests program from reset to its HTIF exit).
const ENTRIES = [
  { arch: 'riscv64', args: ['tests/guest-bins/riscv64/hello'] },
  { arch: 'arm', args: ['tests/guest-bins/arm/hello'] },
  { arch: 'system-riscv64', args: ['-M', 'virt', '-bios', 'none', '-kernel', 'tests/system-bins/rv64/rv64ui-v-add'] },
];

const launcher = readFileSync(join(root, 'scripts/launcher.js'), 'utf8');
for (const { arch, args } of ENTRIES) {
  const entry = join(cli, `tsemu-${arch}.js`);
  const bundle = join(cli, `tsemu-${arch}.cjs`);
  const cache = `${bundle}.cache`;
  // After a bundle the entry is a launcher (this one or an older one) and the bundle is still
  // that of tsc's last output: only the launcher and the cache are made again.
  if (!readFileSync(entry, 'utf8').includes('TSEMU_LAUNCHER_WRITE_CACHE')) await bundleEntry(entry, bundle);
  writeFileSync(entry, launcher);
  rmSync(cache, { force: true });
  const r = spawnSync(process.execPath, [entry, ...args.map((a) => (a.startsWith('tests/') ? join(root, a) : a))], {
    env: { ...process.env, TSEMU_LAUNCHER_WRITE_CACHE: cache },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // A build without a cache still runs, only slower to start: say so, do not fail the build.
  if (r.status !== 0) console.warn(`bundle: making the code cache of tsemu-${arch} failed (status ${r.status})`);
}

async function bundleEntry(entry, bundle) {
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
    // The sources are ES modules that find package.json from import.meta.url,
    // which a CommonJS bundle lacks: it becomes the bundle's own file URL. The banner comes
    // before esbuild's "use strict", so it repeats it to keep the bundle strict as modules are.
    // The build id names this bundle in its code cache's stamp (scripts/launcher.js).
    banner: { js: `"use strict"; /* tsemu-build ${randomBytes(8).toString('hex')} */ var __tsemuImportMetaUrl = require("node:url").pathToFileURL(__filename).href;` },
    define: { 'import.meta.url': '__tsemuImportMetaUrl' },
  });
  // esbuild keeps the entry's #! line, which is not JavaScript inside the launcher's wrapper.
  writeFileSync(bundle, readFileSync(bundle, 'utf8').replace(/^#!/, '//'));
}
