import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest } from 'node:http';
import { closedPort, startUpstream, type TestUpstream } from '../helpers/servers';
import { errorCode, MemoryAccessLog, send, startPlane, type TestPlane } from '../helpers/plane';
import { FakeMetrics } from '../helpers/fake-metrics';
import { forwardRoute, makeSpec, match, upstream } from '../helpers/spec';

describe('proxy errors', () => {
  let up: TestUpstream;
  let plane: TestPlane;
  let deadPort: number;
  const metrics = new FakeMetrics();
  const accessLog = new MemoryAccessLog();
  /** Requests the upstream holds without answering, and how each one ended. */
  const held: { req: IncomingMessage; res: ServerResponse; closed: Promise<void> }[] = [];
  let onHeld: (() => void) | null = null;

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      if (req.url === '/partial') {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('x'.repeat(10), () => res.destroy());
        return;
      }
      if (req.url === '/ok') {
        res.end('ok');
        return;
      }
      if (req.url === '/reset-after-body') {
        // Reads the whole request body, then resets without answering.
        req.resume();
        req.on('end', () => req.socket.destroy());
        return;
      }
      // Never answers: /hang and /stream (which sends headers and one chunk).
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first chunk');
      }
      held.push({ req, res, closed: new Promise((resolve) => res.on('close', () => resolve())) });
      onHeld?.();
    });
    deadPort = await closedPort();
    const spec = makeSpec({
      upstreams: [
        upstream('live', [up.port]),
        upstream('dead', [deadPort]),
        upstream('slow', [up.port], { timeouts: { requestMs: 150 } }),
      ],
      routes: [
        forwardRoute('dead', 'dead', { match: match({ path: { kind: 'prefix', value: '/dead' } }) }),
        forwardRoute('slow', 'slow', { match: match({ path: { kind: 'prefix', value: '/hang' } }) }),
        forwardRoute('override', 'live', {
          match: match({ path: { kind: 'prefix', value: '/override' } }),
          requestTimeoutMs: 150,
        }),
        forwardRoute('live', 'live'),
      ],
    });
    const logged = { ...spec, logging: { ...spec.logging, accessLog: { enabled: true, path: 'memory' } } };
    plane = await startPlane(logged, { metrics: metrics.asMetrics(), accessLog });
  });

  afterAll(async () => {
    await plane.close();
    await up.close();
  });

  afterEach(() => {
    for (const h of held.splice(0)) h.res.destroy();
  });

  it('answers 502 WEIR_ERR_UPSTREAM_CONNECT when nothing listens on the endpoint', async () => {
    expect.assertions(4);
    const res = await send(plane.port, { path: '/dead' });
    expect(res.status).toBe(502);
    expect(res.headers['x-weir-error']).toBe('WEIR_ERR_UPSTREAM_CONNECT');
    expect(errorCode(res)).toBe('WEIR_ERR_UPSTREAM_CONNECT');
    expect(metrics.upstreamErrors).toContainEqual({ upstream: 'dead', code: 'WEIR_ERR_UPSTREAM_CONNECT' });
  });

  it('answers 502 for a POST with a body to a dead upstream', async () => {
    expect.assertions(2);
    const res = await send(plane.port, { method: 'POST', path: '/dead', body: 'payload' });
    expect(res.status).toBe(502);
    expect(errorCode(res)).toBe('WEIR_ERR_UPSTREAM_CONNECT');
  });

  it('answers 504 WEIR_ERR_UPSTREAM_TIMEOUT when the upstream sends no headers within requestMs', async () => {
    expect.assertions(3);
    const res = await send(plane.port, { path: '/hang' });
    expect(res.status).toBe(504);
    expect(errorCode(res)).toBe('WEIR_ERR_UPSTREAM_TIMEOUT');
    expect(metrics.upstreamErrors).toContainEqual({ upstream: 'slow', code: 'WEIR_ERR_UPSTREAM_TIMEOUT' });
  });

  it("uses the route's requestTimeoutMs over the upstream's", async () => {
    expect.assertions(2);
    const res = await send(plane.port, { path: '/override/hang' });
    expect(res.status).toBe(504);
    expect(errorCode(res)).toBe('WEIR_ERR_UPSTREAM_TIMEOUT');
  });

  it('cuts the client connection when the upstream fails after the response started', async () => {
    expect.assertions(2);
    const outcome = await new Promise<{ status: number; error: string | null }>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: plane.port, path: '/partial', agent: false }, (res) => {
        res.on('data', () => undefined);
        res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: res.statusCode ?? 0, error: err.code ?? 'error' }));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, error: null }));
      });
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, error: err.code ?? 'error' }));
      req.end();
    });
    expect(outcome.status).toBe(200);
    expect(outcome.error).toBe('ECONNRESET');
  });

  /**
   * Regression: when an upstream fails after the request body was sent, undici destroys the
   * body and Node sets `req.socket` to null; the access log then read `req.socket.remoteAddress`
   * and threw inside the pipeline. The client address is now read once, when the request starts.
   */
  it('logs the client address of a POST whose upstream reset after the body was sent', async () => {
    expect.assertions(3);
    const before = accessLog.records.length;
    const res = await send(plane.port, { method: 'POST', path: '/reset-after-body', body: 'x'.repeat(4096) });
    expect(res.status).toBe(502);
    await accessLog.waitFor(before + 1);
    const record = accessLog.records[before]!;
    expect(record['remoteAddress']).toBe('127.0.0.1');
    expect(record['status']).toBe(502);
  });

  it('aborts the upstream request when the client goes away, and logs WEIR_ERR_CLIENT_ABORTED', async () => {
    expect.assertions(4);
    const before = accessLog.records.length;
    const arrived = new Promise<void>((resolve) => (onHeld = resolve));
    const req = httpRequest({ host: '127.0.0.1', port: plane.port, path: '/stream', agent: false }, (res) => {
      res.once('data', () => req.destroy());
    });
    req.on('error', () => undefined);
    req.end();
    await arrived;
    onHeld = null;
    await held[0]!.closed;
    await accessLog.waitFor(before + 1);
    const record = accessLog.records[before]!;
    expect(record['code']).toBe('WEIR_ERR_CLIENT_ABORTED');
    expect(record['status']).toBe(499);
    expect(record['route']).toBe('live');
    expect(metrics.observations).toContainEqual(expect.objectContaining({ route: 'live', upstream: 'live', status: 499 }));
  });

  it('balances the in-flight gauge and writes one access record per request', async () => {
    expect.assertions(4);
    const before = accessLog.records.length;
    const res = await send(plane.port, { path: '/ok', headers: { host: 'Example.com' } });
    await accessLog.waitFor(before + 1);
    const record = accessLog.records[before]!;
    expect(res.status).toBe(200);
    expect(metrics.inFlight).toBe(0);
    expect(record).toEqual(
      expect.objectContaining({
        method: 'GET',
        path: '/ok',
        host: 'Example.com',
        status: 200,
        route: 'live',
        upstream: 'live',
        endpoint: `127.0.0.1:${up.port}`,
        bytesSent: 2,
        remoteAddress: '127.0.0.1',
      }),
    );
    expect(record['code']).toBeNull();
  });
});
