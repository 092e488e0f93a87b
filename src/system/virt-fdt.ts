// The device tree of tsemu's virt machine, in the shape qemu's virt generates (the nodes and
// properties of `qemu-system-riscv64 -M virt,dumpdtb=...`, for the devices tsemu has): the harts
// with their interrupt controllers, RAM, the CLINT, the PLIC, the RTC, the UART, the SiFive test device
// with the syscon poweroff and reboot nodes over it, and /chosen's stdout-path. Firmware (OpenSBI)
// and kernels find the machine through it; it goes in a1 at reset.
import { FdtNode, buildFdt, node } from '../hw/fdt-builder.js';
import { TIMEBASE_HZ } from '../hw/clint.js';
import { PLIC_SIZE, PLIC_SOURCES } from '../hw/plic.js';

/** qemu numbers phandles from 1 as it builds the tree: the harts from the last down, each
 *  before its interrupt controller, then the PLIC and the test device. */
const phandles = (harts: number) => ({
  cpu: (h: number): number => 1 + 2 * (harts - 1 - h),
  intc: (h: number): number => 2 + 2 * (harts - 1 - h),
  plic: 2 * harts + 1,
  test: 2 * harts + 2,
});
/** The UART's input clock as qemu's virt states it (3.6864 MHz). */
const UART_CLOCK = 3686400;

export interface VirtLayout {
  ramBase: number;
  ramSize: number;
  clint: number;
  clintSize: number;
  plic: number;
  uart: number;
  uartIrq: number;
  rtc: number;
  rtcIrq: number;
  test: number;
  /** riscv,isa of the harts. */
  isa: string;
  /** How many harts (cpu@0 ... ). */
  harts: number;
  /** The kernel's command line, and the initrd's [start, end), for /chosen. */
  bootargs?: string;
  /** The virtio-mmio transports: the first's address (each 0x1000 on) and PLIC source. */
  virtio: number;
  virtioIrq: number;
  virtioCount: number;
  initrd?: [number, number];
}

/** A `reg` of one (address, size) pair in 2 + 2 cells. */
const reg = (base: number, size: number): bigint[] => [BigInt(base), BigInt(size)];
const hex = (n: number): string => n.toString(16);

export function virtFdt(l: VirtLayout): Buffer {
  const ph = phandles(l.harts);
  const harts = Array.from({ length: l.harts }, (_, h) => h);
  const cpus = harts.map((h) => node(`cpu@${h}`, [
    ['phandle', [ph.cpu(h)]], ['device_type', 'cpu'], ['reg', [h]], ['status', 'okay'], ['compatible', 'riscv'],
    ['riscv,isa', l.isa], ['mmu-type', 'riscv,sv48'],
  ], [node('interrupt-controller', [
    ['#interrupt-cells', [1]], ['interrupt-controller', null], ['compatible', 'riscv,cpu-intc'], ['phandle', [ph.intc(h)]],
  ])]));
  /** interrupts-extended with the given causes of every hart's interrupt controller. */
  const everyHart = (causes: number[]): number[] => harts.flatMap((h) => causes.flatMap((c) => [ph.intc(h), c]));
  const soc: FdtNode = node('soc', [['#address-cells', [2]], ['#size-cells', [2]], ['compatible', 'simple-bus'], ['ranges', null]], [
    node(`rtc@${hex(l.rtc)}`, [
      ['interrupts', [l.rtcIrq]], ['interrupt-parent', [ph.plic]], ['reg', reg(l.rtc, 0x1000)], ['compatible', 'google,goldfish-rtc'],
    ]),
    node(`serial@${hex(l.uart)}`, [
      ['interrupts', [l.uartIrq]], ['interrupt-parent', [ph.plic]], ['clock-frequency', [UART_CLOCK]],
      ['reg', reg(l.uart, 0x100)], ['compatible', 'ns16550a'],
    ]),
    node(`test@${hex(l.test)}`, [
      ['phandle', [ph.test]], ['reg', reg(l.test, 0x1000)], ['compatible', ['sifive,test1', 'sifive,test0', 'syscon']],
    ]),
    // From the last transport down, as qemu lists them (Linux probes them in this order).
    ...Array.from({ length: l.virtioCount }, (_, i) => l.virtioCount - 1 - i).map((n) => node(`virtio_mmio@${hex(l.virtio + n * 0x1000)}`, [
      ['interrupts', [l.virtioIrq + n]], ['interrupt-parent', [ph.plic]], ['reg', reg(l.virtio + n * 0x1000, 0x1000)], ['compatible', 'virtio,mmio'],
    ])),
    node(`plic@${hex(l.plic)}`, [
      ['phandle', [ph.plic]], ['riscv,ndev', [PLIC_SOURCES]], ['reg', reg(l.plic, PLIC_SIZE)],
      // M-mode and S-mode external interrupts (causes 11 and 9) of each hart: its two contexts.
      ['interrupts-extended', everyHart([11, 9])], ['interrupt-controller', null],
      ['compatible', ['sifive,plic-1.0.0', 'riscv,plic0']], ['#address-cells', [0]], ['#interrupt-cells', [1]],
    ]),
    node(`clint@${hex(l.clint)}`, [
      // Machine software and timer interrupts (causes 3 and 7) of each hart.
      ['interrupts-extended', everyHart([3, 7])], ['reg', reg(l.clint, l.clintSize)],
      ['compatible', ['sifive,clint0', 'riscv,clint0']],
    ]),
  ]);
  const syscon = (name: string, value: number): FdtNode =>
    node(name, [['value', [value]], ['offset', [0]], ['regmap', [ph.test]], ['compatible', `syscon-${name}`]]);
  return buildFdt(node('', [
    ['#address-cells', [2]], ['#size-cells', [2]], ['compatible', 'riscv-virtio'], ['model', 'riscv-virtio,qemu'],
  ], [
    node('chosen', [
      ...(l.initrd ? [['linux,initrd-end', [BigInt(l.initrd[1])]], ['linux,initrd-start', [BigInt(l.initrd[0])]]] as [string, bigint[]][] : []),
      ...(l.bootargs !== undefined ? [['bootargs', l.bootargs]] as [string, string][] : []),
      ['stdout-path', `/soc/serial@${hex(l.uart)}`],
    ]),
    syscon('poweroff', 0x5555),
    syscon('reboot', 0x7777),
    node(`memory@${hex(l.ramBase)}`, [['device_type', 'memory'], ['reg', reg(l.ramBase, l.ramSize)]]),
    node('cpus', [['#address-cells', [1]], ['#size-cells', [0]], ['timebase-frequency', [TIMEBASE_HZ]]], [
      ...cpus,
      node('cpu-map', [], [node('cluster0', [], harts.map((h) => node(`core${h}`, [['cpu', [ph.cpu(h)]]])))]),
    ]),
    soc,
  ]));
}
