// Stream sockets, TCP over IPv4/IPv6 and Unix ones bound to a path, over Node's net. Node opens,
// binds, listens and connects them, asynchronously: those calls wait for its events. Once a
// connection is up, data is written synchronously on the host fd under Node's socket (write(2),
// non-blocking as libuv set it), so errors such as EPIPE come at once, and read with read(2)
// there until a guest call first waits for data; from then on Node's socket reads as data comes
// (its arrival is the wake-up), and what it read is kept and handed out first (adopt). A socket
// a fork shares is read only as far as its guest asks, so the other process keeps its bytes.
import * as fs from 'node:fs';
import type * as net from 'node:net';
import { AGAIN, E, hostErrno, SyscallError } from './errno.js';
import { netModule } from './host-modules.js';
import {
  GuestSocket, IPPROTO_TCP, MSG_PEEK, MSG_WAITALL, Received, SHUT_RD, SHUT_WR, SOL_SOCKET, SO_KEEPALIVE, TCP_NODELAY, optKey,
} from './guest-socket.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRNORM, readAhead, takeChunks } from './open-file.js';
import { HostReader } from './host-reader.js';
import type { LinuxProcess } from './process.js';
import { AF_UNIX, AF_UNSPEC, SockAddr, anyAddress, nodeAddr } from './socket-address.js';

/** How much poll reads ahead of the guest into the kept chunks. */
const READ_AHEAD_MAX = 1 << 18;
/** What Node may hold of a blocking writer's data beyond the host's socket buffer. */
const WRITE_QUEUE_MAX = 1 << 20;

/** What a forked child needs to go on with a connected or listening socket (its host fd comes
 *  as an inherited fd). */
export interface ForkedStream {
  family: number;
  protocol: number;
  listening: boolean;
  /** A listener's address (getsockname before it serves). */
  local: SockAddr;
  localPath: string;
  peerPath: string;
  /** What Node had read and the guest had not (base64), and whether EOF came. */
  kept: string;
  eof: boolean;
  options: [number, number][];
}

type State = 'new' | 'bound' | 'listening' | 'connecting' | 'connected' | 'failed';

/** The Node socket's host fd (libuv's, on every Unix). */
const fdOf = (s: net.Socket | net.Server): number => (s as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;

/** A Node server as every listener here is: connections wait unread until accepted, and
 *  each direction of one is shut on its own (shutdown(2)). */
const newServer = (): net.Server => netModule().createServer({ pauseOnConnect: true, allowHalfOpen: true });

/** Closes a listening server. libuv removes the path of a Unix socket it bound when it closes
 *  it; Linux leaves the file to the program (which unlinks it, or finds EADDRINUSE), so a link
 *  keeps it through the close. */
function closeKeepingPath(server: net.Server, path: string): void {
  const keep = path && path[0] !== '\0' ? `${path}.tsemu-${process.pid}` : '';
  try {
    if (keep) fs.linkSync(path, keep);
  } catch {
    server.close();
    return;
  }
  server.close();
  if (keep) fs.renameSync(keep, path);
}

export class StreamSocket extends GuestSocket {
  private state: State = 'new';
  private server: net.Server | undefined;
  private readonly backlog: net.Socket[] = [];
  private sock: net.Socket | undefined;
  private bound: SockAddr | undefined;
  /** What Node read while a call waited, not yet given to the guest. */
  private readonly chunks: Uint8Array[] = [];
  private eof = false;
  private rdShut = false;
  private wrShut = false;
  /** A connect call has seen the connection up (accepted sockets are up from the start). */
  private connectReported = true;
  /** A Unix socket's own path (an accepted one's is its listener's) and its peer's. */
  private localPath = '';
  private peerPath = '';
  /** A bind or listen Node is doing: its outcome once known. */
  private listenResult: number | undefined = 0;
  /** Another process holds the socket too (a fork): only what the guest asks for is read. */
  private shared = false;

  constructor(p: LinuxProcess, family: number, protocol: number, sock?: net.Socket) {
    super(p, family, 1, protocol);
    if (sock) this.adopt(sock);
  }

  /** Takes a connected Node socket (connected, accepted, or inherited across fork). Its stream
   *  stays paused: Node reads from the host only when asked (wantData), into its buffer, and
   *  each chunk it takes in wakes the waiting calls (its push). Once asked, Node goes on
   *  reading (up to READ_AHEAD_MAX kept), so that a server's read that finds nothing costs no
   *  host call (an empty non-blocking read makes Node build an exception, ~7 us) and Node's
   *  reading is not started and stopped at every request (two epoll_ctl calls); a socket that
   *  another process holds too stops after each chunk, leaving the rest to whoever reads it. */
  private adopt(sock: net.Socket): void {
    this.sock = sock;
    this.state = 'connected';
    sock.pause();
    const push = sock.push.bind(sock);
    sock.push = ((chunk: unknown, encoding?: BufferEncoding): boolean => {
      const more = push(chunk, encoding);
      if (this.shared || sock.readableLength >= READ_AHEAD_MAX) this.stopReading();
      this.changed();
      return more;
    }) as typeof sock.push;
    sock.on('end', () => { this.eof = true; this.changed(); });
    sock.on('drain', () => this.changed());
    sock.on('close', () => { this.eof = true; this.changed(); });
    sock.on('error', (e) => { this.pendingError ||= hostErrno(e) ?? E.IO; this.changed(); });
    for (const [key, value] of this.options) this.applyOption(key, value);
    this.stopReading();
  }

  /** Stops Node reading the host socket (net.Socket.pause does this only for 'onread'
   *  sockets): what the guest has not asked for stays in the host's buffer, where a process
   *  that shares the socket can read it too. */
  private stopReading(): void {
    const h = (this.sock as unknown as { _handle?: { reading: boolean; readStop(): number } } | undefined)?._handle;
    if (h?.reading) {
      h.reading = false;
      h.readStop();
    }
  }

  /** Nothing to read now: Node reads the host socket, to say when something comes. */
  private wantData(): void {
    const sock = this.sock;
    if (sock && !sock.destroyed && sock.readableLength === 0) sock.read(0);
  }

  /** Moves what Node has read but not handed out (its readable buffer) to the kept chunks,
   *  before the host fd is read: the host's next bytes come after it. */
  private takeNodeBuffer(): void {
    const sock = this.sock;
    while (sock && sock.readableLength > 0) {
      const b = sock.read() as Buffer | null;
      if (!b) break;
      this.chunks.push(b);
    }
  }

  /** Connected or listening: a host socket a fork can hand on. */
  get forkable(): boolean {
    return (this.state === 'connected' && this.nodeFd >= 0) ||
      ((this.state === 'listening' || this.state === 'bound') && this.listenResult === 0 && (!!this.server || !!this.idleListener));
  }

  forkState(): ForkedStream {
    this.shared = true;
    this.stopReading();
    this.takeNodeBuffer();
    return {
      family: this.family, protocol: this.protocol, listening: this.state !== 'connected', local: this.localAddr(), localPath: this.localPath,
      peerPath: this.peerPath, kept: Buffer.concat(this.chunks).toString('base64'), eof: this.eof, options: [...this.options],
    };
  }

  /** The socket a forked child goes on with, over the host fd it inherited at `fd`. */
  static inherited(p: LinuxProcess, fd: number, d: ForkedStream): StreamSocket {
    const s = new StreamSocket(p, d.family, d.protocol);
    for (const [k, v] of d.options) s.options.set(k, v);
    s.localPath = d.localPath;
    s.peerPath = d.peerPath;
    p.host.needEventLoop();
    if (d.listening) {
      // Node starts accepting only when the guest accepts or polls: a child that never serves
      // the listener (it was forked to do something else) must not take its connections.
      s.idleListener = { fd, local: d.local };
      s.state = 'listening';
      return s;
    }
    s.shared = true;
    s.adopt(new (netModule().Socket)({ fd, allowHalfOpen: true, readable: true, writable: true, pauseOnCreate: true } as net.SocketConstructorOpts));
    if (d.kept) s.chunks.push(Buffer.from(d.kept, 'base64'));
    s.eof = d.eof;
    return s;
  }

  /** An inherited listener Node does not serve yet: its host fd and address. */
  private idleListener: { fd: number; local: SockAddr } | undefined;

  /** Serves an inherited listener from now on. */
  private serve(): void {
    const idle = this.idleListener;
    if (!idle) return;
    this.idleListener = undefined;
    this.listenOn(newServer(), { fd: idle.fd });
  }

  private get nodeFd(): number {
    return this.sock && !this.sock.destroyed ? fdOf(this.sock) : -1;
  }

  /** What reads the connected socket's host fd; none once Node has closed it. */
  private hostReader(): HostReader | undefined {
    const fd = this.nodeFd;
    if (fd < 0) return undefined;
    if (this.reader?.fd !== fd) this.reader = new HostReader(fd);
    return this.reader;
  }
  private reader: HostReader | undefined;

  override bind(a: SockAddr): void {
    if (this.state !== 'new') throw new SyscallError(E.INVAL);
    if (a.family !== this.family || a.family === AF_UNSPEC) throw new SyscallError(this.family === AF_UNIX ? E.INVAL : E.AFNOSUPPORT);
    this.bound = a;
    this.startListening();
  }

  /** Node binds and listens in one step: a bound socket listens on the host already, and
   *  listen(2) lets the guest accept. settled() gives 0 or the bind's error. */
  private startListening(): void {
    const a = this.bound;
    if (a?.family === AF_UNIX) this.listenOn(newServer(), a.path);
    else {
      const ip = a && a.family !== AF_UNSPEC ? a : undefined;
      this.listenOn(newServer(), { host: ip?.address ?? anyAddress(this.family), port: ip?.port ?? 0, ipv6Only: this.v6Only });
    }
    this.state = 'bound';
  }

  /** Starts `server` listening where `at` says, its connections queuing for accept. */
  private listenOn(server: net.Server, at: string | net.ListenOptions | { fd: number }): void {
    this.server = server;
    this.listenResult = undefined;
    server.on('connection', (s: net.Socket) => {
      s.on('error', () => {});
      this.backlog.push(s);
      this.changed();
    });
    server.on('error', (e) => {
      this.listenResult = hostErrno(e) ?? E.IO;
      this.server = undefined;
      this.bound = undefined;
      this.state = 'new';
      this.changed();
    });
    server.on('listening', () => { this.listenResult = 0; this.changed(); });
    server.listen(at as net.ListenOptions);
  }

  override settled(): number | undefined { return this.listenResult; }

  get isListening(): boolean { return this.state === 'listening'; }

  override listen(): void {
    if (this.state === 'listening') return;
    if (this.state === 'new') {
      // Linux binds an unbound socket to an ephemeral port (the call waits for it).
      this.startListening();
    } else if (this.state !== 'bound') throw new SyscallError(E.INVAL);
    this.state = 'listening';
  }

  override accept(): GuestSocket {
    if (this.state !== 'listening') throw new SyscallError(E.INVAL);
    this.serve();
    const s = this.backlog.shift();
    if (!s) throw AGAIN;
    s.removeAllListeners('error');
    const accepted = new StreamSocket(this.p, this.family, this.protocol, s);
    if (this.bound?.family === AF_UNIX) accepted.localPath = this.bound.path;
    return accepted;
  }

  override connect(a: SockAddr): number {
    if (this.state === 'connecting') return -E.ALREADY;
    // The first connect after a non-blocking one completed reports its success (0), as Linux.
    if (this.state === 'connected' && !this.connectReported) { this.connectReported = true; return 0; }
    if (this.state === 'connected') throw new SyscallError(E.ISCONN);
    if (this.state === 'listening') throw new SyscallError(E.INVAL);
    if (a.family !== this.family || a.family === AF_UNSPEC) throw new SyscallError(E.AFNOSUPPORT);
    const local = this.bound;
    if (this.server) { this.server.close(); this.server = undefined; }
    const opts: net.NetConnectOpts = a.family === AF_UNIX
      ? { path: a.path, allowHalfOpen: true }
      : { host: a.address, port: a.port, allowHalfOpen: true, localAddress: local?.family === a.family ? local.address : undefined,
          localPort: local?.family === a.family && local.port ? local.port : undefined };
    const sock = netModule().connect(opts);
    sock.pause();
    this.sock = sock;
    this.state = 'connecting';
    this.connectReported = false;
    if (a.family === AF_UNIX) this.peerPath = a.path;
    const failed = (e: Error): void => {
      this.state = 'failed';
      this.sock = undefined;
      this.pendingError = hostErrno(e) ?? E.IO;
      this.changed();
    };
    sock.once('error', failed);
    sock.once('connect', () => { sock.off('error', failed); this.adopt(sock); this.changed(); });
    return -E.INPROGRESS;
  }

  override connectDone(): number | undefined {
    if (this.state === 'connecting') return undefined;
    if (this.state === 'connected') { this.connectReported = true; return 0; }
    const err = this.pendingError;
    this.pendingError = 0;
    this.state = 'new';
    return err;
  }

  override recv(dst: Uint8Array, off: number, len: number, flags: number): Received {
    if (this.state !== 'connected') throw new SyscallError(E.NOTCONN);
    if (this.rdShut || len === 0) return { n: 0 };
    this.takeNodeBuffer();
    if (flags & (MSG_PEEK | MSG_WAITALL)) this.fill(flags & MSG_WAITALL ? len : 1);
    let n = takeChunks(this.chunks, dst, off, len, (flags & MSG_PEEK) !== 0);
    if (n > 0 || this.eof) return { n };
    this.throwPending();
    // Node reads the host socket: what comes will be pushed (and wake the waits).
    if (this.watched) throw AGAIN;
    const reader = this.hostReader();
    if (!reader) return { n: 0 };
    n = reader.read(dst, off, len);
    if (n === -E.AGAIN) this.wantData();
    if (n < 0) throw new SyscallError(-n);
    if (n === 0) this.eof = true;
    return { n };
  }

  /** Reads from the host into the kept chunks until `want` bytes are kept or none are ready
   *  (MSG_PEEK looks at them there; MSG_WAITALL waits until they are all there). */
  private fill(want: number): void {
    this.takeNodeBuffer();
    const reader = this.hostReader();
    let have = this.available();
    while (have < want && !this.eof && reader) {
      const n = readAhead(reader, this.chunks);
      if (n < 0) break;
      if (n === 0) this.eof = true;
      this.generation++;
      have += n;
    }
    if (have < want && !this.eof) {
      this.wantData();
      if (have === 0 || want > 1) throw AGAIN;
    }
  }

  /** What poll sees: reads what the host has into the kept chunks (up to a bound), so that
   *  readiness is the host's and each arrival counts (edge-triggered epoll); with nothing
   *  there, Node's socket reads again to say when something comes. */
  private pollAhead(): void {
    if (this.eof || this.rdShut || this.available() >= READ_AHEAD_MAX) return;
    try {
      this.fill(this.available() + 1);
    } catch (e) {
      if (!(e instanceof SyscallError)) throw e;
    }
  }

  override send(src: Uint8Array, off: number, len: number): number {
    // tcp_sendmsg: EPIPE on a socket that is not connected, as on one shut for writing.
    if (this.state !== 'connected') throw new SyscallError(this.state === 'connecting' ? E.AGAIN : E.PIPE);
    if (this.wrShut) throw new SyscallError(E.PIPE);
    this.throwPending();
    const sock = this.sock!;
    const fd = this.nodeFd;
    if (fd < 0) throw new SyscallError(E.PIPE);
    let n = 0;
    if (sock.writableLength === 0) {
      try {
        n = fs.writeSync(fd, src, off, len);
      } catch (e) {
        if (hostErrno(e) !== E.AGAIN) throw e;
      }
      if (n === len || this.nonblock) {
        if (n === 0) throw AGAIN;
        return n;
      }
    } else if (this.nonblock || sock.writableLength >= WRITE_QUEUE_MAX) throw AGAIN;
    // A blocking writer's rest goes to Node, which writes it as the host takes it (in order:
    // later writes queue behind it); the next one waits while the queue is long.
    sock.write(Buffer.from(src.subarray(off + n, off + len)));
    return len;
  }

  override shutdown(how: number): void {
    if (this.state !== 'connected') throw new SyscallError(E.NOTCONN);
    if (how !== SHUT_WR) this.rdShut = true;
    if (how !== SHUT_RD && !this.wrShut) {
      this.wrShut = true;
      this.sock!.end();
    }
  }

  override localAddr(): SockAddr {
    // A connect in progress has its local address already (the host's connect(2) bound it).
    if (this.sock && (this.state === 'connected' || this.state === 'connecting')) {
      if (this.family === AF_UNIX) return { family: AF_UNIX, path: this.localPath };
      return nodeAddr(this.family, this.sock.localAddress ?? '', this.sock.localPort ?? 0);
    }
    if (this.idleListener) return this.idleListener.local;
    const a = this.server?.address();
    if (typeof a === 'string') return { family: AF_UNIX, path: a };
    if (a) return nodeAddr(this.family, a.address, a.port);
    if (this.family === AF_UNIX) return { family: AF_UNIX, path: '' };
    return nodeAddr(this.family, anyAddress(this.family), 0);
  }

  override peerAddr(): SockAddr {
    const s = this.sock;
    if (!s || this.state !== 'connected' || (this.family !== AF_UNIX && !s.remoteAddress)) throw new SyscallError(E.NOTCONN);
    if (this.family === AF_UNIX) return { family: AF_UNIX, path: this.peerPath };
    return nodeAddr(this.family, s.remoteAddress!, s.remotePort!);
  }

  override applyOption(key: number, value: number): void {
    if (!this.sock) return;
    if (key === optKey(IPPROTO_TCP, TCP_NODELAY)) this.sock.setNoDelay(value !== 0);
    if (key === optKey(SOL_SOCKET, SO_KEEPALIVE)) this.sock.setKeepAlive(value !== 0);
  }

  /** As tcp_poll: readable with data, at EOF or on error; writable while Node's queue is short;
   *  HUP once both directions are shut; a listener is readable with a connection to accept. */
  override pollMask(look = true): number {
    switch (this.state) {
      case 'listening':
        this.serve();
        return this.backlog.length ? POLLIN | POLLRDNORM : 0;
      case 'connecting': return 0;
      case 'failed': return POLLOUT | POLLWRNORM | POLLERR | POLLHUP;
      case 'new': case 'bound': return POLLOUT | POLLWRNORM | POLLHUP;
    }
    let mask = 0;
    if (look) this.pollAhead();
    else this.takeNodeBuffer();
    if (this.chunks.length || this.eof || this.rdShut) mask |= POLLIN | POLLRDNORM;
    if (this.eof) mask |= POLLRDHUP;
    if (!this.wrShut && this.sock!.writableLength < WRITE_QUEUE_MAX) mask |= POLLOUT | POLLWRNORM;
    if (this.pendingError) mask |= POLLERR;
    if (this.eof && this.wrShut) mask |= POLLHUP;
    return mask;
  }

  override available(): number { return this.chunks.reduce((s, c) => s + c.length, 0); }

  override get watched(): boolean {
    return this.state === 'connected' && !!(this.sock as unknown as { _handle?: { reading: boolean } })._handle?.reading;
  }

  override hostFd(): number {
    const fd = this.state === 'connected' ? this.nodeFd : this.server ? fdOf(this.server) : this.idleListener?.fd ?? -1;
    if (fd < 0) throw new SyscallError(E.INVAL);
    return fd;
  }

  override release(): void {
    if (this.idleListener) fs.closeSync(this.idleListener.fd);
    if (this.server) closeKeepingPath(this.server, this.bound?.family === AF_UNIX ? this.bound.path : '');
    for (const s of this.backlog) s.destroy();
    const s = this.sock;
    if (!s) return;
    // Close as close(2) does: what Node still queues is sent first.
    if (s.writableLength > 0) s.destroySoon(); else s.destroy();
  }
}
