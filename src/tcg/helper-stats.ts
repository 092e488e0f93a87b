// `-d helpers`: how many calls of each helper a program made per million guest instructions.
// Helper calls (IR Call ops into JavaScript) are what an operation without an inline lowering
// costs, so this rate is what a performance regression in a frontend shows up as.
//
// Nothing of it exists when the item is off: the counting versions of the helpers and the
// instruction counter in the IR are only put in by CpuExec when the log has `helpers`, so the
// generated code and the helper calls are the same as without this file.
import { Helper, IRBlock, Op, Opc, TempKind } from './ir.js';
import { CPU_STATE_BASE, CPU_STATE_MAX, CPU_STATE_STRIDE, GuestMemory } from '../memory/guest-memory.js';
import { HELPER_COUNTS, HELPER_COUNT_SLOTS, INSN_COUNT } from './vcpu-control.js';

/** The helpers of the vCPU at `env`, each counting its calls into that vCPU's table. */
export function countingHelpers(helpers: readonly Helper[], mem: GuestMemory, env: number): Helper[] {
  if (helpers.length > HELPER_COUNT_SLOTS) throw new Error(`-d helpers: ${helpers.length} helpers, room for ${HELPER_COUNT_SLOTS}`);
  const counts = new Float64Array(mem.buffer, env + HELPER_COUNTS, helpers.length);
  return helpers.map((h, i) => {
    const fn = h.fn;
    return { ...h, fn: (env: number, ...args: any[]) => { counts[i]++; return fn(env, ...args); } };
  });
}

/** `ir` with the guest instruction counter (an i64 global at INSN_COUNT) raised before each exit
 *  by the instructions started up to it. Instructions run in op order (a block's branches
 *  only skip forward within an instruction or to an exit), so that is the number executed
 *  when the block leaves there, under every backend alike. A block left by a memory fault or
 *  a raising helper, which leave from inside an op rather than at an exit op, counts nothing
 *  of that run. */
export function countInstructions(ir: IRBlock): IRBlock {
  const temps = ir.temps.slice();
  const add = (t: (typeof temps)[number]): number => temps.push(t) - 1;
  const counter = add({ ty: 'i64', kind: TempKind.Global, offset: INSN_COUNT, value: 0n, name: 'insn_count' });
  const consts = new Map<number, number>();
  const ops: Op[] = [];
  let started = 0;
  for (const op of ir.ops) {
    if (op.opc === Opc.InsnStart) started++;
    if ((op.opc === Opc.GotoTb || op.opc === Opc.GotoPtr || op.opc === Opc.ExitTb) && started > 0) {
      let c = consts.get(started);
      if (c === undefined) {
        c = add({ ty: 'i64', kind: TempKind.Const, offset: 0, value: BigInt(started), name: '' });
        consts.set(started, c);
      }
      ops.push({ opc: Opc.Add, ty: 'i64', args: [counter, counter, c] });
    }
    ops.push(op);
  }
  return { ...ir, ops, temps };
}

export interface HelperRow { name: string; calls: number; perMillion: number }
export interface HelperStats { insns: number; rows: HelperRow[]; total: number }

/** The counts of every vCPU area summed (threads run in workers, each in its own area). */
export function helperStats(mem: GuestMemory, names: readonly string[]): HelperStats {
  let insns = 0n;
  const calls = new Array<number>(names.length).fill(0);
  for (let i = 0; i < CPU_STATE_MAX; i++) {
    const env = CPU_STATE_BASE + i * CPU_STATE_STRIDE;
    insns += mem.view.getBigUint64(env + INSN_COUNT, true);
    const counts = new Float64Array(mem.buffer, env + HELPER_COUNTS, names.length);
    counts.forEach((n, h) => (calls[h] += n));
  }
  const n = Number(insns);
  const per = (c: number): number => (n > 0 ? (c * 1e6) / n : 0);
  const rows = names.map((name, h) => ({ name, calls: calls[h], perMillion: per(calls[h]) }))
    .filter((r) => r.calls > 0)
    .sort((a, b) => b.calls - a.calls || (a.name < b.name ? -1 : 1));
  const total = rows.reduce((s, r) => s + r.calls, 0);
  return { insns: n, rows, total };
}

/** The report `-d helpers` writes at exit: a table sorted by calls, then the total. */
export function formatHelperStats({ insns, rows, total }: HelperStats): string {
  const per = (c: number): string => (insns > 0 ? ((c * 1e6) / insns).toFixed(1) : '0.0');
  const width = Math.max(24, ...rows.map((r) => r.name.length));
  const line = (name: string, calls: number): string =>
    `${name.padEnd(width)} ${String(calls).padStart(14)} ${per(calls).padStart(14)}\n`;
  return `helper calls: ${insns} guest instructions\n`
    + `${'helper'.padEnd(width)} ${'calls'.padStart(14)} ${'per Minsn'.padStart(14)}\n`
    + rows.map((r) => line(r.name, r.calls)).join('')
    + line('total', total);
}
