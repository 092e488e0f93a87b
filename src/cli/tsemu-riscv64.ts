#!/usr/bin/env node
// tsemu-riscv64: run a Linux RISC-V 64 program (qemu-riscv64's command line).
import { main } from './user-mode.js';
import { riscv64UserArch } from '../linux-user/riscv/user-arch.js';

main(riscv64UserArch);
