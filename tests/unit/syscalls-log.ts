// Shared by the syscall test fixtures.

/** A process log callback that collects whole lines into `logs` (the process writes -strace's
 *  call and its result in separate pieces). */
export function lineLog(logs: string[]): (text: string) => void {
  let partial = '';
  return (text) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    logs.push(...lines);
  };
}
