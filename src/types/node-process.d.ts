// Node's process._tickCallback (lib/internal/process/task_queues.js): runs the nextTick queue and
// the microtasks now. Undocumented but present from Node 0.x to 22; main-vcpu.ts uses it.
declare namespace NodeJS {
  interface Process {
    _tickCallback(): void;
  }
}
