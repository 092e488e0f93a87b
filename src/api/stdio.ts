// The guest's fds 0, 1 and 2 in an embedder's process: what run() was given for them (bytes, a
// stream, the embedder's own fd) as open files of the syscall layer. Output is collected or
// written on; input is a pipe whose writer is the embedder's stream (or that holds the bytes
// given, and is at EOF after them).
import type { Readable, Writable } from 'node:stream';
import { E, SyscallError } from '../linux-user/generic/errno.js';
import { HostFile, OpenFile, POLLOUT, POLLWRNORM, PipeBuffer, PipeEnd } from '../linux-user/generic/open-file.js';
import type { LinuxProcess } from '../linux-user/generic/process.js';

/** What fd 0 reads: these bytes (a string as UTF-8), a stream, or the embedder's own stdin. */
export type InputSpec = string | Uint8Array | Readable | 'inherit';
/** Where fd 1 or 2 writes: collected into the result ('buffer'), a stream, the embedder's own
 *  fd ('inherit'), or nowhere ('ignore'). */
export type OutputSpec = 'buffer' | 'inherit' | 'ignore' | Writable;

const O_RDONLY = 0, O_WRONLY = 1;

/** Output the guest writes, as the write end of a pipe that is never full: each write is
 *  copied out at once (a stream gets it without backpressure: the guest does not wait for a
 *  slow reader). */
class OutputFile extends PipeEnd {
  readonly chunks: Buffer[] = [];
  constructor(private readonly to: Writable | 'buffer' | 'ignore') {
    super(new PipeBuffer(), false, O_WRONLY);
  }
  override write(src: Uint8Array, off: number, len: number, pos?: number): number {
    if (pos !== undefined) throw new SyscallError(E.SPIPE);
    const bytes = Buffer.from(src.subarray(off, off + len));
    if (this.to === 'buffer') this.chunks.push(bytes);
    else if (this.to !== 'ignore') this.to.write(bytes);
    return len;
  }
  override pollMask(): number { return POLLOUT | POLLWRNORM; }
}

/** The guest's stdio for `spec`s, and what reads the collected output back once it ended. */
export function guestStdio(p: () => LinuxProcess, stdin: InputSpec | undefined, stdout: OutputSpec | undefined,
  stderr: OutputSpec | undefined): { files: [OpenFile, OpenFile, OpenFile]; collected(fd: 1 | 2): Buffer | undefined; close(): void } {
  const input = inputFile(p, stdin ?? '');
  const specs = [stdout ?? 'buffer', stderr ?? 'buffer'];
  const outputs = specs.map((spec, i): OpenFile => (spec === 'inherit'
    ? new HostFile(i + 1, `/dev/fd/${i + 1}`, O_WRONLY, false, false)
    : new OutputFile(spec)));
  return {
    files: [input.file, outputs[0], outputs[1]],
    collected: (fd) => {
      const f = outputs[fd - 1];
      return f instanceof OutputFile && specs[fd - 1] === 'buffer' ? Buffer.concat(f.chunks) : undefined;
    },
    close: input.close,
  };
}

function inputFile(p: () => LinuxProcess, spec: InputSpec): { file: OpenFile; close(): void } {
  if (spec === 'inherit') return { file: new HostFile(0, '/dev/fd/0', O_RDONLY, false, false), close: () => {} };
  const pipe = new PipeBuffer();
  const file = new PipeEnd(pipe, true, O_RDONLY);
  if (typeof spec === 'string' || spec instanceof Uint8Array) {
    if (spec.length) pipe.chunks.push(typeof spec === 'string' ? Buffer.from(spec) : spec);
    return { file, close: () => {} };
  }
  // The stream is the pipe's writer until it ends; a read of the empty pipe waits meanwhile.
  pipe.writers++;
  const onData = (chunk: Buffer | string): void => {
    pipe.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    p().host.changed();
  };
  const onEnd = (): void => {
    pipe.writers--;
    p().host.changed();
  };
  spec.on('data', onData).on('end', onEnd);
  return {
    file,
    close: () => {
      spec.off('data', onData).off('end', onEnd);
      spec.pause();
    },
  };
}
