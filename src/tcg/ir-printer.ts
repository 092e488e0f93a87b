// The IR as readable text, for `-d op` / `-d op_opt` (one op per line, in TCG's manner).
import { COND_NAMES, IRBlock, OPC_NAMES, Opc, RMW_NAMES, TempKind } from './ir.js';

export function formatTemp(block: IRBlock, t: number): string {
  const info = block.temps[t];
  if (info.kind === TempKind.Global) return info.name || `g@${info.offset}`;
  if (info.kind === TempKind.Const) return `$0x${info.value.toString(16)}`;
  return `tmp${t}`;
}

export function formatBlock(block: IRBlock, helperNames: string[] = []): string {
  const out: string[] = [];
  const hex = (n: number): string => `0x${n.toString(16).padStart(16, '0')}`;
  for (const op of block.ops) {
    const a = op.args;
    const t = (i: number): string => formatTemp(block, a[i]);
    const name = OPC_NAMES[op.opc];
    /** A memory op's width and extension: `32s`. */
    const mop = (): string => `${a[3] * 8}${a[4] ? 's' : 'u'}`;
    switch (op.opc) {
      case Opc.InsnStart: out.push(''); out.push(` ---- ${hex(a[0])}`); break;
      case Opc.SetLabel: out.push(` set_label $L${a[0]}`); break;
      case Opc.Br: out.push(` br $L${a[0]}`); break;
      case Opc.BrCond: out.push(` brcond_${op.ty} ${t(0)},${t(1)},${COND_NAMES[a[2]]},$L${a[3]}`); break;
      case Opc.SetCond: out.push(` setcond_${op.ty} ${t(0)},${t(1)},${t(2)},${COND_NAMES[a[3]]}`); break;
      case Opc.MovCond:
        out.push(` movcond_${op.ty} ${t(0)},${t(1)},${t(2)},${t(3)},${t(4)},${COND_NAMES[a[5]]}`);
        break;
      case Opc.Ld: out.push(` ld${mop()}_${op.ty} ${t(0)},${t(1)},${a[2]}${a[5] ? ',align' : ''}`); break;
      case Opc.St: out.push(` st${a[3] * 8}_${op.ty} ${t(0)},${t(1)},${a[2]}`); break;
      case Opc.AtomicCmpxchg: out.push(` atomic_cmpxchg${mop()}_${op.ty} ${t(0)},${t(1)},${a[2]},${t(5)},${t(6)}`); break;
      case Opc.AtomicRmw: out.push(` atomic_${RMW_NAMES[a[6]]}${mop()}_${op.ty} ${t(0)},${t(1)},${a[2]},${t(5)}`); break;
      case Opc.Call: {
        const args = a.slice(2).map((_, i) => t(i + 2));
        out.push(` call ${helperNames[a[0]] ?? 'h' + a[0]},${a[1] >= 0 ? t(1) : '-'}${args.length ? ',' + args.join(',') : ''}`);
        break;
      }
      case Opc.GotoTb: out.push(` goto_tb ${hex(a[0])}`); break;
      case Opc.GotoPtr: out.push(` goto_ptr ${t(0)}`); break;
      case Opc.ExitTb: out.push(` exit_tb reason=${a[0]},${hex(a[1])}`); break;
      default: {
        const ops = a.map((_, i) => t(i)).join(',');
        out.push(` ${name}_${op.ty} ${ops}`);
      }
    }
  }
  return out.join('\n') + '\n';
}
