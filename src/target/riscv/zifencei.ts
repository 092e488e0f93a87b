// Zifencei: fence.i (RISC-V unprivileged ISA, chapter 6). The guest announces that it wrote code:
// the block ends and the cpu loop drops every translation before running the next instruction.
import { ExitReason } from '../../tcg/ir.js';
import { M_F3, enc, table } from './int-emit.js';
import { OP_MISC_MEM } from './rvi.js';

export const ZIFENCEI_PATTERNS = table(
  {
    'fence.i': (s) => {
      s.b.exitTb(ExitReason.FlushCode, s.nextPc);
      s.ended = true;
      return true;
    },
  },
  [['fence.i', M_F3, enc(0, 1, OP_MISC_MEM), 'I']],
);
