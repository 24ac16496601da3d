'use strict';

/** Body of `/small`: 13 bytes, the classic "hello, world\n". */
const SMALL_BODY = 'hello, world\n';
/** Size of `/64k`'s response body. */
const LARGE_SIZE = 64 * 1024;
/** Size of the `/post` request body. */
const POST_SIZE = 16 * 1024;
/** Body of the answer to `/post`. */
const POST_ANSWER = 'ok\n';
/** `Cache-Control` of the upstream's `/cached` answer (the `cached` scenario, issue 10). */
const CACHED_CACHE_CONTROL = 'public, max-age=3600';

/**
 * @typedef {object} Scenario
 * @property {string} id            flag value and JSON key
 * @property {string} title         table heading
 * @property {string} method
 * @property {string} path
 * @property {number} requestBytes  request body size (0: none)
 * @property {'http'|'tls'|'tls-close'|'h2'} transport
 *   `http`: wrk, plain HTTP/1.1 keep-alive. `tls`: wrk over TLS (HTTP/1.1, keep-alive; wrk
 *   negotiates TLS 1.2). `tls-close`: wrk over TLS with `Connection: close`, so every request
 *   pays a new TCP connection and a TLS handshake; wrk offers its last session each time, so
 *   this is an abbreviated (resumed) handshake wherever the server accepts the ticket, and a
 *   full one where it does not (a worker that did not issue it and shares no ticket key). `h2`:
 *   h2load over TLS with ALPN h2 (see `h2Shape`).
 * @property {(status: number, body: Buffer) => string|null} check  null when a probe answer is right
 */

/** @type {Record<string, Scenario>} */
const SCENARIOS = {
  small: {
    id: 'small',
    title: `Small GET (GET /small, ${SMALL_BODY.length}-byte body)`,
    method: 'GET',
    path: '/small',
    requestBytes: 0,
    transport: 'http',
    check: (status, body) => expect(status, body, SMALL_BODY.length, Buffer.from(SMALL_BODY)),
  },
  '64k': {
    id: '64k',
    title: 'Large GET (GET /64k, 64 KiB body)',
    method: 'GET',
    path: '/64k',
    requestBytes: 0,
    transport: 'http',
    check: (status, body) => expect(status, body, LARGE_SIZE, null),
  },
  post: {
    id: 'post',
    title: 'Upload (POST /post, 16 KiB body, 3-byte answer)',
    method: 'POST',
    path: '/post',
    requestBytes: POST_SIZE,
    transport: 'http',
    check: (status, body) => expect(status, body, POST_ANSWER.length, Buffer.from(POST_ANSWER)),
  },
  'tls-small': {
    id: 'tls-small',
    title: `Small GET over TLS (HTTP/1.1 keep-alive, GET /small, ${SMALL_BODY.length}-byte body)`,
    method: 'GET',
    path: '/small',
    requestBytes: 0,
    transport: 'tls',
    check: (status, body) => expect(status, body, SMALL_BODY.length, Buffer.from(SMALL_BODY)),
  },
  'tls-handshake': {
    id: 'tls-handshake',
    title: 'TLS handshakes (a new connection and handshake per GET /small, Connection: close)',
    method: 'GET',
    path: '/small',
    requestBytes: 0,
    transport: 'tls-close',
    check: (status, body) => expect(status, body, SMALL_BODY.length, Buffer.from(SMALL_BODY)),
  },
  cached: {
    id: 'cached',
    title: `Cached small GET (GET /cached, ${SMALL_BODY.length}-byte body, Cache-Control: public, max-age=3600)`,
    method: 'GET',
    path: '/cached',
    requestBytes: 0,
    transport: 'http',
    check: (status, body) => expect(status, body, SMALL_BODY.length, Buffer.from(SMALL_BODY)),
  },
  'h2-small': {
    id: 'h2-small',
    title: 'Small GET over HTTP/2 (h2load, TLS + ALPN h2, GET /small)',
    method: 'GET',
    path: '/small',
    requestBytes: 0,
    transport: 'h2',
    check: (status, body) => expect(status, body, SMALL_BODY.length, Buffer.from(SMALL_BODY)),
  },
};

/** Streams each h2load client keeps in flight (`-m`). */
const H2_STREAMS = 5;

/**
 * The h2-small load for `connections` (the wrk figure): `connections / H2_STREAMS` HTTP/2
 * connections with `H2_STREAMS` streams each, so the same number of requests is in flight as
 * in the wrk scenarios, carried by fewer connections, as browsers and gRPC clients do.
 * @param {number} connections
 * @returns {{ clients: number, streams: number }}
 */
function h2Shape(connections) {
  return { clients: Math.max(1, Math.round(connections / H2_STREAMS)), streams: H2_STREAMS };
}

/** Whether a scenario needs TLS listeners (and certificates). */
function usesTls(scenario) {
  return scenario.transport !== 'http';
}

function expect(status, body, length, exact) {
  if (status !== 200) return `status ${status}, expected 200`;
  if (body.length !== length) return `body of ${body.length} bytes, expected ${length}`;
  if (exact !== null && !body.equals(exact)) return `unexpected body ${JSON.stringify(body.toString('latin1').slice(0, 40))}`;
  return null;
}

/** Contents of the static 64 KiB file: printable and deterministic. */
function largeBody() {
  const line = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/\n');
  const out = Buffer.alloc(LARGE_SIZE);
  for (let off = 0; off < LARGE_SIZE; off += line.length) line.copy(out, off);
  return out;
}

module.exports = { SCENARIOS, SMALL_BODY, CACHED_CACHE_CONTROL, LARGE_SIZE, POST_SIZE, POST_ANSWER, largeBody, h2Shape, usesTls };
