import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { CertificateFiles } from '../../../../tools/certs/make-certs';

/** What an https test upstream saw of one request. */
export interface SeenRequest {
  /** SNI the proxy sent; null without one. */
  readonly servername: string | null;
  /** `Host` header as received. */
  readonly host: string;
  /** Client port of the proxy's connection (same port = same kept-alive connection). */
  readonly remotePort: number;
  /** Common name of the client certificate the proxy presented, or null. */
  readonly clientCn: string | null;
}

/** A node:https upstream on 127.0.0.1, port 0, answering `tls ok` and recording each request. */
export interface HttpsUpstream {
  readonly server: Server;
  readonly port: number;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Starts an https upstream serving `cert`. With `clientCa`, it asks for a client certificate and
 * refuses a handshake without one signed by that CA (`requestCert` + `rejectUnauthorized`).
 */
export async function startHttpsUpstream(cert: CertificateFiles, clientCa?: string): Promise<HttpsUpstream> {
  const seen: SeenRequest[] = [];
  const server = createServer(
    {
      cert: readFileSync(cert.cert),
      key: readFileSync(cert.key),
      ...(clientCa === undefined ? {} : { ca: readFileSync(clientCa), requestCert: true, rejectUnauthorized: true }),
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = clientCa === undefined ? null : socket.getPeerCertificate();
      seen.push({
        servername: typeof socket.servername === 'string' ? socket.servername : null,
        host: req.headers.host ?? '',
        remotePort: socket.remotePort ?? 0,
        clientCn: peer === null || peer.subject === undefined ? null : (peer.subject.CN as string),
      });
      res.end('tls ok');
    },
  );
  // Handshake failures are the point of several tests; they must not become unhandled errors.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
