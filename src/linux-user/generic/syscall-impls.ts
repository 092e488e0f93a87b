// Every generic syscall implementation, by name.
import { EPOLL_CALLS } from './epoll-calls.js';
import { EVENT_FILE_CALLS } from './event-files.js';
import { SOCKET_CALLS } from './socket-calls.js';
import { EXEC_CALLS } from './exec-calls.js';
import { FD_CALLS } from './fd-calls.js';
import { FORK_CALLS } from './fork-calls.js';
import { FS_CALLS } from './fs-calls.js';
import { FUTEX_CALLS } from './futex.js';
import { IO_CALLS } from './io-calls.js';
import { MEMORY_CALLS } from './memory-calls.js';
import { POLL_CALLS } from './poll-calls.js';
import { PROCESS_CALLS } from './process-calls.js';
import { SIGNAL_CALLS } from './signal-calls.js';
import { STAT_CALLS } from './stat-calls.js';
import { SYNC_CALLS } from './sync-calls.js';
import type { SyscallImpl } from './syscall-arch.js';
import { SYSTEM_CALLS } from './system-calls.js';
import { THREAD_CALLS } from './thread-calls.js';
import { TIME_CALLS } from './time-calls.js';
import { TIMER_CALLS } from './timer-calls.js';
import { XATTR_CALLS } from './xattr-calls.js';

export const GENERIC_SYSCALLS: Record<string, SyscallImpl> = {
  ...IO_CALLS, ...FS_CALLS, ...STAT_CALLS, ...FD_CALLS, ...MEMORY_CALLS, ...TIME_CALLS,
  ...PROCESS_CALLS, ...SYSTEM_CALLS, ...SIGNAL_CALLS, ...SYNC_CALLS, ...POLL_CALLS,
  ...THREAD_CALLS, ...FUTEX_CALLS, ...TIMER_CALLS, ...EPOLL_CALLS, ...FORK_CALLS, ...EXEC_CALLS, ...EVENT_FILE_CALLS, ...SOCKET_CALLS,
  ...XATTR_CALLS,
};
