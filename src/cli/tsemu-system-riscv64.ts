#!/usr/bin/env node
// tsemu-system-riscv64: a whole RISC-V 64 machine (qemu-system-riscv64's command line, -M virt).
import { systemMain } from './system-mode.js';

systemMain(process.argv.slice(2));
