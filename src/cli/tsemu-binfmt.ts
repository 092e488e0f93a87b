#!/usr/bin/env node
// tsemu-binfmt install|uninstall|status [--arch riscv64|arm|all]: registers tsemu with the
// kernel's binfmt_misc, so that a guest binary runs by itself (`./hello-riscv64`), as
// qemu-binfmt-conf.sh does for qemu. The magic and mask are qemu's for these two arches (an
// ELF header of the class, byte order and e_machine, EXEC or DYN). Flags: F, so that the kernel
// opens tsemu's entry point once, at registration, and finds it from inside containers and
// chroots too (Node itself must still be found there, as the entry point's #! line names it).
// No P: argv[0] of the program becomes its path, as binfmt_misc passes it without P.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = '/proc/sys/fs/binfmt_misc';
const ELF_MASK = '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';
/** e_ident (class, data, version) and e_machine of each guest (qemu's binfmt table). */
const ARCHES: Record<string, string> = {
  riscv64: '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xf3\\x00',
  arm: '\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00',
};
const FLAGS = 'F';

const USAGE = `usage: tsemu-binfmt install|uninstall|status [--arch riscv64|arm|all] [--dir DIR]
  install    register tsemu-<arch> with binfmt_misc (as root), so guest binaries run directly
  uninstall  remove tsemu's entries
  status     show tsemu's entries and any other entry for the same binaries (qemu's)
  --dir DIR  binfmt_misc's directory (default ${DIR})
`;

class Failure extends Error {}

/** The registration line of binfmt_misc (Documentation/admin-guide/binfmt-misc.rst). */
export function registration(arch: string, interpreter: string): string {
  return `:tsemu-${arch}:M:0:${ARCHES[arch]}:${ELF_MASK}:${interpreter}:${FLAGS}`;
}

/** The entry point of arch, beside this file. */
function entryOf(arch: string): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), `tsemu-${arch}.js`);
}

function requireMounted(dir: string): void {
  if (!fs.existsSync(path.join(dir, 'register'))) {
    throw new Failure(`binfmt_misc is not mounted at ${dir} (as root: mount -t binfmt_misc binfmt_misc ${dir}); nothing changed`);
  }
}

function write(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new Failure(`writing ${file} needs root; nothing changed`);
    throw new Failure(`writing ${file} failed: ${(e as Error).message}`);
  }
}

/** The other entries (qemu's, typically) whose magic is one of ours: which one runs a binary
 *  is the kernel's choice, the most recently registered first. */
function rivals(dir: string, arch: string): string[] {
  const magic = Buffer.from(ARCHES[arch].replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('hex');
  return fs.readdirSync(dir).filter((name) => {
    if (name === `tsemu-${arch}` || name === 'register' || name === 'status') return false;
    try {
      return fs.readFileSync(path.join(dir, name), 'utf8').includes(`magic ${magic}`);
    } catch {
      return false;
    }
  });
}

export function binfmt(argv: string[], out: (s: string) => void): void {
  let dir = DIR;
  let arches = Object.keys(ARCHES);
  const [command, ...rest] = argv;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--dir' && i + 1 < rest.length) dir = rest[++i];
    else if (rest[i] === '--arch' && i + 1 < rest.length) {
      const a = rest[++i];
      if (a !== 'all' && !ARCHES[a]) throw new Failure(`unknown arch '${a}' (riscv64, arm or all)`);
      arches = a === 'all' ? arches : [a];
    } else throw new Failure(USAGE.trimEnd());
  }
  requireMounted(dir);
  for (const arch of arches) {
    const entry = path.join(dir, `tsemu-${arch}`);
    switch (command) {
      case 'install':
        // The kernel runs the interpreter as an executable (a #! script here); without the
        // right to make it one, the registration below fails and says why.
        try {
          fs.chmodSync(entryOf(arch), 0o755);
        } catch { /* see above */ }
        if (fs.existsSync(entry)) write(entry, '-1'); // registered before: replaced
        write(path.join(dir, 'register'), registration(arch, entryOf(arch)));
        out(`tsemu-${arch}: registered (${entryOf(arch)}, flags ${FLAGS})\n`);
        break;
      case 'uninstall':
        if (fs.existsSync(entry)) {
          write(entry, '-1');
          out(`tsemu-${arch}: removed\n`);
        } else out(`tsemu-${arch}: not registered\n`);
        break;
      case 'status': {
        const text = fs.existsSync(entry) ? fs.readFileSync(entry, 'utf8') : undefined;
        const interp = text && /^interpreter (.*)$/m.exec(text)?.[1];
        const state = text === undefined ? 'not registered' : `${text.split('\n')[0]}, interpreter ${interp}`;
        const others = rivals(dir, arch);
        out(`tsemu-${arch}: ${state}${others.length ? `; also for these binaries: ${others.join(', ')}` : ''}\n`);
        break;
      }
      default:
        throw new Failure(USAGE.trimEnd());
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  try {
    binfmt(process.argv.slice(2), (s) => process.stdout.write(s));
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    process.stderr.write(`tsemu-binfmt: ${e.message}\n`);
    process.exit(1);
  }
}
