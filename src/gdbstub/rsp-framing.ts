// The remote serial protocol's framing (gdb manual, "Overview" of the remote protocol): packets
// `$payload#cc` with a modulo-256 checksum in two hex digits, acknowledged by `+` (or `-` to ask
// again) until no-ack mode, and a lone 0x03 byte that interrupts the running target. Payloads are
// kept as latin1 strings, one char per byte, so binary data (X, qXfer) passes unchanged.

/** The largest packet accepted and announced (qSupported's PacketSize); longer ones are
 *  refused whole, so a peer cannot make the stub buffer without bound. */
export const MAX_PACKET = 0x4000;

const INTERRUPT = 0x03;
const ESCAPE = 0x7d;
const ESCAPE_XOR = 0x20;

export type Incoming = { kind: 'packet'; payload: string } | { kind: 'interrupt' };

const checksum = (s: string): number => {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum = (sum + s.charCodeAt(i)) & 0xff;
  return sum;
};

/** Splits the byte stream from gdb into packets and interrupts; answers acks through `send`. */
export class PacketReader {
  private buf = '';
  /** Set once gdb and the stub agreed to QStartNoAckMode. */
  noAck = false;

  constructor(private readonly send: (bytes: string) => void) {}

  /** The events in `chunk` (with what earlier chunks left unfinished). */
  *feed(chunk: Buffer): Generator<Incoming> {
    this.buf += chunk.toString('latin1');
    for (;;) {
      const start = this.skipToPacket();
      if (start === undefined) return;
      if (start === 'interrupt') {
        yield { kind: 'interrupt' };
        continue;
      }
      const hash = this.buf.indexOf('#', 1);
      if (hash < 0 || hash + 3 > this.buf.length) {
        // Unfinished: wait for more, unless it is already longer than any packet may be.
        if (this.buf.length > MAX_PACKET + 4) this.refuse(this.buf.length);
        return;
      }
      const payload = this.buf.slice(1, hash);
      const sum = parseInt(this.buf.slice(hash + 1, hash + 3), 16);
      this.buf = this.buf.slice(hash + 3);
      if (payload.length > MAX_PACKET || sum !== checksum(payload)) {
        if (!this.noAck) this.send('-');
        continue;
      }
      if (!this.noAck) this.send('+');
      yield { kind: 'packet', payload };
    }
  }

  /** Drops acks and noise before the next `$`; returns 'interrupt' for a 0x03 found first. */
  private skipToPacket(): 0 | 'interrupt' | undefined {
    for (let i = 0; i < this.buf.length; i++) {
      const c = this.buf.charCodeAt(i);
      if (c === INTERRUPT) {
        this.buf = this.buf.slice(i + 1);
        return 'interrupt';
      }
      if (c === 0x24 /* $ */) {
        this.buf = this.buf.slice(i);
        return 0;
      }
    }
    this.buf = '';
    return undefined;
  }

  private refuse(len: number): void {
    this.buf = this.buf.slice(len);
    if (!this.noAck) this.send('-');
  }
}

/** A packet for gdb. `binary` payloads (qXfer data) have $, #, } and * escaped. */
export function framePacket(payload: string, binary = false): string {
  const body = binary ? payload.replace(/[$#}*]/g, (c) => String.fromCharCode(ESCAPE, c.charCodeAt(0) ^ ESCAPE_XOR)) : payload;
  return `$${body}#${checksum(body).toString(16).padStart(2, '0')}`;
}

/** The bytes of an escaped binary payload (X packets). */
export function unescapeBinary(data: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    out.push(c === ESCAPE && i + 1 < data.length ? data.charCodeAt(++i) ^ ESCAPE_XOR : c);
  }
  return Buffer.from(out);
}
