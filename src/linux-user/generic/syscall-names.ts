// An arch's syscall table: every number its kernel names, the ones tsemu implements as the
// arch's table says and the rest by name only, so that -strace and -d unimp can name a call
// tsemu does not have (`keyctl`, not `219`) and the call still fails with ENOSYS.
import type { SyscallEntry } from './syscall-arch.js';

/** The implementation the name-only entries run: no call has this name (it is the kernel's own
 *  for the numbers it leaves unimplemented, kernel/sys_ni.c), so the process finds none. */
const NOT_IMPLEMENTED = 'sys_ni_syscall';

/** The calls every arch numbers alike, 424 on since Linux 5.1 (an arch may leave one out, as
 *  32-bit ARM does memfd_secret, 447, which is therefore not here), up to Linux 6.18. */
const UNIFIED_SYSCALL_NAMES: [number, string][] = [
  [424, 'pidfd_send_signal'],
  [425, 'io_uring_setup'],
  [426, 'io_uring_enter'],
  [427, 'io_uring_register'],
  [428, 'open_tree'],
  [429, 'move_mount'],
  [430, 'fsopen'],
  [431, 'fsconfig'],
  [432, 'fsmount'],
  [433, 'fspick'],
  [434, 'pidfd_open'],
  [435, 'clone3'],
  [436, 'close_range'],
  [437, 'openat2'],
  [438, 'pidfd_getfd'],
  [439, 'faccessat2'],
  [440, 'process_madvise'],
  [441, 'epoll_pwait2'],
  [442, 'mount_setattr'],
  [443, 'quotactl_fd'],
  [444, 'landlock_create_ruleset'],
  [445, 'landlock_add_rule'],
  [446, 'landlock_restrict_self'],
  [448, 'process_mrelease'],
  [449, 'futex_waitv'],
  [450, 'set_mempolicy_home_node'],
  [451, 'cachestat'],
  [452, 'fchmodat2'],
  [453, 'map_shadow_stack'],
  [454, 'futex_wake'],
  [455, 'futex_wait'],
  [456, 'futex_requeue'],
  [457, 'statmount'],
  [458, 'listmount'],
  [459, 'lsm_get_self_attr'],
  [460, 'lsm_set_self_attr'],
  [461, 'lsm_list_modules'],
  [462, 'mseal'],
  [463, 'setxattrat'],
  [464, 'getxattrat'],
  [465, 'listxattrat'],
  [466, 'removexattrat'],
  [467, 'open_tree_attr'],
  [468, 'file_getattr'],
  [469, 'file_setattr'],
];

/** The table of an arch: `implemented` over the names of the calls it lacks (`names`, and the
 *  unified ones). */
export function syscallTable(names: [number, string][], implemented: [number, SyscallEntry][]): Map<number, SyscallEntry> {
  return new Map<number, SyscallEntry>([
    ...[...names, ...UNIFIED_SYSCALL_NAMES].map(([nr, name]): [number, SyscallEntry] => [nr, { name, impl: NOT_IMPLEMENTED }]),
    ...implemented,
  ]);
}
