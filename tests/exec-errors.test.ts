// execve of a malformed ELF of the guest's own arch fails in the caller with the kernel's errno,
// as on Linux: tests/guest-bins/ARCH/exec_bad_elf execs copies of its own header with one field
// broken and prints what execve said. qemu-user is no oracle for this (its execve hands any ELF
// of the arch to binfmt_misc, and the new qemu exits with its loader error), so the expected
// lines are Linux's (fs/binfmt_elf.c load_elf_binary), written here.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ARM, RISCV64, ROOT, programPath } from './guest-bins/corpus.js';

const LINUX = [
  'e_phnum 0: Exec format error',
  'other class: Exec format error',
  'ET_REL: Exec format error',
  'e_phentsize wrong: Exec format error',
  'big-endian: Exec format error',
  'program headers past the end: Exec format error',
  'only half a header: Exec format error',
  'still here',
  '',
].join('\n');

describe('execve of a malformed ELF', () => {
  for (const arch of [RISCV64, ARM]) {
    it(`${arch.name}: fails with ENOEXEC in the caller, which goes on`, () => {
      const r = spawnSync(process.execPath, [arch.cli, programPath('exec_bad_elf', arch.name)], { cwd: ROOT, encoding: 'utf8' });
      expect([r.stdout, r.stderr, r.status]).toEqual([LINUX, '', 0]);
    });
  }
});
