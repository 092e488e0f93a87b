// Traps and the return from them (RISC-V privileged ISA 1.12: 3.1.6.1 the privilege and
// interrupt-enable stacks, 3.1.8 delegation, 3.1.9 which interrupt is taken, 3.3.2 mret/sret).
import { Cause, GuestTrap, Hart, MPP_SHIFT, MSTATUS, Priv } from './hart.js';
import { CsrHost, mip } from './csr-table.js';

const M = MSTATUS;
const INTERRUPT = 1n << 63n;
/** The order in which pending interrupts are taken: MEI, MSI, MTI, SEI, SSI, STI (3.1.9). */
const PRIORITY = [11, 3, 7, 9, 1, 5];

// The names qemu's `-d int` gives (riscv_excp_names / riscv_intr_names).
const EXCEPTION_NAMES = ['misaligned_fetch', 'fault_fetch', 'illegal_instruction', 'breakpoint',
  'misaligned_load', 'fault_load', 'misaligned_store', 'fault_store', 'user_ecall', 'supervisor_ecall',
  'hypervisor_ecall', 'machine_ecall', 'exec_page_fault', 'load_page_fault', 'reserved', 'store_page_fault'];
const INTERRUPT_NAMES = ['u_software', 's_software', 'vs_software', 'm_software', 'u_timer', 's_timer',
  'vs_timer', 'm_timer', 'u_external', 's_external', 'vs_external', 'm_external'];

const hex16 = (v: bigint): string => v.toString(16).padStart(16, '0');

/** Enters the trap handler for `cause` (an interrupt when `interrupt`), at the privilege
 *  delegation chooses; `log` receives qemu's `-d int` line. */
export function takeTrap(host: CsrHost, cause: number, interrupt: boolean, tval: bigint, log?: (line: string) => void): void {
  const hart = host.hart;
  const pc = hart.pc;
  log?.(`riscv_cpu_do_interrupt: hart:${hart.hartId}, async:${interrupt ? 1 : 0}, cause:${hex16(BigInt(cause))}, ` +
    `epc:0x${hex16(pc)}, tval:0x${hex16(tval)}, desc=${(interrupt ? INTERRUPT_NAMES : EXCEPTION_NAMES)[cause] ?? 'reserved'}\n`);
  const deleg = interrupt ? hart.mideleg : hart.medeleg;
  const code = (interrupt ? INTERRUPT : 0n) | BigInt(cause);
  const vector = (tvec: bigint): bigint => (tvec & ~3n) + (interrupt && (tvec & 3n) === 1n ? 4n * BigInt(cause) : 0n);
  if (hart.priv <= Priv.S && (deleg >> BigInt(cause)) & 1n) {
    hart.scause = code;
    hart.sepc = pc;
    hart.stval = tval;
    let s = hart.mstatus & ~(M.SPIE | M.SIE | M.SPP);
    if (hart.mstatus & M.SIE) s |= M.SPIE;
    if (hart.priv === Priv.S) s |= M.SPP;
    hart.mstatus = s;
    hart.priv = Priv.S;
    hart.pc = vector(hart.stvec);
  } else {
    hart.mcause = code;
    hart.mepc = pc;
    hart.mtval = tval;
    let s = hart.mstatus & ~(M.MPIE | M.MIE | M.MPP);
    if (hart.mstatus & M.MIE) s |= M.MPIE;
    s |= BigInt(hart.priv) << MPP_SHIFT;
    hart.mstatus = s;
    hart.priv = Priv.M;
    hart.pc = vector(hart.mtvec);
  }
  host.regimeChanged();
}

const illegal = (insn: number): GuestTrap => new GuestTrap(Cause.IllegalInsn, BigInt(insn >>> 0));

export function mret(host: CsrHost, insn: number): void {
  const hart = host.hart;
  if (hart.priv < Priv.M) throw illegal(insn);
  const mpp = Number((hart.mstatus & M.MPP) >> MPP_SHIFT) as Priv;
  let s = (hart.mstatus & ~(M.MIE | M.MPP)) | M.MPIE;
  if (hart.mstatus & M.MPIE) s |= M.MIE;
  if (mpp !== Priv.M) s &= ~M.MPRV;
  hart.mstatus = s;
  hart.priv = mpp;
  hart.pc = hart.mepc;
  host.regimeChanged();
}

export function sret(host: CsrHost, insn: number): void {
  const hart = host.hart;
  if (hart.priv < Priv.S || (hart.priv === Priv.S && hart.mstatus & M.TSR)) throw illegal(insn);
  const spp = hart.mstatus & M.SPP ? Priv.S : Priv.U;
  let s = (hart.mstatus & ~(M.SIE | M.SPP | M.MPRV)) | M.SPIE;
  if (hart.mstatus & M.SPIE) s |= M.SIE;
  hart.mstatus = s;
  hart.priv = spp;
  hart.pc = hart.sepc;
  host.regimeChanged();
}

/** wfi is illegal in U-mode, and in S-mode under mstatus.TW (3.1.6.5). */
export function checkWfi(hart: Hart, insn: number): void {
  if (hart.priv === Priv.U || (hart.priv === Priv.S && hart.mstatus & M.TW)) throw illegal(insn);
}

/** The interrupt to take now, or -1: pending and enabled, at a privilege that takes it. */
export function pendingInterrupt(host: CsrHost): number {
  const hart = host.hart;
  const pending = mip(host) & hart.mie;
  if (pending === 0n) return -1;
  const mOn = hart.priv < Priv.M || (hart.mstatus & M.MIE) !== 0n;
  const sOn = hart.priv < Priv.S || (hart.priv === Priv.S && (hart.mstatus & M.SIE) !== 0n);
  const enabled = (mOn ? pending & ~hart.mideleg : 0n) | (sOn ? pending & hart.mideleg : 0n);
  return enabled === 0n ? -1 : PRIORITY.find((i) => (enabled >> BigInt(i)) & 1n) ?? -1;
}

/** Whether any interrupt is pending and enabled in mie, whatever the global enables say: what
 *  ends a wfi (3.3.3). */
export const wfiWakes = (host: CsrHost): boolean => (mip(host) & host.hart.mie) !== 0n;
