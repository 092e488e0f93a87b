// Zicsr's six instructions in system mode (RISC-V unprivileged ISA chapter 7, privileged ISA
// 2.1): the frontend ends the block at each (src/target/riscv/privileged.ts) and the system loop
// runs it here against the CSR table. csrrw with rd = x0 does not read; csrrs/csrrc with
// rs1 = x0 (or a zero immediate) do not write. An unknown CSR, too low a privilege, a write to
// a read-only CSR, or a row's own refusal is an illegal instruction (tval = the instruction).
import { CSR_TABLE, CsrHost } from './csr-table.js';
import { Cause, GuestTrap } from './hart.js';

const KIND_WRITE = 1, KIND_SET = 2;

export function execCsr(host: CsrHost, insn: number): void {
  const { hart } = host;
  const csr = insn >>> 20, rs1 = (insn >>> 15) & 31, rd = (insn >>> 7) & 31, f3 = (insn >>> 12) & 7;
  const kind = f3 & 3, imm = (f3 & 4) !== 0;
  const row = CSR_TABLE[csr];
  const writes = kind === KIND_WRITE || rs1 !== 0;
  const legal = row !== undefined && hart.priv >= ((csr >>> 8) & 3) && !(writes && csr >>> 10 === 3) && (row.allowed?.(host) ?? true);
  if (!legal) throw new GuestTrap(Cause.IllegalInsn, BigInt(insn >>> 0));
  const src = imm ? BigInt(rs1) : hart.x(rs1);
  const reads = kind !== KIND_WRITE || rd !== 0;
  const old = reads ? row.read(host) : 0n;
  if (writes) row.write?.(host, kind === KIND_WRITE ? src : kind === KIND_SET ? old | src : old & ~src);
  if (reads) hart.setX(rd, old);
}
