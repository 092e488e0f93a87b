#!/usr/bin/env node
// tsemu-arm: run a Linux 32-bit ARM (armhf) program (qemu-arm's command line).
import { main } from './user-mode.js';
import { armUserArch } from '../linux-user/arm/user-arch.js';

main(armUserArch);
