// The qemu-user command line: each option, its TSEMU_* variable, and qemu 7.2's messages and
// exit statuses for bad input (checked against qemu-riscv64 by hand).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliExit, readOptions, type Options } from '../../src/cli/options.js';

const P = 'tsemu-riscv64';
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}): Options => readOptions(argv, env, P);
const exit = (argv: string[], env: NodeJS.ProcessEnv = {}): CliExit => {
  try {
    parse(argv, env);
  } catch (e) {
    if (e instanceof CliExit) return e;
    throw e;
  }
  throw new Error(`${argv.join(' ')} parsed`);
};

describe('program and arguments', () => {
  it('takes the first non-option as the program and leaves the rest to the guest', () => {
    const o = parse(['-strace', './prog', '-strace', '-L', 'x']);
    expect(o.program).toBe('./prog');
    expect(o.argv).toEqual(['./prog', '-strace', '-L', 'x']);
    expect(o.strace).toBe(true);
    expect(o.ldPrefix).toBeUndefined();
  });
  it('ends options at --, and accepts double-dash spellings', () => {
    expect(parse(['--', '-prog', 'a']).argv).toEqual(['-prog', 'a']);
    expect(parse(['--strace', 'p']).strace).toBe(true);
  });
  it('has qemu-like defaults', () => {
    const o = parse(['p']);
    expect(o).toMatchObject({
      stackSize: 8 * 1024 * 1024, cpu: { model: 'any', props: {} }, logFile: undefined, strace: false,
      oneInsnPerTb: false, seed: undefined, uname: undefined, backend: 'tiered',
    });
    expect(o.debug.size).toBe(0);
  });
});

describe('each option and its environment variable', () => {
  const cases: [string[], NodeJS.ProcessEnv, (o: Options) => unknown, unknown][] = [
    [['-L', '/sys/root'], {}, (o) => o.ldPrefix, '/sys/root'],
    [[], { TSEMU_LD_PREFIX: '/env/root' }, (o) => o.ldPrefix, '/env/root'],
    [['-s', '64k'], {}, (o) => o.stackSize, 65536],
    [['-s', '2M'], {}, (o) => o.stackSize, 2 << 20],
    [['-s', '1G'], {}, (o) => o.stackSize, 1 << 30],
    [['-s', '0x2000'], {}, (o) => o.stackSize, 0x2000],
    [[], { TSEMU_STACK_SIZE: '3M' }, (o) => o.stackSize, 3 << 20],
    [['-cpu', 'rv64,zba=true,c=off'], {}, (o) => o.cpu, { model: 'rv64', props: { zba: true, c: false } }],
    [[], { TSEMU_CPU: 'rv64' }, (o) => o.cpu.model, 'rv64'],
    [['-0', 'argv-zero'], {}, (o) => o.argv[0], 'argv-zero'],
    [[], { TSEMU_ARGV0: 'env-zero' }, (o) => o.argv[0], 'env-zero'],
    [['-r', '6.1.0'], {}, (o) => o.uname, '6.1.0'],
    [[], { TSEMU_UNAME: '5.0' }, (o) => o.uname, '5.0'],
    [['-d', 'in_asm,op,unimp'], {}, (o) => [...o.debug], ['in_asm', 'op', 'unimp']],
    [[], { TSEMU_LOG: 'page' }, (o) => [...o.debug], ['page']],
    [['-D', 'log.txt'], {}, (o) => o.logFile, 'log.txt'],
    [[], { TSEMU_LOG_FILENAME: 'e.txt' }, (o) => o.logFile, 'e.txt'],
    [['-one-insn-per-tb'], {}, (o) => o.oneInsnPerTb, true],
    [['-singlestep'], {}, (o) => o.oneInsnPerTb, true],
    [[], { TSEMU_ONE_INSN_PER_TB: '1' }, (o) => o.oneInsnPerTb, true],
    [[], { TSEMU_STRACE: '' }, (o) => o.strace, true],
    [['-seed', '12345678901234567890'], {}, (o) => o.seed, 12345678901234567890n],
    [[], { TSEMU_RAND_SEED: '0x10' }, (o) => o.seed, 16n],
    [['-backend', 'interp'], {}, (o) => o.backend, 'interp'],
    [[], { TSEMU_BACKEND: 'wasm' }, (o) => o.backend, 'wasm'],
  ];
  it.each(cases)('%j %j', (args, env, get, want) => {
    expect(get(parse([...args, 'prog'], env))).toEqual(want);
  });
  it('lets the command line override the environment', () => {
    expect(parse(['-s', '1M', 'p'], { TSEMU_STACK_SIZE: '2M' }).stackSize).toBe(1 << 20);
    expect(parse(['-backend', 'interp', 'p'], { TSEMU_BACKEND: 'wasm' }).backend).toBe('interp');
  });
});

describe('guest environment', () => {
  it('passes the host environment through with -E and -U applied in order, environment first', () => {
    const host = { HOME: '/root', PATH: '/bin', TSEMU_SET_ENV: 'A=env,B=env', TSEMU_UNSET_ENV: 'PATH' };
    const o = parse(['-E', 'A=1,C=3', '-U', 'HOME,B', '-E', 'HOME=/h', '-E', 'EMPTY', 'p'], host);
    expect(Object.fromEntries(o.envp.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])))
      .toEqual({ HOME: '/h', TSEMU_SET_ENV: 'A=env,B=env', TSEMU_UNSET_ENV: 'PATH', A: '1', C: '3', EMPTY: '' });
  });
});

describe('messages and exit statuses', () => {
  const oneLine = (argv: string[], stderr: string, env: NodeJS.ProcessEnv = {}): void => {
    const e = exit(argv, env);
    expect([e.status, e.stdout, e.stderr]).toEqual([1, '', `${stderr}\n`]);
  };
  it('unknown option, missing argument, missing program', () => {
    oneLine(['-foo', 'p'], `${P}: unknown option 'foo'`);
    oneLine(['-L'], `${P}: missing argument for option 'L'`);
    oneLine(['-strace'], `${P}: no user program specified`);
    oneLine([], `${P}: no user program specified`);
  });
  it('bad -cpu values', () => {
    oneLine(['-cpu', 'foo', 'p'], `${P}: unable to find CPU model 'foo'`);
    oneLine(['-cpu', 'rv64,zba', 'p'], `${P}: Expected key=value format, found zba.`);
    oneLine(['-cpu', 'rv64,foo=true', 'p'],
      `${P}: can't apply global rv64-riscv-cpu.foo=true: Property 'rv64-riscv-cpu.foo' not found`);
    oneLine([], `${P}: unable to find CPU model 'bar'`, { TSEMU_CPU: 'bar' });
  });
  it('bad -seed and -backend values', () => {
    oneLine(['-seed', 'abc', 'p'], `${P}: cannot initialize crypto: Invalid seed number: abc`);
    oneLine(['-backend', 'jit', 'p'], `${P}: unknown backend 'jit' (interp, wasm or tiered)`);
  });
  it('-d help and a bad -d item list the items on stdout and exit 1', () => {
    for (const d of ['help', 'in_asm,foo', ',']) {
      const e = exit(['-d', d, 'p']);
      expect(e.status).toBe(1);
      expect(e.stderr).toBe('');
      expect(e.stdout.split('\n')[0]).toBe('Log items (comma separated):');
      for (const item of ['in_asm', 'op', 'op_opt', 'out_asm', 'exec', 'cpu', 'unimp', 'strace', 'page', 'helpers']) {
        expect(e.stdout).toMatch(new RegExp(`^${item} +\\S`, 'm'));
      }
    }
  });
  it('-cpu help lists the models on stdout and exits 1, without a program', () => {
    const e = exit(['-cpu', 'help']);
    expect([e.status, e.stdout]).toEqual([1, 'any\nrv64\n']);
  });
  it('a bad -s value prints the usage and exits 1', () => {
    for (const s of ['abc', '0', '12x']) {
      const e = exit(['-s', s, 'p']);
      expect(e.status).toBe(1);
      expect(e.stdout).toMatch(/^usage: tsemu-riscv64 \[options\] program \[arguments\.\.\.\]\n/);
    }
  });
  it('-h prints the usage with every option and its variable, and exits 0', () => {
    const e = exit(['-h']);
    expect(e.status).toBe(0);
    expect(e.stdout).toMatch(/^-d item\[,\.\.\.\] +TSEMU_LOG +enable logging/m);
    expect(e.stdout).toMatch(/^-backend name +TSEMU_BACKEND +/m);
    expect(e.stdout).toMatch(/^-singlestep +alias of -one-insn-per-tb$/m);
    expect(exit(['-help', 'p']).stdout).toBe(e.stdout);
  });
  it('-version prints the package version and a copyright line, and exits 0', () => {
    const { version } = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
    const e = exit(['-version']);
    expect(e.status).toBe(0);
    const lines = e.stdout.split('\n');
    expect(lines[0]).toBe(`${P} version ${version}`);
    expect(lines[1]).toMatch(/^Copyright /);
  });
  it('takes the arch from the program name', () => {
    const e = readOptions(['-cpu', 'cortex-a15', 'p'], {}, 'tsemu-arm');
    expect(e.cpu.model).toBe('cortex-a15');
    expect(e.ldPrefix).toBeUndefined();
    expect(readOptions(['p'], { QEMU_LD_PREFIX: '/q' }, 'tsemu-arm').ldPrefix).toBe('/q');
    expect(readOptions(['-L', '/l', 'p'], { QEMU_LD_PREFIX: '/q' }, 'tsemu-arm').ldPrefix).toBe('/l');
  });
});
