// One timed run of a command for `npm run bench`: wall time, stdout, exit status and the peak
// resident set size. Node cannot give a child's rusage (spawnSync returns none and
// process.resourceUsage() covers only this process), so the peak comes from GNU time
// (/usr/bin/time, Debian package `time`), which reads it from wait4 when the child ends. Without
// it runs are spawned directly and the peak is unknown ("rss: n/a").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Run {
  seconds: number;
  stdout: string;
  /** The exit code, or the signal's name (through GNU time: 128 + its number). */
  status: string;
  timedOut: boolean;
  /** Peak resident set size in KiB: the largest of the process and the children it waited for. */
  rssKiB?: number;
}

const GNU_TIME = '/usr/bin/time';

export class Timer {
  readonly measuresRss = existsSync(GNU_TIME);
  private dir?: string;

  /**
   * Runs `command args` in `cwd` and waits for it. Through GNU time the command runs under
   * coreutils' `timeout` rather than spawnSync's own limit: that kills only its direct child
   * (time), which would leave the emulator running, where `timeout` kills the command's whole
   * process group (tsemu's forked children too). time and timeout cost about 2 ms of start-up,
   * the same for both emulators.
   */
  run(command: string, args: string[], cwd: string, timeoutMs: number): Run {
    let argv = [command, ...args];
    let rssFile: string | undefined;
    if (this.measuresRss) {
      this.dir ??= mkdtempSync(join(tmpdir(), 'tsemu-bench-'));
      rssFile = join(this.dir, 'rss');
      rmSync(rssFile, { force: true });
      argv = [GNU_TIME, '-f', '%M', '-o', rssFile, 'timeout', '-s', 'KILL', `${timeoutMs / 1000}s`, ...argv];
    }
    const start = process.hrtime.bigint();
    // spawnSync's limit stays as a backstop, later than timeout's.
    const r = spawnSync(argv[0], argv.slice(1), {
      cwd,
      timeout: timeoutMs + 10_000,
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || seconds * 1000 >= timeoutMs;
    if (r.error && !timedOut) throw r.error;
    const run: Run = { seconds, stdout: r.stdout?.toString() ?? '', status: r.signal ?? String(r.status), timedOut };
    if (rssFile && existsSync(rssFile)) {
      // The last line is the figure; a line before it may say the command failed.
      const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
      if (/^\d+$/.test(last)) run.rssKiB = Number(last);
    }
    return run;
  }

  /** Removes the folder of the RSS files. */
  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
