import * as net from 'node:net';
import * as tls from 'node:tls';

/**
 * Raw HTTP/2 frames (RFC 9113 section 4.1) for abuse tests that node:http2's client will not
 * send: a burst of HEADERS + RST_STREAM (rapid reset), endless CONTINUATION frames. Shared by
 * the data plane's unit tests and the daemon's end-to-end tests (h2c over TCP, or h2 over TLS
 * with ALPN).
 */

export const FRAME = { HEADERS: 0x1, RST_STREAM: 0x3, SETTINGS: 0x4, GOAWAY: 0x7, CONTINUATION: 0x9 } as const;
export const FLAG = { END_STREAM: 0x1, END_HEADERS: 0x4 } as const;

/** One frame: 9-byte head (length, type, flags, stream id) and payload. */
export function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** HPACK literal without indexing, new name (RFC 7541 section 6.2.2); names and values < 128 bytes. */
export function literalHeader(name: string, value: string): Buffer {
  return Buffer.concat([Buffer.from([0x00, name.length]), Buffer.from(name), Buffer.from([value.length]), Buffer.from(value)]);
}

/**
 * HPACK block of a GET: `:method GET` (static 2), `:scheme` http (6) or https (7), then `:path`
 * (static 4) and `:authority` (static 1) as literals without indexing with indexed names.
 */
export function getRequestBlock(scheme: 'http' | 'https', path: string, authority: string): Buffer {
  return Buffer.concat([
    Buffer.from([0x82, scheme === 'http' ? 0x86 : 0x87, 0x04, path.length]),
    Buffer.from(path),
    Buffer.from([0x01, authority.length]),
    Buffer.from(authority),
  ]);
}

/** A raw h2 connection that has sent the client preface and an empty SETTINGS frame. */
export interface RawH2 {
  readonly socket: net.Socket;
  /** Everything the server sent (decrypted, for TLS). */
  readonly received: Buffer[];
  /** Resolves when the server closed the connection; rejects after `timeoutMs`. */
  closed(timeoutMs?: number): Promise<void>;
}

/** Opens a raw h2 connection: h2c with `tlsOptions` null, else TLS with ALPN h2. */
export async function rawH2(port: number, tlsOptions: tls.ConnectionOptions | null): Promise<RawH2> {
  const socket: net.Socket =
    tlsOptions === null
      ? net.connect(port, '127.0.0.1')
      : tls.connect({ host: '127.0.0.1', port, ...tlsOptions, ALPNProtocols: ['h2'] });
  const received: Buffer[] = [];
  socket.on('data', (d: Buffer) => received.push(d));
  socket.on('error', () => undefined);
  const closedPromise = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`raw h2: no connection to port ${port} within 5 s`)), 5_000);
    socket.once(tlsOptions === null ? 'connect' : 'secureConnect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  if (tlsOptions !== null && (socket as tls.TLSSocket).alpnProtocol !== 'h2') {
    socket.destroy();
    throw new Error(`raw h2: the server did not choose h2 by ALPN (${String((socket as tls.TLSSocket).alpnProtocol)})`);
  }
  socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'), frame(FRAME.SETTINGS, 0, 0, Buffer.alloc(0))]));
  return {
    socket,
    received,
    closed(timeoutMs = 5_000): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`raw h2: the server did not close the connection within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      return Promise.race([closedPromise, timeout]).finally(() => clearTimeout(timer));
    },
  };
}

/** The frames in the server's bytes, as [type, flags, stream, payload]. */
export function parseFrames(bytes: Buffer): [number, number, number, Buffer][] {
  const out: [number, number, number, Buffer][] = [];
  let at = 0;
  // Bytes past the 24-byte preface only; the server sends none, so frames start at 0.
  for (let guard = 0; guard < 100_000 && at + 9 <= bytes.length; guard++) {
    const length = bytes.readUIntBE(at, 3);
    if (at + 9 + length > bytes.length) break;
    out.push([bytes[at + 3] as number, bytes[at + 4] as number, bytes.readUInt32BE(at + 5) & 0x7fffffff, bytes.subarray(at + 9, at + 9 + length)]);
    at += 9 + length;
  }
  return out;
}

/** Error code of the server's GOAWAY, or -1 when it sent none. */
export function goawayCode(bytes: Buffer): number {
  const goaway = parseFrames(bytes).find((f) => f[0] === FRAME.GOAWAY);
  return goaway === undefined ? -1 : goaway[3].readUInt32BE(4);
}

/** Whether the server sent response HEADERS on `stream`. */
export function hasHeadersFor(bytes: Buffer, stream: number): boolean {
  return parseFrames(bytes).some((f) => f[0] === FRAME.HEADERS && f[2] === stream);
}
