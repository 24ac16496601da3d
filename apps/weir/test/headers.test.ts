import type * as http from 'node:http';
import { Daemon } from './harness/daemon';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { send } from './harness/client';
import { hasHeader, headerValues, rawRequest } from './harness/raw-http';
import { TestUpstream, type SeenRequest } from './harness/upstreams';

/**
 * Header handling of a proxy hop (RFC 9110 section 7.6): hop-by-hop headers, including every
 * header named in `Connection`, stop at the proxy in both directions; X-Forwarded-For is appended
 * to, X-Forwarded-Proto and X-Forwarded-Host describe the client's request, and Via gets
 * `1.1 weir` in both directions. Requests are written by hand on a raw socket because node:http
 * and undici add or refuse some of these headers themselves.
 */

/** Answers with hop-by-hop headers of its own next to end-to-end ones. */
function answerWithHopHeaders(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, [
      'Content-Type', 'text/plain',
      'Content-Length', '2',
      'Connection', 'X-Upstream-Hop',
      'X-Upstream-Hop', 'upstream-secret',
      'Keep-Alive', 'timeout=9, max=7',
      'Proxy-Connection', 'keep-alive',
      'Via', '1.1 origin-cache',
      'X-End-To-End', 'from-upstream',
    ]);
    res.end('ok');
  });
}

describe('proxy headers', () => {
  let origin: TestUpstream | null = null;
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  beforeAll(async () => {
    origin = await TestUpstream.start('origin', answerWithHopHeaders);
    config = new ConfigFile(proxyConfig({ routes: [{ name: 'all', upstream: 'origin' }], upstreams: [upstream('origin', origin.address)] }));
    daemon = await Daemon.start({ configPath: config.path });
  });

  afterAll(async () => {
    if (daemon) await daemon.stop();
    await origin?.close();
    config?.remove();
  });

  const lastSeen = (): SeenRequest => {
    const requests = (origin as TestUpstream).requests;
    return requests[requests.length - 1] as SeenRequest;
  };

  /** One raw request carrying every kind of hop-by-hop header and forwarding headers. */
  const hopRequest = (path: string) =>
    rawRequest((daemon as Daemon).port, [
      `GET ${path} HTTP/1.1`,
      'Host: orig.example.test',
      'Connection: close, X-Custom-Hop',
      'X-Custom-Hop: client-secret',
      'Keep-Alive: timeout=5',
      'TE: trailers',
      'Upgrade: h2c',
      'Proxy-Connection: keep-alive',
      'X-Forwarded-For: 203.0.113.7',
      'Via: 1.0 edge',
      'X-End-To-End: from-client',
    ]);

  test('hop-by-hop request headers, including those named in Connection, do not reach the upstream', async () => {
    expect.assertions(8);
    const response = await hopRequest('/request-hop');
    expect(response.status).toBe(200);
    const seen = lastSeen();
    expect(seen.url).toBe('/request-hop');
    expect(seen.headers['x-custom-hop']).toBeUndefined();
    expect(seen.headers['connection'] ?? '').not.toMatch(/x-custom-hop|close/i);
    expect(seen.headers['keep-alive']).toBeUndefined();
    expect([seen.headers['te'], seen.headers['upgrade']]).toEqual([undefined, undefined]);
    expect(seen.headers['proxy-connection']).toBeUndefined();
    expect(seen.headers['x-end-to-end']).toBe('from-client');
  });

  test('hop-by-hop response headers do not reach the client', async () => {
    expect.assertions(6);
    const response = await hopRequest('/response-hop');
    expect(response.body.toString()).toBe('ok');
    expect(hasHeader(response, 'X-Upstream-Hop')).toBe(false);
    expect(headerValues(response, 'Connection').join(',')).not.toMatch(/x-upstream-hop/i);
    expect(headerValues(response, 'Keep-Alive').join(',')).not.toMatch(/max=7/);
    expect(hasHeader(response, 'Proxy-Connection')).toBe(false);
    expect(headerValues(response, 'X-End-To-End')).toEqual(['from-upstream']);
  });

  test('X-Forwarded-For is appended to, X-Forwarded-Proto and -Host describe the client request', async () => {
    expect.assertions(3);
    await hopRequest('/forwarded');
    const seen = lastSeen();
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('orig.example.test');
  });

  test('X-Forwarded-For is the client address when the client sent none', async () => {
    expect.assertions(2);
    const response = await send((daemon as Daemon).port, { path: '/no-xff', headers: { host: 'plain.example.test' } });
    expect(response.status).toBe(200);
    expect(lastSeen().headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  test('Via gets "1.1 weir" in both directions and keeps earlier hops', async () => {
    expect.assertions(4);
    const response = await hopRequest('/via');
    const requestVia = lastSeen().headers['via'] ?? '';
    expect(requestVia).toMatch(/1\.0 edge/);
    expect(requestVia).toMatch(/1\.1 weir/);
    const responseVia = headerValues(response, 'Via').join(', ');
    expect(responseVia).toMatch(/1\.1 origin-cache/);
    expect(responseVia).toMatch(/1\.1 weir/);
  });
});
