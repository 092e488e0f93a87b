#!/usr/bin/env node
// tsemu's installed entry point (copied by scripts/bundle.mjs over each dist/src/cli/tsemu-<arch>.js).
// It runs the esbuild bundle beside it (tsemu-<arch>.cjs) through node:vm with the V8 code cache
// made at build time (tsemu-<arch>.cjs.cache): start-up is short enough that compiling the
// bundle's ~300 KB and the functions a run needs lazily is a large part of it, and Node 20 has
// no module compile cache of its own. Without a usable cache (another Node or V8, a bundle
// rebuilt since) V8 just compiles as usual.

// Builtins through process.getBuiltinModule where there is one (Node >= 20.16): importing them
// would make the ESM loader read every export, which loads node:fs's streams for nothing.
const builtin = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
const { readFileSync, writeFileSync } = builtin('node:fs');
const { createRequire } = builtin('node:module');
const { dirname } = builtin('node:path');
const { fileURLToPath } = builtin('node:url');
const { setFlagsFromString } = builtin('node:v8');
const { Script } = builtin('node:vm');

// TurboFan's tier-up after 8 times the default amount of bytecode run: a short run (a guest's
// start-up, a small program) otherwise spends about a third of its CPU time optimizing
// functions it stops needing a few milliseconds later, and for a long run the delay is
// negligible. It is set before the bundle is compiled, since V8 also keys its code cache by flags.
setFlagsFromString('--interrupt-budget=540672');

const file = fileURLToPath(import.meta.url).replace(/\.js$/, '.cjs');
const cacheFile = `${file}.cache`;
// esbuild writes ASCII (its default charset), for which latin1 is the cheapest decoding.
const source = readFileSync(file, 'latin1');

// The cache file starts with the stamp of the bundle it was made from: V8 itself checks only
// the source's length, its version and its flags, so a rebuilt bundle of the same length
// would otherwise run another bundle's bytecode. The stamp names the build scripts/bundle.mjs
// wrote into the bundle's first line, not the file's mtime: an npm install sets the mtimes
// anew, and the cache made at build time must still count.
const stamp = Buffer.from(`tsemu-code-cache ${process.version} ${source.length} ${/tsemu-build (\w+)/.exec(source.slice(0, 200))?.[1]}\n`);
let cachedData;
try {
  const cache = readFileSync(cacheFile);
  if (cache.subarray(0, stamp.length).equals(stamp)) cachedData = cache.subarray(stamp.length);
} catch {
  // no cache: compile normally
}

// The wrapper is the one Node puts around a CommonJS module; it stays on the first line so
// that stack traces keep the bundle's line numbers.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: file,
  cachedData,
});

// The build runs a small guest with this set, after which the cache also holds the functions
// that start-up compiled lazily. process.exit ends every run, so 'exit' is the last moment.
const writeTo = process.env.TSEMU_LAUNCHER_WRITE_CACHE;
if (writeTo) process.on('exit', () => writeFileSync(writeTo, Buffer.concat([stamp, script.createCachedData()])));

const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
