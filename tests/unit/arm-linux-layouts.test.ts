// The ARM struct layouts against the armhf headers: a C program built with
// arm-linux-gnueabihf-gcc prints offsetof/sizeof of every described field and runs under
// qemu-arm. Skipped where the toolchain or qemu-arm is missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARM_LAYOUTS } from '../../src/linux-user/arm/struct-layouts.js';

const has = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
const TOOLS = has('arm-linux-gnueabihf-gcc') && has('qemu-arm');

/** C type and member expressions for each layout (a prefix, or explicit names). */
const C: Record<string, { type: string; member: (f: string) => string }> = {
  stat: { type: 'struct stat', member: (f) => `st_${f}` },
  stat64: { type: 'struct stat64', member: (f) => `st_${f}` },
  statx: { type: 'struct statx', member: (f) => `stx_${f.replace(/_(sec|nsec)$/, (_, s) => `.tv_${s}`)}` },
  statfs: { type: 'struct statfs', member: (f) => (f.startsWith('fsid') ? `f_fsid.val[${f[4]}]` : `f_${f}`) },
  statfs64: { type: 'struct statfs64', member: (f) => (f.startsWith('fsid') ? `f_fsid.val[${f[4]}]` : `f_${f}`) },
  timespec: { type: 'struct timespec', member: (f) => `tv_${f}` },
  timespec64: { type: 'struct __kernel_timespec', member: (f) => `tv_${f}` },
  timeval: { type: 'struct timeval', member: (f) => `tv_${f}` },
  timezone: { type: 'struct timezone', member: (f) => `tz_${f}` },
  rusage: { type: 'struct rusage', member: (f) => `ru_${f.replace(/_(sec|usec)$/, (_, s) => `.tv_${s}`)}` },
  rlimit: { type: 'struct rlimit', member: (f) => `rlim_${f}` },
  rlimit64: { type: 'struct rlimit64', member: (f) => `rlim_${f}` },
  tms: { type: 'struct tms', member: (f) => `tms_${f}` },
  sysinfo: { type: 'struct sysinfo', member: (f) => f.replace(/^loads(\d)$/, 'loads[$1]') },
  utsname: { type: 'struct new_utsname', member: (f) => f },
  dirent64: { type: 'struct dirent64', member: (f) => `d_${f}` },
  iovec: { type: 'struct iovec', member: (f) => `iov_${f}` },
  winsize: { type: 'struct winsize', member: (f) => `ws_${f}` },
  termios: { type: 'struct termios', member: (f) => `c_${f}` },
  stack_t: { type: 'stack_t', member: (f) => `ss_${f}` },
  sched_param: { type: 'struct sched_param', member: (f) => `sched_${f}` },
  epoll_event: { type: 'struct epoll_event', member: (f) => f },
  msghdr: { type: 'struct msghdr', member: (f) => `msg_${f}` },
  cmsghdr: { type: 'struct cmsghdr', member: (f) => `cmsg_${f}` },
  siginfo: { type: 'siginfo_t', member: (f) => (f === 'tid' ? 'si_timerid' : `si_${f}`) },
  sigevent: { type: 'struct sigevent', member: (f) => (f === 'tid' ? '_sigev_un._tid' : `sigev_${f}`) },
  itimerval: { type: 'struct itimerval', member: (f) => f.replace(/^(interval|value)_(sec|usec)$/, 'it_$1.tv_$2') },
  itimerspec: { type: 'struct itimerspec', member: (f) => f.replace(/^(interval|value)_(sec|nsec)$/, 'it_$1.tv_$2') },
  itimerspec64: { type: 'struct __kernel_itimerspec', member: (f) => f.replace(/^(interval|value)_(sec|nsec)$/, 'it_$1.tv_$2') },
};
/** Fields deliberately narrower than the C member: a 32-bit kernel reads only tv_nsec's low
 *  half of a __kernel_timespec. */
const NARROWER = new Set(['timespec64.nsec', 'itimerspec64.interval_nsec', 'itimerspec64.value_nsec']);
/** Layouts whose size is the header before a flexible name, not sizeof. */
const HEADER_ONLY = new Set(['dirent64']);

const SOURCE_HEAD = `#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>
#include <linux/time_types.h>
#include <linux/utsname.h>
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <time.h>
#define F(l, T, f, m) printf("%s.%s %zu %zu\\n", l, f, offsetof(T, m), sizeof(((T *)0)->m))
#define S(l, T) printf("%s %zu\\n", l, sizeof(T))
int main(void) {
`;

describe.skipIf(!TOOLS)('ARM struct layouts against the armhf headers', () => {
  it('every described field has the header offset and size', () => {
    expect(Object.keys(C).sort()).toEqual(Object.keys(ARM_LAYOUTS).filter((n) => n !== 'sigaction').sort());
    let body = '';
    for (const [name, c] of Object.entries(C)) {
      body += `S("${name}", ${c.type});\n`;
      for (const f of Object.keys(ARM_LAYOUTS[name].fields)) body += `F("${name}", ${c.type}, "${f}", ${c.member(f)});\n`;
    }
    const dir = mkdtempSync(join(tmpdir(), 'tsemu-arm-layouts-'));
    try {
      writeFileSync(join(dir, 'l.c'), `${SOURCE_HEAD}${body}return 0;\n}\n`);
      const cc = spawnSync('arm-linux-gnueabihf-gcc', ['-static', '-O0', '-o', join(dir, 'l'), join(dir, 'l.c')], { encoding: 'utf8' });
      expect(cc.stderr).toBe('');
      const run = spawnSync('qemu-arm', [join(dir, 'l')], { encoding: 'utf8' });
      const got = new Map(run.stdout.trim().split('\n').map((l) => { const [k, ...v] = l.split(' '); return [k, v.map(Number)]; }));
      for (const [name, l] of Object.entries(ARM_LAYOUTS)) {
        if (!C[name]) continue;
        for (const [f, spec] of Object.entries(l.fields)) {
          const [off, size] = got.get(`${name}.${f}`)!;
          expect(`${name}.${f} @${spec.offset}`).toBe(`${name}.${f} @${off}`);
          if (name === 'dirent64' && f === 'name') continue;
          const want = NARROWER.has(`${name}.${f}`) ? spec.size < size : spec.size === size;
          expect(want, `${name}.${f}: ${spec.size} bytes, header ${size}`).toBe(true);
        }
        const size = HEADER_ONLY.has(name) ? l.fields.name.offset : got.get(name)![0];
        expect(`${name} size ${l.size}`).toBe(`${name} size ${size}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);
});
