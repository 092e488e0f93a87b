// tsemu as a library (src/api, README "Use it as a library"): run() on the built package runs
// real guest programs of both arches in this process, on the host's filesystem, a confined
// directory or a memfs volume, with its stdio as buffers or streams and the syscall, block and
// exit hooks seeing (and changing) what the guest does. Every test here runs in one Node
// process, so they also show that runs may follow one another.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { ROOT } from './guest-bins/corpus.js';
import { run, type SyscallCall } from '../dist/src/index.js';

const ARCHES = ['riscv64', 'arm'] as const;
const bin = (arch: string, name: string): string => join(ROOT, 'tests/guest-bins', arch, name);
const apiFs = (arch: string): string => bin(arch, 'api_fs');

describe.each(ARCHES)('run() on %s', (arch) => {
  it('writes into a memfs root that the embedder reads back, with its output as buffers', async () => {
    const volume = new Volume();
    const r = await run({
      arch, program: apiFs(arch), root: { memfs: volume }, stdin: 'from the embedder\n',
      argv: ['api_fs', 'write', '/data/out.txt', `written by ${arch}`, 'cat', '/data/out.txt', 'cat', '/etc/passwd', 'echo'],
    });
    expect(volume.readFileSync('/data/out.txt', 'utf8')).toBe(`written by ${arch}`);
    expect(r.stdout?.toString()).toBe([
      'write /data/out.txt: ok', `cat /data/out.txt: [written by ${arch}]`,
      'cat /etc/passwd: No such file or directory', 'from the embedder', '',
    ].join('\n'));
    expect(r.stderr?.toString()).toBe('echo: 18 bytes\n');
    expect([r.status, r.signal]).toEqual([0, null]);
  });

  // glibc's unlink() is the unlinkat syscall on riscv64 and the older unlink on ARM: the hook
  // denies both, and records what came.
  it('lets a syscall hook deny unlinkat with EPERM, from the first thread and a second one', async () => {
    const volume = Volume.fromJSON({ '/keep/a': 'a', '/keep/b': 'b' });
    const seen: SyscallCall[] = [];
    const r = await run({
      arch, program: apiFs(arch), root: { memfs: volume },
      argv: ['api_fs', 'unlink', '/keep/a', 'thread-unlink', '/keep/b'],
      hooks: {
        syscall: (call) => {
          if (call.name !== 'unlinkat' && call.name !== 'unlink') return undefined;
          const path = call.readString(call.args[call.kinds.indexOf('path')]);
          seen.push({ ...call, args: [...call.args], kinds: [...call.kinds], readString: () => path });
          return { errno: 'EPERM' };
        },
      },
    });
    expect(r.stdout?.toString()).toBe('unlink /keep/a: Operation not permitted\nthread-unlink /keep/b: Operation not permitted\n');
    expect(volume.toJSON()).toEqual({ '/keep/a': 'a', '/keep/b': 'b' });
    const name = arch === 'arm' ? 'unlink' : 'unlinkat';
    expect(seen.map((c) => [c.name, c.readString(0)])).toEqual([[name, '/keep/a'], [name, '/keep/b']]);
    // The second call came from another thread than the first.
    expect(seen[0].tid).not.toBe(seen[1].tid);
    expect(seen[0].number).toBe(seen[1].number);
  });

  it('lets a syscall hook change a call\'s arguments', async () => {
    // Every write to fd 1 goes to fd 2 instead.
    const r = await run({
      arch, program: bin(arch, 'hello'), argv: ['hello', 'x'],
      hooks: { syscall: (c) => (c.name === 'write' && c.args[0] === 1 ? { args: [2, ...c.args.slice(1)] } : undefined) },
    });
    expect(r.stdout?.toString()).toBe('');
    expect(r.stderr?.toString()).toBe('Hello, world!\nhello\nx\n');
  });

  it('confines a directory root: neither .. nor a relative or absolute symlink leads out', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'tsemu-api-'));
    const root = join(outside, 'root');
    mkdirSync(join(root, 'etc'), { recursive: true });
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'etc/hostname'), 'inside\n');
    writeFileSync(join(outside, 'secret'), 'outside\n');
    symlinkSync('../../../../../..', join(root, 'sub/up'));
    symlinkSync('/etc', join(root, 'abs'));
    symlinkSync(join(outside, 'secret'), join(root, 'hostpath'));
    symlinkSync('/sub/up/made', join(root, 'dangling'));
    const r = await run({
      arch, program: apiFs(arch), root: { dir: root },
      argv: ['api_fs', 'cat', '/../../etc/hostname', 'cat', '../../../../etc/hostname', 'cat', '/sub/up/etc/hostname',
        'cat', '/abs/hostname', 'cat', '/hostpath', 'cat', '/sub/up/secret', 'write', '/dangling', 'through a link'],
    });
    expect(r.stdout?.toString()).toBe([
      'cat /../../etc/hostname: [inside]', 'cat ../../../../etc/hostname: [inside]', 'cat /sub/up/etc/hostname: [inside]',
      'cat /abs/hostname: [inside]', 'cat /hostpath: No such file or directory', 'cat /sub/up/secret: No such file or directory',
      'write /dangling: ok', '',
    ].join('\n'));
    // The write through a dangling symlink landed inside the root, where the link points there.
    expect(readFileSync(join(root, 'made'), 'utf8')).toBe('through a link');
    expect(existsSync(join(outside, 'made'))).toBe(false);
  });

  it('reports each translated block once to the block hook, and the end to the exit hook', async () => {
    const blocks: { pc: number; size: number }[] = [];
    const ends: unknown[] = [];
    const r = await run({
      arch, program: apiFs(arch), argv: ['api_fs'],
      hooks: { block: (b) => blocks.push(b), exit: (e) => ends.push(e) },
    });
    expect([r.status, r.signal]).toEqual([2, null]);
    expect(ends).toEqual([{ status: 2, signal: null }]);
    // The first block is at the ELF entry point (e_entry; on ARM with bit 0 set for Thumb code,
    // as the pc of a Thumb block is).
    const elf = readFileSync(apiFs(arch));
    const entry = arch === 'riscv64' ? Number(elf.readBigUInt64LE(24)) : elf.readUInt32LE(24);
    expect(blocks[0].pc).toBe(entry);
    expect(blocks.every((b) => b.size > 0)).toBe(true);
    expect(new Set(blocks.map((b) => b.pc)).size).toBe(blocks.length);
  });

  it('resolves with the signal that killed the guest', async () => {
    const ends: unknown[] = [];
    const r = await run({ arch, program: bin(arch, 'null_deref'), hooks: { exit: (e) => ends.push(e) } });
    expect([r.status, r.signal, r.stdout?.toString()]).toEqual([null, 11, 'writing through NULL\n']);
    expect(ends).toEqual([{ status: null, signal: 11 }]);
  });

  it('reads stdin from a stream and writes stdout to one', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const got: Buffer[] = [];
    stdout.on('data', (c: Buffer) => got.push(c));
    setTimeout(() => {
      stdin.write('first ');
      setTimeout(() => stdin.end('second\n'), 20);
    }, 20);
    const r = await run({ arch, program: apiFs(arch), argv: ['api_fs', 'echo'], stdin, stdout });
    expect(r.stdout).toBeUndefined();
    expect(Buffer.concat(got).toString()).toBe('first second\n');
    expect(r.stderr?.toString()).toBe('echo: 13 bytes\n');
  });

  it('runs a program given as bytes, and again in the same process', async () => {
    const bytes = readFileSync(bin(arch, 'hello'));
    const first = await run({ arch, program: bytes, argv: ['hello', 'one'] });
    const second = await run({ arch, program: bytes, argv: ['hello', 'two'] });
    expect(first.stdout?.toString()).toBe('Hello, world!\nhello\none\n');
    expect(second.stdout?.toString()).toBe('Hello, world!\nhello\ntwo\n');
  });
});

describe('run() refusals', () => {
  it('rejects a program it cannot load with the loader\'s message', async () => {
    await expect(run({ arch: 'riscv64', program: bin('arm', 'hello') })).rejects.toThrow('Invalid ELF image for this architecture');
    await expect(run({ arch: 'riscv64', program: '/nonexistent/prog' })).rejects.toThrow('No such file or directory');
  });

  it.each(ARCHES)('fails fork with ENOSYS, and a Unix socket in a memfs root with EOPNOTSUPP (%s)', async (arch) => {
    const r = await run({ arch, program: apiFs(arch), argv: ['api_fs', 'fork', 'bind', '/sock'], root: { memfs: new Volume() } });
    expect(r.stdout?.toString()).toBe('fork child: Function not implemented\nbind /sock: Operation not supported\n');
  });

  it('binds a Unix socket of a directory root inside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tsemu-api-'));
    const r = await run({ arch: 'riscv64', program: apiFs('riscv64'), argv: ['api_fs', 'bind', '/sock'], root: { dir: root } });
    expect(r.stdout?.toString()).toBe('bind /sock: ok\n');
    expect(existsSync(join(root, 'sock'))).toBe(true);
  });
});

/** The first ```js block of the README's library section, as a module that imports the built
 *  package and this checkout's memfs. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it as a library'));
  const code = /```js\n([\s\S]*?)```/.exec(section)![1];
  return code
    .replace(`from 'tsemu'`, `from '${pathToFileURL(join(ROOT, 'dist/src/index.js'))}'`)
    .replace(`from 'memfs'`, `from '${pathToFileURL(join(ROOT, 'node_modules/memfs/lib/index.js'))}'`);
}

describe('the README example', () => {
  it('runs as the README says, and its Node process ends when the guest has', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tsemu-readme-')), 'example.mjs');
    writeFileSync(file, readmeExample());
    const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0 write /notes/today.txt: ok\nunlink /notes/today.txt: Operation not permitted\n\nhello\n');
    expect(r.status).toBe(0);
  });
});

describe('the packed package', () => {
  // npm pack of a copy of the package as it is built (the build is the tests' own), installed
  // into a new project from the tarball, its dependencies from npm's cache where this
  // checkout's install put them (the registry is asked only for what the cache lacks, such as
  // the version lists `npm ci` never fetched).
  it('installs from its tarball and gives `import { run } from \'tsemu\'` with types', (ctx) => {
    const tmp = mkdtempSync(join(tmpdir(), 'tsemu-pack-'));
    const pkg = join(tmp, 'pkg');
    mkdirSync(pkg);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    delete manifest.scripts.prepare; // as scripts/pack-manifest.mjs does for npm pack
    writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest));
    for (const f of ['README.md', 'LICENSE', 'dist/src']) cpSync(join(ROOT, f), join(pkg, f), { recursive: true });
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], { cwd: pkg, encoding: 'utf8' }).trim();
    const app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(tmp, tarball)], { cwd: app, encoding: 'utf8' });
    if (install.status !== 0) {
      // CI installs from the registry anyway (npm ci): there a failure here is the package's.
      if (process.env.CI) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
      console.warn(`skipped: npm install of the tarball failed (its dependencies are neither in npm's cache nor reachable):\n${install.stderr}`);
      ctx.skip();
    }
    writeFileSync(join(app, 'main.ts'), [
      `import { run, type RunResult } from 'tsemu';`,
      `const result: RunResult = await run({ arch: 'riscv64', program: process.argv[2], argv: ['hello', 'packed'] });`,
      `process.stdout.write(result.stdout ?? '');`,
    ].join('\n'));
    writeFileSync(join(app, 'bad.ts'), `import { run } from 'tsemu';\nawait run({ arch: 'x86', program: 'p' });\n`);
    const tsconfig = (file: string): object => ({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true,
        types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')],
      },
      files: [file],
    });
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig('main.ts')));
    writeFileSync(join(app, 'tsconfig.bad.json'), JSON.stringify(tsconfig('bad.ts')));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const good = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    expect(good.stdout).toBe('');
    // The types are the package's: a wrong arch does not type-check.
    const bad = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.bad.json', '--noEmit'], { cwd: app, encoding: 'utf8' });
    expect(bad.stdout).toContain(`Type '"x86"' is not assignable to type 'ArchName'`);
    const r = spawnSync(process.execPath, ['main.js', bin('riscv64', 'hello')], { cwd: app, encoding: 'utf8' });
    expect([r.stdout, r.stderr, r.status]).toEqual(['Hello, world!\nhello\npacked\n', '', 0]);
  });
});
