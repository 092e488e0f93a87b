// Debian's busybox-static for armhf (fetched by `make busybox`, not committed) runs the
// common applets of issue 3 under tsemu-arm and under qemu-arm, each in a fresh temporary
// directory holding the same fixed tree; stdout and exit status must match. The shell cases
// fork and exec: pipelines, command substitution, background jobs and wait, xargs, find -exec,
// a script read from stdin. Listings show only what the fixture fixes (busybox tar x leaves
// directories with the time of extraction).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARM, type GuestArch, onPath, qemuRunsGuestExec, ROOT, RUN_TIMEOUT_MS, spawnAsync } from './guest-bins/corpus.js';

const BUSYBOX = join(ROOT, 'tests/guest-bins/busybox/bin/busybox');

interface Case {
  name: string;
  /** Busybox command lines run one after another in the same directory. */
  steps: string[][];
  stdin?: string;
  /** Execs busybox itself (xargs, find -exec): qemu runs that only through binfmt_misc. */
  execsGuests?: boolean;
}

const LINES = 'pear 3 x\napple 10 y\nfig 7 x\napple 10 y\nbanana 1 z\nfig 7 x\ncherry 22 y\n';

const CASES: Case[] = [
  { name: 'echo', steps: [['echo', 'hello', 'world'], ['echo', '-n', 'no newline'], ['echo', '-e', 'tab\\there\\nnext']] },
  { name: 'cat', steps: [['cat', 'tree/a.txt', 'tree/sub/c.txt'], ['cat', 'missing']] },
  { name: 'ls -l of a fixed tree', steps: [['ls', '-l', 'tree'], ['ls', '-lR', 'tree'], ['ls', '-a', 'tree/sub']] },
  { name: 'sort', steps: [['sort', 'lines.txt'], ['sort', '-k2,2n', '-r', 'lines.txt'], ['sort', '-u', 'lines.txt']] },
  { name: 'uniq', steps: [['uniq', '-c', 'sorted.txt'], ['uniq', '-d', 'sorted.txt']] },
  { name: 'wc', steps: [['wc', 'lines.txt', 'tree/a.txt'], ['wc', '-l'], ['wc', '-c', 'tree/b.bin']], stdin: LINES },
  { name: 'head and tail', steps: [['head', '-n', '3', 'lines.txt'], ['tail', '-n', '2', 'lines.txt'], ['tail', '-c', '9', 'lines.txt'], ['head', '-c', '5', 'tree/a.txt']] },
  { name: 'cut', steps: [['cut', '-d', ' ', '-f', '1,3', 'lines.txt'], ['cut', '-c', '2-4', 'lines.txt']] },
  { name: 'tr', steps: [['tr', 'a-z', 'A-Z'], ['tr', '-d', 'aeiou'], ['tr', '-s', 'p']], stdin: 'apple pepper\n' },
  { name: 'sed', steps: [['sed', '-n', '/fig/p', 'lines.txt'], ['sed', 's/\\([a-z]*\\) \\([0-9]*\\)/\\2-\\1/;2d', 'lines.txt'], ['sed', '-e', '1i top', '-e', '$a bottom', 'tree/a.txt']] },
  { name: 'awk', steps: [['awk', '{ s += $2; n[$3]++ } END { printf "%d %d %d %d\\n", s, n["x"], n["y"], n["z"] }', 'lines.txt'], ['awk', '-F', ' ', 'length($1) > 4 { print NR": "toupper($1) }', 'lines.txt'], ['awk', 'BEGIN { for (i = 1; i <= 5; i++) printf "%s%d", (i > 1 ? " " : ""), i * i; print ""; print substr("busybox", 2, 3), index("abc", "c"), 7 % 3, 1 / 8, 2 * 2 * 2 }']] },
  { name: 'grep', steps: [['grep', 'apple', 'lines.txt'], ['grep', '-c', 'x$', 'lines.txt'], ['grep', '-n', '-v', '-E', '^(apple|fig)', 'lines.txt'], ['grep', '-r', '-l', 'gamma', 'tree'], ['grep', 'nothing', 'lines.txt']] },
  { name: 'find', steps: [['find', 'tree'], ['find', 'tree', '-name', '*.txt', '-type', 'f'], ['find', 'tree', '-type', 'd', '-empty']] },
  { name: 'sha256sum and md5sum', steps: [['sha256sum', 'tree/a.txt', 'tree/b.bin', 'lines.txt'], ['md5sum', 'tree/a.txt', 'tree/b.bin'], ['sha256sum'], ['md5sum', '-c', 'sums.md5']], stdin: 'from stdin\n' },
  { name: 'gzip/gunzip round trip', steps: [['gzip', '-9', '-k', 'lines.txt'], ['md5sum', 'lines.txt.gz'], ['gunzip', '-c', 'lines.txt.gz'], ['gzip', '-t', 'lines.txt.gz'], ['rm', 'lines.txt'], ['gunzip', 'lines.txt.gz'], ['cat', 'lines.txt']] },
  { name: 'tar c/x', steps: [['tar', 'cf', 't.tar', 'tree'], ['tar', 'tvf', 't.tar'], ['mkdir', 'out'], ['tar', 'xf', 't.tar', '-C', 'out'], ['find', 'out'], ['ls', '-l', 'out/tree/a.txt', 'out/tree/b.bin', 'out/tree/sub/deep/d.txt'], ['cat', 'out/tree/sub/deep/d.txt']] },
  { name: 'expr', steps: [['expr', '3', '+', '4', '*', '5'], ['expr', 'length', 'busybox'], ['expr', 'abcdef', ':', 'a\\(..\\)'], ['expr', '10', '/', '0'], ['expr', '0']] },
  { name: 'printf', steps: [['printf', '%s=%d [%5.2f] %x %o %c|%-4s|\\n', 'n', '42', '3.14159', '255', '8', 'zed', 'ab'], ['printf', '%d\\n', 'notanumber']] },
  { name: 'seq', steps: [['seq', '5'], ['seq', '-s', ',', '2', '3', '20'], ['seq', '-w', '8', '11']] },
  { name: 'date -d @0 -u', steps: [['date', '-d', '@0', '-u'], ['date', '-u', '-d', '@1234567890', '+%Y-%m-%d %H:%M:%S %j %a']] },
  {
    name: 'sh -c with variables',
    steps: [['sh', '-c', 'x=3; y=4; echo "sum $((x + y)) prod $((x * y))"; s="hello world"; echo "${s%world}there ${#s} ${s#* }"; unset x; echo "x=[${x:-default}]"; set -- a b c; echo "$# $2 $*"']],
  },
  {
    name: 'sh -c with loops',
    steps: [['sh', '-c', 'i=0; while [ $i -lt 5 ]; do printf "%d " $i; i=$((i + 1)); done; echo; for w in one two three; do echo "w=$w"; done; for f in tree/*.txt; do echo "file $f"; done; case foo in f*) echo matched;; *) echo no;; esac; n=0; until [ $n -ge 3 ]; do n=$((n + 1)); done; echo "until $n"']],
  },
  {
    name: 'sh -c with functions and status',
    steps: [
      ['sh', '-c', 'fact() { if [ $1 -le 1 ]; then r=1; else fact $(($1 - 1)); r=$((r * $1)); fi; }; fact 10; echo "fact $r"; greet() { local n=$1; echo "hi $n"; return 3; }; greet bob; echo "status $?"; echo out > f.txt; echo more >> f.txt; while read -r l; do echo "[$l]"; done < f.txt'],
      ['sh', '-c', 'exit 7'],
    ],
  },
  { name: 'sh pipelines', steps: [['sh', '-c', 'cat lines.txt | sort | uniq -c; ls tree | sort -r | head -n 2; echo x | false | true; echo "last $?"']] },
  { name: 'sh command substitution', steps: [['sh', '-c', 'n=$(wc -l < lines.txt); echo "lines $n"; echo "first: $(head -n 1 lines.txt | cut -d " " -f 1)"; echo "nested $(echo $(echo deep))"']] },
  { name: 'sh background jobs and wait', steps: [['sh', '-c', '(sleep 0.3; echo late) & echo early; wait; echo "waited $?"; (exit 5) & wait $!; echo "job status $?"']] },
  { name: 'xargs and find -exec', execsGuests: true, steps: [['sh', '-c', 'find tree -name "*.txt" | sort | xargs wc -l'], ['find', 'tree', '-name', '*.txt', '-exec', 'cat', '{}', ';']] },
  { name: 'sh script from stdin', steps: [['sh']], stdin: 'echo from stdin\nfor i in 1 2 3; do echo "i=$i"; done | sort -r\nx=$(echo sub)\necho "x=$x"\nexit 4\n' },
];

/** The same files, modes and times in every directory, so listings and archives agree. */
function makeFixture(dir: string): void {
  const files: Record<string, string | Buffer> = {
    'tree/a.txt': 'alpha\nbeta\ngamma\n',
    'tree/b.bin': Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff)),
    'tree/sub/c.txt': 'see\n',
    'tree/sub/deep/d.txt': 'deep gamma\n',
    'lines.txt': LINES,
    'sorted.txt': 'a\na\nb\nc\nc\nc\nd\n',
    'sums.md5': '60ccde56a561811d3f7c19b9853f3c64  tree/sub/c.txt\n',
  };
  for (const d of ['tree/sub/deep', 'tree/empty']) mkdirSync(join(dir, d), { recursive: true });
  for (const [path, data] of Object.entries(files)) {
    writeFileSync(join(dir, path), data);
    chmodSync(join(dir, path), 0o644);
  }
  chmodSync(join(dir, 'tree/sub/deep/d.txt'), 0o600);
  // Children before parents: setting a child's time would change its directory's mtime.
  const stamp = new Date('2020-09-13T12:26:40Z');
  for (const p of [...Object.keys(files), 'tree/sub/deep', 'tree/empty', 'tree/sub', 'tree']) {
    if (!p.includes('.')) chmodSync(join(dir, p), 0o755);
    utimesSync(join(dir, p), stamp, stamp);
  }
}

interface StepResult {
  stdout: string;
  stderr: string;
  status: number | string;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function runCase(command: string, prefix: string[], c: Case): Promise<StepResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-busybox-'));
  dirs.push(dir);
  makeFixture(dir);
  const results: StepResult[] = [];
  for (const argv of c.steps) {
    const r = await spawnAsync(command, [...prefix, BUSYBOX, ...argv], {
      cwd: dir,
      input: c.stdin ?? '',
      env: { PATH: process.env.PATH, TZ: 'UTC', LC_ALL: 'C', HOME: dir },
    });
    results.push({ stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('utf8'), status: r.status ?? String(r.signal) });
  }
  return results;
}

function describeBusybox(arch: GuestArch): void {
  const hasBusybox = existsSync(BUSYBOX);
  const hasQemu = onPath(arch.qemu);
  if (process.env.CI && !hasQemu) throw new Error(`${arch.qemu} is required in CI`);
  const skip = !hasBusybox
    ? ` (skipped: ${BUSYBOX} is absent; \`make busybox\` fetches it)`
    : !hasQemu
      ? ` (skipped: ${arch.qemu} is not on PATH)`
      : '';
  const execNote = qemuRunsGuestExec(arch) ? '' : ` (skipped: ${arch.qemu} is not registered with binfmt_misc, so it cannot exec busybox; scripts/qemu-binfmt.sh does it)`;
  const compare = async (c: Case): Promise<void> => {
    if (!existsSync(arch.cli)) throw new Error(`${arch.cli} is missing: run \`npm run build\` first`);
    const [oracle, got] = await Promise.all([runCase(arch.qemu, [], c), runCase('node', [arch.cli], c)]);
    c.steps.forEach((argv, i) => {
      const what = `busybox ${argv.join(' ')}`;
      expect(got[i].stdout, what).toBe(oracle[i].stdout);
      expect(got[i].status, `${what}: status; stderr was:\n${got[i].stderr}`).toBe(oracle[i].status);
    });
  };
  const named = (cases: Case[]): (readonly [string, Case])[] => cases.map((c) => [c.name, c] as const);
  describe(`busybox applets, tsemu-${arch.name} against ${arch.qemu}`, () => {
    it.skipIf(skip !== '').each(named(CASES.filter((c) => !c.execsGuests)))(`%s${skip}`, (_name, c) => compare(c), 2 * RUN_TIMEOUT_MS * 7);
    it.skipIf(skip !== '' || execNote !== '').each(named(CASES.filter((c) => c.execsGuests)))(`%s${skip || execNote}`, (_name, c) => compare(c), 2 * RUN_TIMEOUT_MS * 7);
  });
}

describeBusybox(ARM);
