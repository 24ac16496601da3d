import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { Daemon } from './daemon';

/**
 * TLS and HTTP/2 clients for end-to-end tests of the daemon's edge (issue 8; certificates come
 * from tools/jest/cert-files.ts): the certificate a handshake presents, HTTPS/1.1 and h2
 * requests with streamed bodies. Every call uses its own connection unless it is handed a
 * session, and every wait is bounded by a timeout.
 */

/** Bound port of the listener called `name`, from the daemon's `weir ready` line. */
export function listenerPort(daemon: Daemon, name: string): number {
  const found = daemon.readyListeners.find((l) => l.name === name);
  if (found === undefined) throw new Error(`the daemon reported no listener ${name}: ${JSON.stringify(daemon.readyListeners)}`);
  return found.port;
}

/** Client side of a TLS connection: what to trust, what to present, which name to send. */
export interface TlsClientOptions {
  /** SNI to send; undefined sends none (the host is an IP literal). */
  readonly servername?: string;
  /** CA certificate (PEM) to trust. */
  readonly ca: string;
  /** Client certificate and key (PEM), for mutual TLS. */
  readonly cert?: string;
  readonly key?: string;
}

function tlsOptions(options: TlsClientOptions): tls.ConnectionOptions {
  return {
    ca: options.ca,
    // The host is 127.0.0.1: Node sends no SNI for an IP literal unless `servername` says so.
    ...(options.servername === undefined ? {} : { servername: options.servername }),
    // The certificate's names are what the test checks; the chain is still verified against `ca`.
    checkServerIdentity: (): undefined => undefined,
    ...(options.cert === undefined ? {} : { cert: options.cert, key: options.key }),
  };
}

/** What a handshake presented. */
export interface PresentedCertificate {
  readonly cn: string;
  readonly serial: string;
}

/**
 * Completes one TLS handshake with the listener on 127.0.0.1:`port`, returns the certificate it
 * presented, and closes the connection gracefully (waiting for `close`). Rejects on a handshake
 * error or after `timeoutMs`.
 */
export function presentedCertificate(port: number, options: TlsClientOptions, timeoutMs = 5_000): Promise<PresentedCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...tlsOptions(options), ALPNProtocols: ['http/1.1'] });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`TLS handshake with port ${port} did not complete within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('secureConnect', () => {
      // A late alert (TLS 1.3 refuses a client certificate after the client's handshake) must
      // not become an unhandled error once this promise has its answer.
      socket.on('error', () => undefined);
      const peer = socket.getPeerCertificate();
      const presented = { cn: String(peer.subject?.CN ?? ''), serial: String(peer.serialNumber ?? '').toUpperCase() };
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(presented);
      });
      socket.end();
      socket.resume();
    });
  });
}

/** A whole response, from either protocol. */
export interface EdgeResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  /** Serial number of the certificate the connection negotiated. */
  readonly serial: string;
  /** ALPN result of the connection (`http/1.1`, `h2`, or false). */
  readonly alpn: string | false | null;
}

/** A request to send: the body, when given, is written chunk by chunk with backpressure. */
export interface EdgeRequest {
  readonly method?: string;
  readonly path?: string;
  /** `Host` (HTTP/1.1) or `:authority` (h2). */
  readonly authority: string;
  readonly headers?: Record<string, string>;
  readonly chunks?: readonly Buffer[];
  readonly timeoutMs?: number;
}

/** Writes `chunks` to `stream`, waiting for `drain` whenever the stream says so, then ends it. */
async function writeChunks(stream: NodeJS.WritableStream, chunks: readonly Buffer[] | undefined): Promise<void> {
  for (const chunk of chunks ?? []) {
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  stream.end();
}

/** One HTTPS/1.1 request (ALPN `http/1.1`) on its own connection. */
export function https1(port: number, tlsClient: TlsClientOptions, request: EdgeRequest): Promise<EdgeResponse> {
  return new Promise((resolve, reject) => {
    const timeoutMs = request.timeoutMs ?? 10_000;
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method ?? 'GET',
        path: request.path ?? '/',
        headers: { host: request.authority, ...request.headers },
        agent: false,
        ALPNProtocols: ['http/1.1'],
        ...tlsOptions(tlsClient),
      },
      (res) => {
        const chunks: Buffer[] = [];
        const socket = res.socket as tls.TLSSocket;
        const serial = String(socket.getPeerCertificate().serialNumber ?? '').toUpperCase();
        const alpn = socket.alpnProtocol;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), serial, alpn });
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`HTTPS request to port ${port} took over ${timeoutMs} ms`)), timeoutMs);
    function fail(err: Error): void {
      clearTimeout(timer);
      reject(err);
    }
    req.on('error', fail);
    writeChunks(req, request.chunks).catch(fail);
  });
}

/** An h2 session to a TLS listener (ALPN h2 only) or, with `tlsClient` null, an h2c one. */
export function h2Session(port: number, tlsClient: TlsClientOptions | null, timeoutMs = 5_000): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session =
      tlsClient === null
        ? http2.connect(`http://127.0.0.1:${port}`)
        : http2.connect(`https://127.0.0.1:${port}`, { ...tlsOptions(tlsClient), ALPNProtocols: ['h2'] });
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error(`h2 session to port ${port} not connected within ${timeoutMs} ms`));
    }, timeoutMs);
    session.once('connect', () => {
      clearTimeout(timer);
      session.off('error', onError);
      // Later session errors fail the streams that see them; keep them off the process.
      session.on('error', () => undefined);
      resolve(session);
    });
    const onError = (err: Error): void => {
      clearTimeout(timer);
      reject(err);
    };
    session.once('error', onError);
  });
}

/** One request on an h2 session. */
export function h2Send(session: http2.ClientHttp2Session, request: EdgeRequest): Promise<EdgeResponse> {
  return new Promise((resolve, reject) => {
    const timeoutMs = request.timeoutMs ?? 10_000;
    const hasBody = request.chunks !== undefined;
    const stream = session.request(
      {
        ':method': request.method ?? 'GET',
        ':path': request.path ?? '/',
        ':authority': request.authority,
        ...request.headers,
      },
      { endStream: !hasBody },
    );
    const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), timeoutMs);
    const chunks: Buffer[] = [];
    let headers: http2.IncomingHttpHeaders = {};
    stream.on('response', (h) => (headers = h));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    stream.on('end', () => {
      clearTimeout(timer);
      const socket = session.socket as tls.TLSSocket;
      const serial = typeof socket.getPeerCertificate === 'function' ? String(socket.getPeerCertificate().serialNumber ?? '').toUpperCase() : '';
      const { ':status': status, ...rest } = headers;
      resolve({ status: Number(status), headers: rest, body: Buffer.concat(chunks), serial, alpn: session.alpnProtocol ?? null });
    });
    if (hasBody) writeChunks(stream, request.chunks).catch((err: Error) => stream.destroy(err));
  });
}

/** Closes an h2 session gracefully and waits (bounded) for it to be gone. */
export async function closeSession(session: http2.ClientHttp2Session, timeoutMs = 5_000): Promise<void> {
  if (session.destroyed) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      session.destroy();
      resolve();
    }, timeoutMs);
    session.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
