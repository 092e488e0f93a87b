// Reads from a non-blocking host fd (a socket, a pipe) without paying for an exception when
// nothing is there. Node's fs.readSync turns EAGAIN into an Error built in C++ and thrown: 12.6 us
// on a 2-core machine, where a read that returns data takes 1.5 us; and a server meets EAGAIN at
// every request (the read that ends its loop, a poll that looks ahead before it waits). WASI's
// fd_read (node:wasi, on libuv like fs) returns the errno instead: 1.9 us for the same EAGAIN.
// A WASI instance maps its fds 0-2 to host fds given when it is made, so each reader is an
// instance of a tiny module (below) whose one function reads into its own memory; making one costs
// about 180 us, so a reader reads through fs until its fd has found nothing a few times. Where
// node:wasi cannot be had, reads go through fs.readSync.
import * as fs from 'node:fs';
import { E, SyscallError, errnoByName, hostErrno } from './errno.js';
import { WasiClass, wasiModule } from './host-modules.js';

/** The module, in wasm's binary format: it imports wasi_snapshot_preview1.fd_read, exports a
 *  memory of two pages and `read(len)`, which reads up to len bytes of fd 0 into the memory at
 *  BUF (its iovec at 0, the count at 8) and returns fd_read's errno. */
const BUF = 65536;
const name = (s: string): number[] => [s.length, ...Buffer.from(s)];
const section = (id: number, body: number[]): number[] => [id, body.length, ...body];
const I32 = 0x7f, FUNC = 0x60;
const READ_BODY = [
  0, // no locals
  0x41, 0, 0x41, 0x80, 0x80, 0x04, 0x36, 2, 0, // iovec.buf = BUF (65536 as signed LEB128)
  0x41, 4, 0x20, 0, 0x36, 2, 0, // iovec.len = len
  0x41, 0, 0x41, 0, 0x41, 1, 0x41, 8, 0x10, 0, // fd_read(0, iovec, 1, &count)
  0x0b,
];
const MODULE_BYTES = new Uint8Array([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [2, FUNC, 4, I32, I32, I32, I32, 1, I32, FUNC, 1, I32, 1, I32]),
  ...section(2, [1, ...name('wasi_snapshot_preview1'), ...name('fd_read'), 0, 0]),
  ...section(3, [1, 1]),
  ...section(5, [1, 0, 2]),
  ...section(7, [2, ...name('memory'), 2, 0, ...name('read'), 0, 1]),
  ...section(10, [1, READ_BODY.length, ...READ_BODY]),
]);

/** WASI's errno numbers in order (the preview1 `errno` enum), as Linux names them. */
const WASI_ERRNO_NAMES = (
  'SUCCESS 2BIG ACCES ADDRINUSE ADDRNOTAVAIL AFNOSUPPORT AGAIN ALREADY BADF BADMSG BUSY CANCELED CHILD ' +
  'CONNABORTED CONNREFUSED CONNRESET DEADLK DESTADDRREQ DOM DQUOT EXIST FAULT FBIG HOSTUNREACH IDRM ILSEQ ' +
  'INPROGRESS INTR INVAL IO ISCONN ISDIR LOOP MFILE MLINK MSGSIZE MULTIHOP NAMETOOLONG NETDOWN NETRESET ' +
  'NETUNREACH NFILE NOBUFS NODEV NOENT NOEXEC NOLCK NOLINK NOMEM NOMSG NOPROTOOPT NOSPC NOSYS NOTCONN ' +
  'NOTDIR NOTEMPTY NOTRECOVERABLE NOTSOCK OPNOTSUPP NOTTY NXIO OVERFLOW OWNERDEAD PERM PIPE PROTO ' +
  'PROTONOSUPPORT PROTOTYPE RANGE ROFS SPIPE SRCH STALE TIMEDOUT TXTBSY XDEV').split(' ');
const linuxErrno = (wasi: number): number => errnoByName(`E${WASI_ERRNO_NAMES[wasi] ?? ''}`) ?? E.IO;

let wasi: { WASI: WasiClass; module: WebAssembly.Module } | null | undefined;

/** node:wasi and the compiled module, or null where they cannot be had. */
function wasiReader(): typeof wasi {
  if (wasi === undefined) {
    const m = wasiModule();
    wasi = m && { WASI: m.WASI, module: new WebAssembly.Module(MODULE_BYTES) };
  }
  return wasi;
}

/** Where chunk() reads through fs: one host read's worth, shared. */
const scratch = Buffer.alloc(BUF);

/** EAGAINs through fs a reader takes before it sets up its WASI instance: that costs about as
 *  much as 15 of them, so a short connection (a request, an answer, a close) never pays it. */
const EMPTIES_BEFORE_WASI = 16;

/** One WASI instance's reading function and its memory. */
interface WasiRead { read(len: number): number; bytes: Uint8Array; count: DataView }

export class HostReader {
  private wasi: WasiRead | undefined;
  private empties = 0;

  constructor(readonly fd: number) {}

  /** The WASI reading function once this fd has found nothing often enough to be worth it. */
  private wasiRead(): WasiRead | undefined {
    if (this.wasi || this.empties < EMPTIES_BEFORE_WASI) return this.wasi;
    const w = wasiReader();
    if (!w) return undefined;
    const fd = this.fd;
    const host = new w.WASI({ version: 'preview1', stdin: fd, stdout: fd, stderr: fd, returnOnExit: true });
    const instance = new WebAssembly.Instance(w.module, host.getImportObject());
    host.initialize(instance);
    const exports = instance.exports as { read(len: number): number; memory: WebAssembly.Memory };
    this.wasi = { read: exports.read, bytes: new Uint8Array(exports.memory.buffer), count: new DataView(exports.memory.buffer) };
    return this.wasi;
  }

  /** Reads up to len bytes into dst at off: the count (0 at EOF), or -errno (Linux's). */
  read(dst: Uint8Array, off: number, len: number): number {
    const w = this.wasiRead();
    if (!w) return this.readFs(dst, off, len);
    const err = w.read(Math.min(len, BUF));
    if (err) return -linuxErrno(err);
    const n = w.count.getUint32(8, true);
    dst.set(w.bytes.subarray(BUF, BUF + n), off);
    return n;
  }

  private readFs(dst: Uint8Array, off: number, len: number): number {
    try {
      return fs.readSync(this.fd, dst, off, len, null);
    } catch (e) {
      const errno = hostErrno(e);
      if (errno === undefined) throw e;
      if (errno === E.AGAIN) this.empties++;
      return -errno;
    }
  }

  /** One read of up to 64 KiB into a buffer of its own: the bytes, or 0 at EOF, or -errno. */
  chunk(): Uint8Array | number {
    const w = this.wasiRead();
    if (!w) {
      const n = this.readFs(scratch, 0, scratch.length);
      return n > 0 ? Buffer.from(scratch.subarray(0, n)) : n;
    }
    const err = w.read(BUF);
    if (err) return -linuxErrno(err);
    const n = w.count.getUint32(8, true);
    return n > 0 ? w.bytes.slice(BUF, BUF + n) : 0;
  }

  /** read, with an error thrown as the guest's (EAGAIN for a blocking call to wait out). */
  transfer(dst: Uint8Array, off: number, len: number): number {
    const n = this.read(dst, off, len);
    if (n < 0) throw new SyscallError(-n);
    return n;
  }
}
