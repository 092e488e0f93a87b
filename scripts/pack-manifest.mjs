// npm pack's prepack (`hide`) and postpack (`show`): the package.json that goes into the tarball
// leaves out the `prepare` script, which builds a clone at `npm install`. The tarball holds the
// build already, and npm warns of every install script of a package it installs from one.
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const KEPT = 'package.json.before-pack';
if (process.argv[2] === 'hide') {
  copyFileSync('package.json', KEPT);
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  delete manifest.scripts.prepare;
  writeFileSync('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
} else {
  renameSync(KEPT, 'package.json');
}
