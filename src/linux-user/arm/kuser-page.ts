// The kuser helper page (Linux Documentation/arm/kernel_user_helpers.rst): code the kernel maps
// read-only and executable at 0xffff0000 for every process, which older binaries and libgcc's
// __sync_* fallbacks call with BLX to fixed addresses. Here it is real A32 code run by the
// frontend like any guest code; nothing in the cpu loop special-cases these addresses.
// Sequences written for tsemu: LDREX/STREX loops that end with a barrier, and which return 0
// with C set when the store happened (what the ABI asks for), else non-zero with C clear.
import { AddressSpace } from '../../memory/address-space.js';
import { PAGE_SIZE, PROT_EXEC, PROT_READ } from '../../memory/guest-memory.js';

export const KUSER_PAGE = 0xffff0000;
/** The helpers up to __kuser_cmpxchg64 (version 5), as qemu-arm reports. */
export const KUSER_HELPER_VERSION = 5;

/** Where a handler without SA_RESTORER returns to: `mov r7, #__NR_sigreturn (119) or
 *  #__NR_rt_sigreturn (173); svc 0` in A32 (8 bytes each) then in Thumb (4 bytes each), as the
 *  kernel's sigreturn_codes in its signal page (arch/arm/kernel/sigreturn_codes.S). */
export const SIGRETURN_CODES = 0xffff0500;
export const sigreturnCode = (rt: boolean, thumb: boolean): number =>
  thumb ? (SIGRETURN_CODES + 16 + (rt ? 4 : 0)) | 1 : SIGRETURN_CODES + (rt ? 8 : 0);

/** Entry points (the ABI's fixed addresses) and their A32 code, assembled with GNU as. */
const HELPERS: [at: number, code: number[]][] = [
  [SIGRETURN_CODES, [
    0xe3a07077, // mov r7, #119
    0xef000000, // svc 0
    0xe3a070ad, // mov r7, #173
    0xef000000, // svc 0
    0xdf002777, // movs r7, #119; svc 0
    0xdf0027ad, // movs r7, #173; svc 0
  ]],
  // __kuser_cmpxchg64(r0 = &oldval, r1 = &newval, r2 = ptr): 64-bit compare and exchange
  [0xffff0f60, [
    0xe92d00f0, // push {r4, r5, r6, r7}
    0xe1c040d0, // ldrd r4, r5, [r0]
    0xe1c160d0, // ldrd r6, r7, [r1]
    0xe1b20f9f, // 1: ldrexd r0, r1, [r2]
    0xe0303004, // eors r3, r0, r4
    0x00313005, // eorseq r3, r1, r5          Z: *ptr == oldval
    0x01a23f96, // strexdeq r3, r6, r7, [r2]  r3 = 0 stored, 1 reservation lost
    0x03530001, // cmpeq r3, #1
    0x0afffff9, // beq 1b                     lost: try again
    0xe2730000, // rsbs r0, r3, #0            r0 = 0 and C set only when r3 == 0
    0xf57ff05b, // dmb ish
    0xe8bd00f0, // pop {r4, r5, r6, r7}
    0xe12fff1e, // bx lr
  ]],
  // __kuser_memory_barrier()
  [0xffff0fa0, [
    0xf57ff05b, // dmb ish
    0xe12fff1e, // bx lr
  ]],
  // __kuser_cmpxchg(r0 = oldval, r1 = newval, r2 = ptr): 32-bit compare and exchange
  [0xffff0fc0, [
    0xe1923f9f, // 1: ldrex r3, [r2]
    0xe0333000, // eors r3, r3, r0            Z: *ptr == oldval (r3 non-zero otherwise)
    0x01823f91, // strexeq r3, r1, [r2]
    0x03530001, // cmpeq r3, #1
    0x0afffffa, // beq 1b
    0xe2730000, // rsbs r0, r3, #0
    0xf57ff05b, // dmb ish
    0xe12fff1e, // bx lr
  ]],
  // __kuser_get_tls(): r0 = TPIDRURO
  [0xffff0fe0, [
    0xee1d0f70, // mrc p15, 0, r0, c13, c0, 3
    0xe12fff1e, // bx lr
  ]],
  // __kuser_helper_version: data, not code
  [0xffff0ffc, [KUSER_HELPER_VERSION]],
];

/** The page's bytes. */
export function kuserPageBytes(): Uint8Array {
  const page = new Uint8Array(PAGE_SIZE);
  const view = new DataView(page.buffer);
  for (const [at, code] of HELPERS) {
    code.forEach((word, i) => view.setUint32(at - KUSER_PAGE + 4 * i, word, true));
  }
  return page;
}

/** Maps the page read+execute at 0xffff0000 (it shows in /proc/self/maps, as under qemu-arm). */
export function mapKuserPage(as: AddressSpace): void {
  as.map(KUSER_PAGE, PAGE_SIZE, PROT_READ | PROT_EXEC);
  as.mem.writeRaw(KUSER_PAGE, kuserPageBytes());
}
