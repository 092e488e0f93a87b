// -strace prints each signal as it is taken, as qemu-user does: `--- SIGSEGV {si_signo=SIGSEGV,
// si_code=1, si_addr=NULL} ---`, with the siginfo fields of what sent it (a fault's address, the
// sender's pid and uid, a queued or timer value, a child's status), also for a signal that is
// ignored or kills the process, after the line of the call that sent it. Compared with qemu's
// lines for the same programs; pids, uids and child times differ from run to run, and addresses
// in mmap'd memory differ by layout (tsemu places mappings elsewhere), so those are masked.
import { describe, expect, it } from 'vitest';
import { ARM, type GuestArch, RISCV64, onPath, runProgram } from './guest-bins/corpus.js';

const COMMON = ['sig_raise', 'sig_mask', 'sig_segv_recover', 'mprotect_fault', 'abort_sig', 'null_deref', 'io_events'];
/** qemu-arm reports an undefined instruction as ILL_ILLOPN where Linux's ARM kernel says
 *  ILL_ILLOPC (arch/arm/kernel/traps.c do_undefinstr), so ARM's SIGILL programs are left out. */
const PROGRAMS: [GuestArch, string[]][] = [[RISCV64, [...COMMON, 'illegal_insn', 'sig_ucontext']], [ARM, COMMON]];

const MMAP_BASE = 0x10000000;
function signalLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('--- ')).map((l) => l
    .replace(/si_(pid|uid|utime|stime)=\d+/g, 'si_$1=N')
    .replace(/si_addr=0x([0-9a-f]+)/g, (m, hex: string) => (parseInt(hex, 16) >= MMAP_BASE ? 'si_addr=MMAP' : m)));
}

/** The -strace log of a corpus program under tsemu, or under qemu when `qemu` is set. */
async function strace(arch: GuestArch, name: string, qemu = false): Promise<string> {
  const r = qemu ? await runProgram(arch.qemu, ['-strace'], name, arch.name)
    : await runProgram(process.execPath, [arch.cli, '-strace'], name, arch.name);
  return r.stderr;
}

describe('-strace shows the signals taken', () => {
  for (const [arch, names] of PROGRAMS) {
    const hasQemu = onPath(arch.qemu);
    it.each(names)(`${arch.name}: %s prints qemu's lines${hasQemu ? '' : ` (skipped: ${arch.qemu} is not on PATH)`}`, async (name) => {
      const lines = signalLines(await strace(arch, name));
      expect(lines.length).toBeGreaterThan(0);
      if (hasQemu) expect(lines).toEqual(signalLines(await strace(arch, name, true)));
    });
  }

  it('a fatal signal a call sends its own thread follows that call\'s line, then tsemu\'s message', async () => {
    const err = await strace(RISCV64, 'abort_sig');
    expect(err).toMatch(/\n\d+ tgkill\((\d+),\1,SIGIOT\) = 0\n--- SIGIOT \{si_signo=SIGIOT, si_code=SI_TKILL, si_pid=\d+, si_uid=\d+\} ---\n/);
  });
});
