// qemu's `virt` machine as far as tsemu builds it so far (addresses and interrupt numbers from the
// device tree qemu's virt generates): a mask ROM at 0x1000 (the reset vector the harts start at,
// fw_dynamic's information), the SiFive test device at 0x100000, the Goldfish RTC at 0x101000
// (PLIC source 11), the CLINT at 0x2000000, the PLIC at 0xc000000, the NS16550A UART at 0x10000000
// (source 10), RAM from 0x80000000, 1 to MAX_HARTS harts (-smp), and HTIF over the tohost/fromhost
// symbols of the loaded ELF when it has them; eight virtio-mmio transports at 0x10001000 + 0x1000
// n (PLIC sources 1-8), the disks on them (block and entropy devices) from the last one down, as
// qemu fills them; the device tree (virt-fdt.ts) goes at the end of RAM, its address in the ROM
// for the reset vector.
import { CPU_STATE_BASE, CPU_STATE_STRIDE, GuestMemory, jumpCacheOf } from '../memory/guest-memory.js';
import { createRiscvFrontend } from '../target/riscv/frontend.js';
import { CLINT_SIZE, Clint } from '../hw/clint.js';
import { Htif } from '../hw/htif.js';
import { PowerOff } from '../hw/mmio-device.js';
import { Ns16550a } from '../hw/ns16550a.js';
import { PLIC_SIZE, Plic } from '../hw/plic.js';
import { GoldfishRtc, RTC_SIZE } from '../hw/goldfish-rtc.js';
import { Dma, VIRTIO_MMIO_SIZE, VirtioDevice, VirtioMmio } from '../hw/virtio-mmio.js';
import { VirtioBlk } from '../hw/virtio-blk.js';
import { VirtioRng } from '../hw/virtio-rng.js';
import { Rom } from '../hw/rom.js';
import { maskRom } from './mask-rom.js';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { SifiveTest } from '../hw/sifive-test.js';
import { GuestTrap, Hart } from './hart.js';
import { ImageError, LoadedImage, loadImage } from './kernel-image.js';
import { PhysBus } from './phys-bus.js';
import { Softmmu } from './softmmu.js';
import { ActiveMmu, softmmuHelpers } from './softmmu-helpers.js';
import { CodePages } from './code-pages.js';
import { HartCpu, TrapLog } from './hart-cpu.js';
import { Monitor } from './monitor.js';
import { CSR_TABLE_NAMES } from './csr-table.js';
import { SystemBackend, SystemLog, SystemLoop } from './system-loop.js';
import { virtFdt } from './virt-fdt.js';

export const VIRT = {
  mrom: 0x1000,
  test: 0x100000,
  rtc: 0x101000,
  clint: 0x2000000,
  plic: 0xc000000,
  uart: 0x10000000,
  virtio: 0x10001000,
  dram: 0x80000000,
} as const;
/** The hart's extensions as the device tree states them (the frontend's, src/target/riscv). */
const ISA = 'rv64imafdc_zicsr_zifencei_zba_zbb_zbs_sstc';
/** The device tree is placed below the end of RAM (or 3 GiB), aligned down to 2 MiB, as qemu's
 *  riscv_compute_fdt_addr does. */
const FDT_ALIGN = 0x200000;
const FDT_LIMIT = 0xc0000000;
/** Where a kernel goes when firmware occupies the start of RAM (qemu: riscv_compute_
 *  kernel_start for RV64 rounds past the firmware to a 2 MiB boundary). */
const KERNEL_AFTER_FIRMWARE = VIRT.dram + 0x200000;
const MROM_SIZE = 0xf000;
/** `-bios default`: the OpenSBI qemu itself loads (Debian's qemu-system-data), else Debian's
 *  opensbi package's build of the same firmware. */
export const DEFAULT_BIOS = ['/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin', '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin'];
/** The largest RAM that fits the guest memory window below the emulator's own pages. */
/** PLIC sources of the devices (qemu's virt: UART0_IRQ, RTC_IRQ, VIRTIO_IRQ + n). */
const UART_IRQ = 10, RTC_IRQ = 11, VIRTIO_IRQ = 1;
export const VIRTIO_COUNT = 8;
/** mip bits of a hart's two PLIC contexts (M-mode, S-mode: contexts 2 h and 2 h + 1). */
const MEIP = 1 << 11, SEIP = 1 << 9;
/** The most harts -smp gives (qemu's virt allows 512; tsemu's harts take turns in one thread,
 *  and this many keep a Linux boot's speed usable). */
export const MAX_HARTS = 4;
/** How often console input is read (a system call each time): often enough for typing. */
const INPUT_POLL_MS = 2;

/** Console input from the host: bytes as the UART has room for them. */
export interface ConsoleInput {
  /** Reads the host's input (also when none of it can go to the UART: the escapes and the
   *  monitor act on it) and hands over at most `max` bytes. */
  take(max: number): number[];
}

/** Loads -initrd where qemu's riscv_load_initrd puts it: past the kernel's entry by half the
 *  RAM, or by 128 MiB with 256 MiB or more, far enough that the kernel does not overwrite it
 *  and low enough for the kernel to reach. Returns its [start, end). */
function loadInitrd(bus: PhysBus, path: string, kernelEntry: number, ramSize: number): [number, number] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new ImageError(`could not load ramdisk '${path}'`);
  }
  const start = kernelEntry + Math.min(ramSize / 2, 128 * 1024 * 1024);
  if (!bus.load(start, bytes)) throw new ImageError(`initrd '${path}' does not fit in RAM at 0x${start.toString(16)}`);
  return [start, start + bytes.length];
}

/** Opens a file a device reads (a disk image, an entropy source), failing in qemu's words
 *  ("Could not open '<file>': <strerror>"; Node's message holds the C library's text in lower
 *  case), after `context` (a disk's "-drive <spec>: "). */
function openDeviceFile(file: string, flags: string, context: string): number {
  try {
    return openSync(file, flags);
  } catch (e) {
    const why = (e as Error).message.replace(/^[A-Z]+: /, '').replace(/, open .*$/, '');
    throw new ImageError(`${context}Could not open '${file}': ${why.charAt(0).toUpperCase()}${why.slice(1)}`);
  }
}

export const MAX_RAM = 0xff000000 - VIRT.dram;

export interface VirtConfig {
  ramSize: number;
  /** Harts (-smp), 1 to MAX_HARTS; 1 when absent. */
  harts?: number;
  /** undefined: -bios none; 'default': DEFAULT_BIOS. */
  bios: string | undefined;
  kernel: string | undefined;
  append?: string;
  initrd?: string;
  /** The devices on the virtio-mmio transports, in the order given: block devices on raw disk
   *  images, entropy devices reading a file (or, with none, the host's generator). */
  virtio?: ({ kind: 'blk'; drive: { file: string; readOnly: boolean; spec: string } } | { kind: 'rng'; file: string | undefined })[];
  log: SystemLog | undefined;
  /** Where the UART's and HTIF's console bytes go. */
  console: (byte: number) => void;
  /** Called with every device poll (about each millisecond of guest time, and around each wfi
   *  sleep): a buffered console writes out what it holds (a prompt ends with no newline). */
  consoleFlush?: () => void;
  /** Where the UART's received bytes come from (none: the receiver stays empty). */
  input?: ConsoleInput;
  backend: SystemBackend;
}

export { ImageError };

export class VirtMachine {
  readonly loop: SystemLoop;
  readonly bus: PhysBus;
  /** The monitor's commands on this machine (the console's Ctrl-A c, -monitor's socket). */
  readonly monitor: Monitor;
  /** The files the virtio devices read and write, closed with the machine. */
  private readonly deviceFds: number[] = [];

  constructor(cfg: VirtConfig) {
    const mem = new GuestMemory();
    const bus = new PhysBus(mem, VIRT.dram, cfg.ramSize);
    this.bus = bus;
    const nHarts = cfg.harts ?? 1;
    if (!Number.isInteger(nHarts) || nHarts < 1 || nHarts > MAX_HARTS) throw new ImageError(`the virt machine takes 1 to ${MAX_HARTS} harts`);
    const code = new CodePages();
    const harts = Array.from({ length: nHarts }, (_, i) => new Hart(mem, CPU_STATE_BASE + i * CPU_STATE_STRIDE, i));
    const mmuTrace = cfg.log?.has('mmu') ? (text: string) => cfg.log!.write(text) : undefined;
    // A hart's inline TLB lives where a user-mode vCPU's jump cache would: system mode's blocks
    // chain only inside their regions and use none.
    const mmus = harts.map((hart, i) => new Softmmu(hart, bus, code, jumpCacheOf(i), mmuTrace));
    const active: ActiveMmu = { mmu: mmus[0] };
    const clint = new Clint(nHarts);
    const plic = new Plic(2 * nHarts);
    const uart = new Ns16550a(cfg.console, (high) => plic.setLevel(UART_IRQ, high));
    const rtc = new GoldfishRtc((high) => plic.setLevel(RTC_IRQ, high));
    bus.map(VIRT.test, 0x1000, new SifiveTest());
    bus.map(VIRT.rtc, RTC_SIZE, rtc);
    bus.map(VIRT.clint, CLINT_SIZE, clint);
    bus.map(VIRT.uart, 0x100, uart);
    bus.map(VIRT.plic, PLIC_SIZE, plic);
    const virtio = cfg.virtio ?? [];
    if (virtio.length > VIRTIO_COUNT) throw new ImageError(`at most ${VIRTIO_COUNT} virtio devices fit the virt machine's virtio-mmio transports`);
    const dma: Dma = {
      view: (pa, len) => (bus.isRam(pa, len) ? mem.rawView(pa, len) : undefined),
      written: (pa, len) => code.dmaWritten(pa, len),
    };
    for (let n = 0; n < VIRTIO_COUNT; n++) {
      const device = this.virtioDevice(virtio[VIRTIO_COUNT - 1 - n]);
      bus.map(VIRT.virtio + n * VIRTIO_MMIO_SIZE, VIRTIO_MMIO_SIZE, new VirtioMmio(device, dma, (high) => plic.setLevel(VIRTIO_IRQ + n, high)));
    }

    const want = ['tohost', 'fromhost'];
    let image: LoadedImage | undefined;
    const bios = cfg.bios === 'default' ? DEFAULT_BIOS.find((f) => existsSync(f)) : cfg.bios;
    if (cfg.bios === 'default' && !bios) throw new ImageError(`Unable to find the RISC-V BIOS "${DEFAULT_BIOS[0]}" (apt-get install qemu-system-data or opensbi), or use -bios none`);
    if (bios) image = loadImage(bus, 'firmware', bios, VIRT.dram, want);
    const kernel = cfg.kernel ? loadImage(bus, 'kernel', cfg.kernel, cfg.bios ? KERNEL_AFTER_FIRMWARE : VIRT.dram, want) : undefined;
    const initrd = cfg.initrd !== undefined && kernel ? loadInitrd(bus, cfg.initrd, kernel.entry, cfg.ramSize) : undefined;
    const boot = image ?? kernel;
    if (!boot) throw new ImageError('nothing to run: give -kernel (or -bios) a file');
    const symbols = new Map([...(kernel?.symbols ?? []), ...(image?.symbols ?? [])]);
    const tohost = symbols.get('tohost');
    if (tohost !== undefined) {
      const fromhost = symbols.get('fromhost') ?? tohost + 0x40;
      const htif = new Htif(cfg.console, fromhost - tohost);
      bus.map(tohost, Math.max(fromhost - tohost + 8, 8), htif);
    }


    let loop: SystemLoop | undefined = undefined;
    const fetch16 = (pc: number): number | undefined => {
      try {
        return active.mmu.fetch16(pc);
      } catch (e) {
        if (!(e instanceof GuestTrap)) throw e;
        loop!.fetchFault = e;
        return undefined;
      }
    };
    const frontend = createRiscvFrontend(mem, {}, { fetch16, helpers: softmmuHelpers(active), fpEnabled: () => loop!.cpu.fpEnabled(), csrNames: CSR_TABLE_NAMES });
    const input = cfg.input;
    let nextInput = 0;
    const devices = {
      poll: (): void => {
        const now = performance.now();
        if (input && now >= nextInput) {
          nextInput = now + INPUT_POLL_MS;
          const bytes = input.take(uart.room());
          if (bytes.length) uart.receive(bytes);
        }
        if (now >= rtc.dueAt) rtc.poll();
        cfg.consoleFlush?.();
      },
      nextDue: (): number => rtc.dueAt,
    };
    const trapLog = (): TrapLog => loop!.trapLog();
    const cpus = harts.map((hart, i) => new HartCpu(hart, mmus[i], clint,
      () => (plic.outputs & (1 << (2 * i)) ? MEIP : 0) | (plic.outputs & (2 << (2 * i)) ? SEIP : 0), trapLog));
    loop = new SystemLoop(cpus, active, code, devices, frontend, cfg.log, cfg.backend);
    this.loop = loop;
    // The monitor shows hart 0, as qemu's does until its `cpu` command picks another.
    this.monitor = new Monitor(cpus[0], bus);
    const fdt = virtFdt({
      ramBase: VIRT.dram, ramSize: cfg.ramSize, clint: VIRT.clint, clintSize: CLINT_SIZE, plic: VIRT.plic,
      uart: VIRT.uart, uartIrq: UART_IRQ, rtc: VIRT.rtc, rtcIrq: RTC_IRQ, test: VIRT.test, isa: ISA,
      bootargs: cfg.append, initrd, virtio: VIRT.virtio, virtioIrq: VIRTIO_IRQ, virtioCount: VIRTIO_COUNT, harts: nHarts,
    });
    const fdtAddr = Math.floor((Math.min(bus.ramEnd, FDT_LIMIT) - fdt.length) / FDT_ALIGN) * FDT_ALIGN;
    if (fdtAddr < VIRT.dram || !bus.load(fdtAddr, fdt)) throw new ImageError('not enough RAM for the device tree');
    // Every hart starts in the mask ROM, whose reset vector sets a0 (its mhartid), a1 and a2
    // and jumps to the image (mask-rom.ts); firmware picks the boot hart.
    bus.map(VIRT.mrom, MROM_SIZE, new Rom(maskRom(boot.entry, fdtAddr, kernel?.entry ?? KERNEL_AFTER_FIRMWARE)));
    for (const hart of harts) hart.pc = BigInt(VIRT.mrom);
  }

  /** Runs until the machine powers off or resets (returns how), or, with a limit, for about
   *  `blocks` blocks or until a debugger's stop (returns undefined). */
  run(blocks = Infinity): PowerOff | undefined {
    return this.loop.run(blocks);
  }

  /** Builds a transport's device, opening its file. */
  private virtioDevice(option: NonNullable<VirtConfig['virtio']>[number] | undefined): VirtioDevice | undefined {
    if (!option) return undefined;
    const open = (file: string, flags: string, context: string): number => {
      const fd = openDeviceFile(file, flags, context);
      this.deviceFds.push(fd);
      return fd;
    };
    if (option.kind === 'rng') return new VirtioRng(option.file === undefined ? -1 : open(option.file, 'r', ''));
    const { drive } = option;
    return new VirtioBlk(open(drive.file, drive.readOnly ? 'r' : 'r+', `-drive ${drive.spec}: `), drive.readOnly);
  }

  /** Closes the devices' files. */
  close(): void {
    for (const fd of this.deviceFds) closeSync(fd);
    this.deviceFds.length = 0;
  }
}
