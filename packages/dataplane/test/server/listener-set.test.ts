import { DataPlane } from '../../src/index';
import { rawExchange, silentLogger, startUpstream, type TestUpstream } from '../helpers/servers';
import { send, startPlane, type TestPlane } from '../helpers/plane';
import { directRoute, forwardRoute, listener, makeSpec, match, TEST_LIMITS, upstream } from '../helpers/spec';

/** Status line and JSON body of a raw response. */
function parseRaw(response: string): { statusLine: string; code: string | null; headers: string } {
  const end = response.indexOf('\r\n\r\n');
  const head = response.slice(0, end);
  const body = response.slice(end + 4);
  let code: string | null = null;
  try {
    code = (JSON.parse(body) as { error: { code: string } }).error.code;
  } catch {
    code = null;
  }
  return { statusLine: head.split('\r\n')[0]!, code, headers: head.toLowerCase() };
}

describe('listener limits and client errors', () => {
  let plane: TestPlane;

  beforeAll(async () => {
    plane = await startPlane(
      makeSpec({
        listeners: [listener('main', { limits: { ...TEST_LIMITS, maxHeaderBytes: 1024, headersTimeoutMs: 200 } })],
        routes: [directRoute('ok', 200, 'ok')],
      }),
    );
  });

  afterAll(async () => {
    await plane.close();
  });

  it('answers 431 WEIR_ERR_HEADERS_TOO_LARGE for a header section over maxHeaderBytes', async () => {
    expect.assertions(3);
    const response = parseRaw(
      await rawExchange(plane.port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(4096)}\r\n\r\n`),
    );
    expect(response.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(response.code).toBe('WEIR_ERR_HEADERS_TOO_LARGE');
    expect(response.headers).toContain('connection: close');
  });

  it('answers 400 WEIR_ERR_BAD_REQUEST for a malformed request', async () => {
    expect.assertions(3);
    const response = parseRaw(await rawExchange(plane.port, 'THIS IS NOT HTTP\r\n\r\n'));
    expect(response.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(response.code).toBe('WEIR_ERR_BAD_REQUEST');
    expect(response.headers).toContain('content-type: application/json');
  });

  it('answers 408 WEIR_ERR_REQUEST_TIMEOUT when the headers do not arrive within headersTimeoutMs', async () => {
    expect.assertions(2);
    const response = parseRaw(await rawExchange(plane.port, 'GET / HTTP/1.1\r\nHost: a\r\n'));
    expect(response.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(response.code).toBe('WEIR_ERR_REQUEST_TIMEOUT');
  });

  it('still serves well-formed requests', async () => {
    expect.assertions(1);
    expect((await send(plane.port)).status).toBe(200);
  });
});

describe('readiness and lifecycle', () => {
  let up: TestUpstream;
  const planes: DataPlane[] = [];
  let release: (() => void) | null = null;
  let onSlow: (() => void) | null = null;

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      if (req.url === '/slow') {
        release = () => res.end('slow done');
        onSlow?.();
        return;
      }
      res.end('ok');
    });
  });

  afterEach(async () => {
    for (const p of planes.splice(0)) await p.drain(500);
  });

  afterAll(async () => {
    await up.close();
  });

  it('answers /__weir/ready 503 before commit and 200 with the version after', async () => {
    expect.assertions(5);
    const plane = new DataPlane({ logger: silentLogger() });
    planes.push(plane);
    const spec = makeSpec({ version: 'v-ready', routes: [directRoute('ok', 200, 'ok')] });
    const prepared = await plane.prepare(spec);
    const port = prepared.listeners[0]!.port;
    const before = await send(port, { path: '/__weir/ready' });
    expect(before.status).toBe(503);
    expect(JSON.parse(before.body.toString())).toEqual({ ready: false, version: null });
    plane.commit();
    const after = await send(port, { path: '/__weir/ready' });
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body.toString())).toEqual({ ready: true, version: 'v-ready' });
    expect(plane.stats()).toEqual({ version: 'v-ready', inFlight: 0, candidateVersion: null, candidatePercent: 0 });
  });

  it('rejects prepare with WEIR_ERR_LISTEN when the port is taken, and keeps serving', async () => {
    expect.assertions(3);
    const plane = new DataPlane({ logger: silentLogger() });
    planes.push(plane);
    const first = await plane.prepare(makeSpec({ routes: [directRoute('ok', 200, 'ok')] }));
    plane.commit();
    const port = first.listeners[0]!.port;
    const other = new DataPlane({ logger: silentLogger() });
    planes.push(other);
    await expect(
      other.prepare(makeSpec({ listeners: [listener('x'), listener('y', { port })], routes: [] })),
    ).rejects.toMatchObject({ code: 'WEIR_ERR_LISTEN' });
    expect(other.stats().version).toBeNull();
    expect((await send(port)).status).toBe(200);
  });

  it('moves a listener to a new port on commit and closes the old one', async () => {
    expect.assertions(3);
    const plane = new DataPlane({ logger: silentLogger() });
    planes.push(plane);
    const routes = [directRoute('ok', 200, 'ok')];
    const a = await plane.prepare(makeSpec({ listeners: [listener('a')], routes }));
    plane.commit();
    const b = await plane.prepare(makeSpec({ listeners: [listener('b')], routes }));
    // Before commit both listeners serve, the new one with the committed runtime.
    expect((await send(a.listeners[0]!.port)).status).toBe(200);
    plane.commit();
    expect((await send(b.listeners[0]!.port)).status).toBe(200);
    await expect(send(a.listeners[0]!.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('abort closes the listeners prepare opened and keeps the committed version', async () => {
    expect.assertions(4);
    const plane = new DataPlane({ logger: silentLogger() });
    planes.push(plane);
    const routes = [directRoute('ok', 200, 'ok')];
    await plane.prepare(makeSpec({ version: 'v-one', listeners: [listener('a')], routes }));
    plane.commit();
    const next = await plane.prepare(makeSpec({ version: 'v-two', listeners: [listener('a'), listener('b')], routes }));
    const bPort = next.listeners[1]!.port;
    // Listener b is open but not committed: the running version has no routes for it.
    expect((await send(bPort)).status).toBe(404);
    plane.abort();
    await expect(send(bPort)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(plane.stats().version).toBe('v-one');
    expect(() => plane.commit()).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });

  it('drains: finishes the request in flight, then refuses new connections', async () => {
    expect.assertions(4);
    const plane = new DataPlane({ logger: silentLogger() });
    planes.push(plane);
    const prepared = await plane.prepare(
      makeSpec({ upstreams: [upstream('up', [up.port])], routes: [forwardRoute('up', 'up', { match: match() })] }),
    );
    plane.commit();
    const port = prepared.listeners[0]!.port;
    const arrived = new Promise<void>((resolve) => (onSlow = resolve));
    const inFlight = send(port, { path: '/slow' });
    await arrived;
    expect(plane.stats().inFlight).toBe(1);
    const drained = plane.drain(5_000);
    release!();
    const res = await inFlight;
    await drained;
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('slow done');
    await expect(send(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
