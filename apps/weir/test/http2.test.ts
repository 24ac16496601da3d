import { makeCertFiles, type CertFiles } from '../../../tools/jest/cert-files';
import { createHash } from 'node:crypto';
import type * as http from 'node:http';
import { constants } from 'node:http2';
import type { WeirConfig } from '@weir/config';
import { testToken } from './harness/admin-client';
import { send } from './harness/client';
import { rawRequest } from './harness/raw-http';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { Daemon } from './harness/daemon';
import { FLAG, FRAME, frame, getRequestBlock, goawayCode, hasHeadersFor, literalHeader, rawH2 } from '../../../tools/jest/h2-frames';
import { pollSample } from './harness/metrics';
import {
  closeSession,
  h2Send,
  h2Session,
  https1,
  listenerPort,
  type EdgeRequest,
  type EdgeResponse,
} from './harness/tls-client';
import { TestUpstream } from './harness/upstreams';

/**
 * HTTP/2 through the built daemon (issue 8), one daemon (2 workers) for the whole file:
 *
 * - on a TLS listener, h2 and HTTP/1.1 clients get the same answers (status, body, the headers
 *   the upstream sees, the proxy's own error codes) for a GET, a streamed 1 MiB upload, a
 *   request no route matches and a streamed 4 MiB download;
 * - abuse: a rapid-reset burst (HEADERS + RST_STREAM(CANCEL), more than `http2.maxResets`) gets
 *   GOAWAY(ENHANCE_YOUR_CALM), a CONTINUATION flood gets GOAWAY, and /metrics counts both by
 *   reason;
 * - h2c with prior knowledge on a plain listener; HTTPS redirects on a plain listener and on a
 *   route.
 */
const reader = testToken('prometheus', ['read']);

const AUTHORITY = 'site.example';
const MIB = 1024 * 1024;
const LARGE_BYTES = 4 * MIB;
const RESET_BUDGET = 10;

/** The download of `/large`: 4 MiB, the same bytes every time, sent in 64 KiB chunks without a length. */
const LARGE = Buffer.alloc(LARGE_BYTES, 0);
for (let i = 0; i < LARGE_BYTES; i += 4) LARGE.writeUInt32BE(i, i);
const LARGE_SHA = sha256(LARGE);

/** What the echo upstream reports of a request it received. */
interface Echoed {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly bodyLength: number;
  readonly bodySha: string;
}

/**
 * `/large`: the 4 MiB download. `/slow`: never answered (so a stream a client cancels is still
 * in flight at the proxy). Anything else: the request as JSON, after reading its body.
 */
/** `/slow` responses still open. */
const unanswered = new Set<http.ServerResponse>();

function echo(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.url === '/large') {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let at = 0;
    const pump = (): void => {
      while (at < LARGE_BYTES) {
        const chunk = LARGE.subarray(at, at + 64 * 1024);
        at += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
    return;
  }
  if (req.url === '/slow') {
    // Never answered: the stream a client cancels is still in flight at the proxy, whatever the
    // timing. Ended in afterAll if the proxy never gave it up.
    req.resume();
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
    return;
  }
  const hash = createHash('sha256');
  let length = 0;
  req.on('data', (chunk: Buffer) => {
    length += chunk.length;
    hash.update(chunk);
  });
  req.on('end', () => {
    const echoed: Echoed = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyLength: length, bodySha: hash.digest('hex') };
    const body = Buffer.from(JSON.stringify(echoed));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'x-echo': 'yes' });
    res.end(body);
  });
}

let certs: CertFiles;
let origin: TestUpstream;
let file: ConfigFile | null = null;
let daemon: Daemon;
let ports: { tls: number; h2c: number; redirect: number; plain: number };

function config(): WeirConfig {
  return {
    ...proxyConfig({
      routes: [
        // Redirected to HTTPS on plain listeners, served on the TLS listener.
        { name: 'secure', match: { path: { prefix: '/secure' } }, upstream: 'echo', httpsRedirect: {} },
        { name: 'echo', match: { path: { prefix: '/echo' } }, upstream: 'echo' },
        { name: 'large', match: { path: { exact: '/large' } }, upstream: 'echo' },
        { name: 'slow', match: { path: { exact: '/slow' } }, upstream: 'echo' },
      ],
      upstreams: [upstream('echo', origin.address)],
    }),
    certificates: [{ name: 'site', certFile: certs.files['site']!.cert, keyFile: certs.files['site']!.key }],
    listeners: [
      { name: 'tls', address: '127.0.0.1', port: 0, tls: { certificates: ['site'] }, http2: { maxResets: RESET_BUDGET, resetWindowMs: 60_000 } },
      { name: 'h2c', address: '127.0.0.1', port: 0, protocol: 'h2c' },
      { name: 'redirect', address: '127.0.0.1', port: 0, httpsRedirect: { port: 8443 } },
      { name: 'plain', address: '127.0.0.1', port: 0 },
    ],
    admin: { tokens: [reader.entry] },
  };
}

beforeAll(async () => {
  certs = makeCertFiles([{ name: 'site', names: [AUTHORITY] }]);
  origin = await TestUpstream.start('echo', echo);
  file = new ConfigFile(config());
  daemon = await Daemon.start({ configPath: file.path });
  ports = {
    tls: listenerPort(daemon, 'tls'),
    h2c: listenerPort(daemon, 'h2c'),
    redirect: listenerPort(daemon, 'redirect'),
    plain: listenerPort(daemon, 'plain'),
  };
}, 60_000);

afterAll(async () => {
  for (const res of unanswered) res.end();
  await daemon?.stop();
  await origin?.close();
  file?.remove();
  certs?.remove();
});

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Sends the same request over HTTPS/1.1 and over h2 (one session), each on its own connection. */
async function bothProtocols(request: EdgeRequest): Promise<{ h1: EdgeResponse; h2: EdgeResponse }> {
  const tlsClient = { ca: certs.ca, servername: AUTHORITY };
  const h1 = await https1(ports.tls, tlsClient, request);
  const session = await h2Session(ports.tls, tlsClient);
  try {
    return { h1, h2: await h2Send(session, request) };
  } finally {
    await closeSession(session);
  }
}

/**
 * What the upstream saw, all headers included except `via`, which differs by protocol on
 * purpose: it names the protocol the proxy received (`1.1 weir`, `2 weir`; RFC 9110 section
 * 7.6.3) and is asserted separately.
 */
function upstreamView(response: EdgeResponse): Omit<Echoed, 'headers'> & { headers: http.IncomingHttpHeaders } {
  const echoed = JSON.parse(response.body.toString()) as Echoed;
  // Via differs by protocol; traceparent is a fresh span id per request (issue 18).
  const { via: _via, traceparent: _traceparent, ...headers } = echoed.headers;
  return { ...echoed, headers };
}

function via(response: EdgeResponse): string | undefined {
  return (JSON.parse(response.body.toString()) as Echoed).headers.via as string | undefined;
}

/** 1 MiB in 64 KiB chunks, no Content-Length: streamed as chunked (HTTP/1.1) or DATA frames (h2). */
function upload(): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < 16; i++) chunks.push(Buffer.alloc(64 * 1024, i));
  return chunks;
}

describe('HTTP/2 and HTTP/1.1 on one TLS listener', () => {
  test('a GET: same status, body and upstream-visible headers', async () => {
    expect.assertions(6);
    const { h1, h2 } = await bothProtocols({ path: '/echo/get?q=1', authority: AUTHORITY, headers: { 'x-client': 'test' } });
    expect([h1.alpn, h2.alpn]).toEqual(['http/1.1', 'h2']);
    expect([h1.status, h2.status]).toEqual([200, 200]);
    expect(upstreamView(h2)).toEqual(upstreamView(h1));
    expect(upstreamView(h1)).toMatchObject({
      method: 'GET',
      url: '/echo/get?q=1',
      bodyLength: 0,
      headers: { host: AUTHORITY, 'x-forwarded-proto': 'https', 'x-forwarded-host': AUTHORITY, 'x-client': 'test' },
    });
    expect([via(h1), via(h2)]).toEqual(['1.1 weir', '2 weir']);
    // Response headers from the upstream reach both clients alike.
    expect([h2.headers['content-type'], h2.headers['x-echo']]).toEqual([h1.headers['content-type'], h1.headers['x-echo']]);
  });

  test('a streamed 1 MiB POST arrives whole at the upstream over both protocols', async () => {
    expect.assertions(4);
    const chunks = upload();
    const { h1, h2 } = await bothProtocols({ method: 'POST', path: '/echo/upload', authority: AUTHORITY, chunks });
    expect([h1.status, h2.status]).toEqual([200, 200]);
    expect(upstreamView(h2)).toEqual(upstreamView(h1));
    expect(upstreamView(h1)).toMatchObject({
      method: 'POST',
      bodyLength: MIB,
      bodySha: sha256(Buffer.concat(chunks)),
      headers: { host: AUTHORITY, 'x-forwarded-proto': 'https' },
    });
    expect([via(h1), via(h2)]).toEqual(['1.1 weir', '2 weir']);
  });

  test('no route: the same 404 JSON error and x-weir-error over both protocols', async () => {
    expect.assertions(4);
    const hitsBefore = origin.hits;
    const { h1, h2 } = await bothProtocols({ path: '/nowhere', authority: AUTHORITY });
    expect([h1.status, h2.status]).toEqual([404, 404]);
    expect([h1.headers['x-weir-error'], h2.headers['x-weir-error']]).toEqual(['WEIR_ERR_NO_ROUTE', 'WEIR_ERR_NO_ROUTE']);
    expect(JSON.parse(h2.body.toString())).toEqual(JSON.parse(h1.body.toString()));
    expect(origin.hits).toBe(hitsBefore);
  });

  test('a streamed 4 MiB response arrives whole over both protocols', async () => {
    expect.assertions(3);
    const { h1, h2 } = await bothProtocols({ path: '/large', authority: AUTHORITY });
    expect([h1.status, h2.status]).toEqual([200, 200]);
    expect([h1.body.length, h2.body.length]).toEqual([LARGE_BYTES, LARGE_BYTES]);
    expect([sha256(h1.body), sha256(h2.body)]).toEqual([LARGE_SHA, LARGE_SHA]);
  }, 30_000);
});

describe('HTTP/2 abuse against the daemon', () => {
  const series = (reason: string): string => `weir_http2_goaways_total{reason="${reason}"}`;

  test('rapid reset over TLS: GOAWAY with ENHANCE_YOUR_CALM, counted as rapid_reset', async () => {
    expect.assertions(3);
    const raw = await rawH2(ports.tls, { ca: certs.ca, servername: AUTHORITY, checkServerIdentity: () => undefined });
    const block = getRequestBlock('https', '/slow', AUTHORITY);
    const frames: Buffer[] = [];
    // 5 times the budget: streams 1, 3, 5, ... each opened and cancelled at once.
    for (let i = 0; i < RESET_BUDGET * 5; i++) {
      const id = 1 + 2 * i;
      frames.push(frame(FRAME.HEADERS, FLAG.END_STREAM | FLAG.END_HEADERS, id, block));
      frames.push(frame(FRAME.RST_STREAM, 0, id, Buffer.from([0, 0, 0, constants.NGHTTP2_CANCEL])));
    }
    raw.socket.write(Buffer.concat(frames));
    await raw.closed();
    expect(goawayCode(Buffer.concat(raw.received))).toBe(constants.NGHTTP2_ENHANCE_YOUR_CALM);
    expect(await pollSample(daemon, reader.token, series('rapid_reset'), (v) => v >= 1)).toBe(1);
    // The listener itself is unharmed: a new connection is served.
    const session = await h2Session(ports.tls, { ca: certs.ca, servername: AUTHORITY });
    try {
      expect((await h2Send(session, { path: '/echo/after', authority: AUTHORITY })).status).toBe(200);
    } finally {
      await closeSession(session);
    }
  });

  test('cancelling within the budget is allowed: the next request is answered, no GOAWAY', async () => {
    expect.assertions(2);
    const raw = await rawH2(ports.tls, { ca: certs.ca, servername: AUTHORITY, checkServerIdentity: () => undefined });
    const block = getRequestBlock('https', '/slow', AUTHORITY);
    const frames: Buffer[] = [];
    for (let i = 0; i < RESET_BUDGET - 2; i++) {
      const id = 1 + 2 * i;
      frames.push(frame(FRAME.HEADERS, FLAG.END_STREAM | FLAG.END_HEADERS, id, block));
      frames.push(frame(FRAME.RST_STREAM, 0, id, Buffer.from([0, 0, 0, constants.NGHTTP2_CANCEL])));
    }
    const last = 1 + 2 * (RESET_BUDGET - 2);
    frames.push(frame(FRAME.HEADERS, FLAG.END_STREAM | FLAG.END_HEADERS, last, getRequestBlock('https', '/echo/ok', AUTHORITY)));
    raw.socket.write(Buffer.concat(frames));
    try {
      const deadline = Date.now() + 5_000;
      for (let i = 0; i < 1_000 && !hasHeadersFor(Buffer.concat(raw.received), last) && Date.now() < deadline; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(hasHeadersFor(Buffer.concat(raw.received), last)).toBe(true);
      expect(goawayCode(Buffer.concat(raw.received))).toBe(-1);
    } finally {
      // A graceful close (FIN, not RST): see the last test of this block for why it matters.
      raw.socket.end();
      await raw.closed();
    }
  });

  test('a CONTINUATION flood on h2c gets GOAWAY and is counted as protocol_error', async () => {
    expect.assertions(2);
    const raw = await rawH2(ports.h2c, null);
    const frames: Buffer[] = [];
    // HEADERS without END_HEADERS (:method GET, :path /, :scheme http), then endless CONTINUATIONs.
    frames.push(frame(FRAME.HEADERS, FLAG.END_STREAM, 1, Buffer.from([0x82, 0x84, 0x86])));
    const literal = literalHeader('x-flood', 'a'.repeat(100));
    for (let i = 0; i < 2_000; i++) frames.push(frame(FRAME.CONTINUATION, 0, 1, literal));
    raw.socket.write(Buffer.concat(frames));
    await raw.closed();
    expect(goawayCode(Buffer.concat(raw.received))).not.toBe(-1);
    expect(await pollSample(daemon, reader.token, series('protocol_error'), (v) => v >= 1)).toBe(1);
  });

  /*
   * Only nghttp2's own refusals (ERR_HTTP2_ERROR, as the CONTINUATION flood above raises) count
   * as protocol_error: a client that merely resets its TCP connection (ECONNRESET) is an
   * ordinary disconnect and must not page an abuse alert.
   */
  test('a client that resets its TCP connection mid-response is not counted as an abusive GOAWAY', async () => {
    expect.assertions(3);
    const before = await pollSample(daemon, reader.token, series('protocol_error'), () => true);
    const abandoned = 'weir_requests_total{route="large",upstream="echo",status="499",arm="stable"}';
    const abandonedBefore = await pollSample(daemon, reader.token, abandoned, () => true);
    // Three clients in a row (whether the worker reads the RST as ECONNRESET or as an EOF
    // depends on timing; three make the over-count show almost every run).
    const heads: boolean[] = [];
    for (let n = 1; n <= 3; n++) {
      const raw = await rawH2(ports.h2c, null);
      // The raw client sends no WINDOW_UPDATE: the 4 MiB response stalls after 64 KiB, mid-stream.
      raw.socket.write(frame(FRAME.HEADERS, FLAG.END_STREAM | FLAG.END_HEADERS, 1, getRequestBlock('http', '/large', AUTHORITY)));
      const deadline = Date.now() + 5_000;
      for (let i = 0; i < 1_000 && !hasHeadersFor(Buffer.concat(raw.received), 1) && Date.now() < deadline; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      heads.push(hasHeadersFor(Buffer.concat(raw.received), 1));
      // RST, not FIN: what a client that crashes or loses its network looks like to the server.
      raw.socket.resetAndDestroy();
      // The proxy has seen the reset once it records the request as abandoned by its client (499).
      await pollSample(daemon, reader.token, abandoned, (v) => v >= abandonedBefore + n);
    }
    expect(heads).toEqual([true, true, true]);
    expect(await pollSample(daemon, reader.token, abandoned, () => true)).toBe(abandonedBefore + 3);
    expect(await pollSample(daemon, reader.token, series('protocol_error'), () => true)).toBe(before);
  });
});

describe('plain listeners', () => {
  test('h2c with prior knowledge is served, and the upstream sees http and HTTP/2', async () => {
    expect.assertions(3);
    const session = await h2Session(ports.h2c, null);
    try {
      const response = await h2Send(session, { path: '/echo/h2c', authority: AUTHORITY });
      expect(response.status).toBe(200);
      expect(upstreamView(response)).toMatchObject({ url: '/echo/h2c', headers: { host: AUTHORITY, 'x-forwarded-proto': 'http' } });
      expect(via(response)).toBe('2 weir');
    } finally {
      await closeSession(session);
    }
  });

  test('an HTTPS-redirect listener answers 308 with the https Location, without routing', async () => {
    expect.assertions(4);
    const hitsBefore = origin.hits;
    const get = await send(ports.redirect, { path: '/echo/a?b=1', headers: { host: `${AUTHORITY}:8080` } });
    expect([get.status, get.headers.location]).toEqual([308, `https://${AUTHORITY}:8443/echo/a?b=1`]);
    // 308 keeps the method: a POST is redirected the same way.
    const post = await send(ports.redirect, { method: 'POST', path: '/anything', headers: { host: AUTHORITY }, body: 'x' });
    expect([post.status, post.headers.location]).toEqual([308, `https://${AUTHORITY}:8443/anything`]);
    // Without a Host (HTTP/1.0) there is nothing to redirect to.
    expect((await rawRequest(ports.redirect, ['GET /x HTTP/1.0'])).status).toBe(400);
    expect(origin.hits).toBe(hitsBefore);
  });

  test('a route with httpsRedirect redirects on a plain listener and is served on the TLS listener', async () => {
    expect.assertions(2);
    const plain = await send(ports.plain, { path: '/secure/x?y=1', headers: { host: AUTHORITY } });
    expect([plain.status, plain.headers.location]).toEqual([308, `https://${AUTHORITY}/secure/x?y=1`]);
    const tls = await https1(ports.tls, { ca: certs.ca, servername: AUTHORITY }, { path: '/secure/x?y=1', authority: AUTHORITY });
    expect([tls.status, upstreamView(tls).url]).toEqual([200, '/secure/x?y=1']);
  });
});
