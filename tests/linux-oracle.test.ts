// The programs for which qemu-user is no oracle (its answers differ from Linux's, which tsemu
// follows): the expected output is what the host's own Linux printed running the same source
// built natively (tests/guest-bins/src/NAME.linux, `make linux` in tests/guest-bins). Each
// source says where qemu differs. exec_bad_elf: execve of malformed ELF images fails in the
// caller with ENOEXEC (qemu's execve hands any ELF of the arch to binfmt_misc, and the new qemu
// exits with its loader error). mem_advice: madvise, mincore and msync answers (qemu 7.2
// accepts every advice and flag, and keeps a private file page's writes after MADV_DONTNEED).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARM, RISCV64, ROOT, runProgram } from './guest-bins/corpus.js';

const PROGRAMS = ['exec_bad_elf', 'mem_advice'];

describe('programs whose oracle is Linux itself', () => {
  for (const arch of [RISCV64, ARM]) {
    it.each(PROGRAMS)(`${arch.name}: %s prints what Linux printed`, async (name) => {
      const linux = readFileSync(join(ROOT, `tests/guest-bins/src/${name}.linux`), 'utf8');
      const r = await runProgram(process.execPath, [arch.cli], name, arch.name);
      expect([r.stdout, r.stderr, r.status]).toEqual([linux, '', 0]);
    });
  }
});
