import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as h2connect, type ClientHttp2Session, type IncomingHttpHeaders as H2Headers } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { CertificateSpec, ListenerSpec, ListenerTlsSpec } from '@weir/runtime';
import type { CertificateFiles, CertificateRequest } from '../../../../tools/certs/make-certs';
import { makeCertFiles, type CertFiles } from '../../../../tools/jest/cert-files';
import { listener } from './spec';

/** Certificates made for one test file (`makeCertFiles`), plus their spec entries. */
export interface TestCertificates extends CertFiles {
  /** A spec entry for a made certificate (serverNames from its SANs unless given). */
  spec(name: string, serverNames?: readonly string[]): CertificateSpec;
}

/** Makes a private CA and the requested certificates in a temporary directory. */
export function makeTestCertificates(requests: readonly CertificateRequest[]): TestCertificates {
  const made = makeCertFiles(requests);
  return Object.assign(made, {
    spec(name: string, serverNames?: readonly string[]): CertificateSpec {
      const f = made.files[name] as CertificateFiles;
      const certPem = readFileSync(f.cert, 'utf8');
      const x509 = new X509Certificate(certPem);
      const sans = (x509.subjectAltName ?? '')
        .split(', ')
        .filter((s) => s.startsWith('DNS:'))
        .map((s) => s.slice(4));
      return { name, certPem, keyPem: readFileSync(f.key, 'utf8'), serverNames: serverNames ?? sans, notAfter: Date.parse(x509.validTo) };
    },
  });
}

/** TLS settings as the config defaults set them, for `certificates`. */
export function tlsSettings(certificates: readonly string[], overrides: Partial<ListenerTlsSpec> = {}): ListenerTlsSpec {
  return {
    certificates,
    defaultCertificate: certificates[0] as string,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    ciphers:
      'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256',
    ecdhCurves: 'X25519:P-256:P-384',
    alpn: ['h2', 'http/1.1'],
    clientAuth: null,
    handshakeTimeoutMs: 10_000,
    ...overrides,
  };
}

/** A TLS listener on 127.0.0.1, port 0. */
export function tlsListener(name: string, tls: ListenerTlsSpec, overrides: Partial<ListenerSpec> = {}): ListenerSpec {
  return listener(name, { protocol: 'tls', tls, ...overrides });
}

/** An HTTPS/1.1 response read whole, with the certificate the server presented. */
export interface TlsResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** Common name of the server certificate. */
  readonly peer: string;
  readonly alpn: string | false | null;
}

/** One HTTPS/1.1 request on its own connection. `servername` undefined sends no SNI. */
export function httpsGet(
  port: number,
  options: { servername?: string; path?: string; ca: string; host?: string; cert?: string; key?: string; headers?: Record<string, string> },
): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/',
        ca: options.ca,
        // No SNI: Node sends none for an IP host; checkServerIdentity is ours.
        servername: options.servername ?? '',
        checkServerIdentity: (): undefined => undefined,
        headers: { host: options.host ?? options.servername ?? 'localhost', ...options.headers },
        agent: false,
        ...(options.cert === undefined ? {} : { cert: options.cert, key: options.key }),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          const socket = res.socket as TLSSocket;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            peer: String(socket.getPeerCertificate().subject?.CN ?? ''),
            alpn: socket.alpnProtocol,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An h2 session to a TLS listener (ALPN h2), trusting `ca`. */
export function h2Session(port: number, ca: string, servername = 'localhost'): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = h2connect(`https://127.0.0.1:${port}`, { ca, servername, checkServerIdentity: () => undefined });
    session.once('connect', () => {
      session.off('error', reject);
      resolve(session);
    });
    session.once('error', reject);
  });
}

/** An h2 response read whole. */
export interface H2Response {
  readonly status: number;
  readonly headers: H2Headers;
  readonly body: string;
}

/** One request on an h2 session. */
export function h2Request(session: ClientHttp2Session, headers: Record<string, string>, body?: string): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'GET', ':path': '/', ...headers }, { endStream: body === undefined });
    let text = '';
    let responseHeaders: H2Headers = {};
    stream.setEncoding('utf8');
    stream.on('response', (h) => (responseHeaders = h));
    stream.on('data', (c: string) => (text += c));
    stream.on('end', () => resolve({ status: Number(responseHeaders[':status']), headers: responseHeaders, body: text }));
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}
