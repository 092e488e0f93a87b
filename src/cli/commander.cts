// commander, loaded when first asked for: a CommonJS module so that `require` is a plain call,
// which esbuild bundles (scripts/bundle.mjs) as a function that evaluates commander the first
// time it runs. Parsing a command line without options never loads it (about a tenth of
// start-up), and an installed or copied dist/ needs no node_modules. Plain JavaScript in a
// .cts file (its caller states the type): vitest's transform does not strip types from .cts.
export function loadCommander() {
  return require('commander');
}
