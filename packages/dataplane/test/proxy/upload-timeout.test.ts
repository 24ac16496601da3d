import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startUpstream, type TestUpstream } from '../helpers/servers';
import { MemoryAccessLog, startPlane, type TestPlane } from '../helpers/plane';
import { FakeMetrics } from '../helpers/fake-metrics';
import { forwardRoute, listener, makeSpec, match, NO_RETRY, TEST_LIMITS, upstream } from '../helpers/spec';

/** The upstream's `idleMs`: how long a client may leave its request body silent. */
const IDLE_MS = 250;
const KEEP_ALIVE_MS = 600;

/** A response parsed from raw bytes (every response here carries a content-length). */
interface RawResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

/** Splits `data` into the complete responses it holds. */
function parseResponses(data: string): RawResponse[] {
  const out: RawResponse[] = [];
  let at = 0;
  for (let guard = 0; guard < 16; guard++) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end === -1) break;
    const lines = data.slice(at, end).split('\r\n');
    const headers = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    const length = Number(headers.get('content-length') ?? '0');
    if (data.length < end + 4 + length) break;
    out.push({ status: Number((lines[0] as string).split(' ')[1]), headers, body: data.slice(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return out;
}

/** A raw client connection that collects everything the proxy sends. */
class RawClient {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  data = '';
  private check: (() => void) | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.data += chunk;
      this.check?.();
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Resolves once `n` complete responses arrived. */
  responses(n: number): Promise<RawResponse[]> {
    return new Promise((resolve) => {
      this.check = (): void => {
        const parsed = parseResponses(this.data);
        if (parsed.length >= n) {
          this.check = null;
          resolve(parsed);
        }
      };
      this.check();
    });
  }
}

/** A request as the upstream saw it, and whether its body was complete when it closed. */
interface Arrival {
  readonly req: IncomingMessage;
  readonly closed: Promise<boolean>;
}

function errorCodeOf(res: RawResponse): string {
  return (JSON.parse(res.body) as { error: { code: string } }).error.code;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('request body idle timeout', () => {
  let up: TestUpstream;
  let plane: TestPlane;
  const metrics = new FakeMetrics();
  const accessLog = new MemoryAccessLog();
  const arrivals: Arrival[] = [];
  let onArrival: (() => void) | null = null;

  function nextArrival(index: number): Promise<Arrival> {
    return new Promise((resolve) => {
      const check = (): void => {
        const a = arrivals[index];
        if (a !== undefined) {
          onArrival = null;
          resolve(a);
        }
      };
      onArrival = check;
      check();
    });
  }

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      arrivals.push({ req, closed: new Promise((resolve) => req.on('close', () => resolve(req.complete))) });
      onArrival?.();
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      req.on('end', () => {
        const body = String(bytes);
        res.writeHead(200, { 'content-length': String(body.length) });
        res.end(body);
      });
    });
    const spec = makeSpec({
      listeners: [listener('main', { limits: { ...TEST_LIMITS, keepAliveTimeoutMs: KEEP_ALIVE_MS } })],
      upstreams: [upstream('api', [up.port], { timeouts: { idleMs: IDLE_MS } })],
      routes: [
        forwardRoute('replay', 'api', {
          match: match({ path: { kind: 'prefix', value: '/replay' } }),
        }),
        forwardRoute('api', 'api'),
      ],
    });
    const replay = spec.routes[0]!;
    const routes = [
      { ...replay, action: { ...(replay.action as Extract<typeof replay.action, { kind: 'forward' }>), retry: { ...NO_RETRY, retries: 1 } } },
      spec.routes[1]!,
    ];
    const logged = { ...spec, routes, logging: { ...spec.logging, accessLog: { enabled: true, path: 'memory' } } };
    plane = await startPlane(logged, { metrics: metrics.asMetrics(), accessLog });
  });

  afterAll(async () => {
    await plane.close();
    await up.close();
  });

  it('answers 408 WEIR_ERR_CLIENT_BODY_TIMEOUT to a stalled upload, closes it and aborts the upstream request', async () => {
    expect.assertions(8);
    const logged = accessLog.records.length;
    const client = await RawClient.open(plane.port);
    client.socket.write('POST /upload HTTP/1.1\r\nhost: a.test\r\ncontent-length: 100\r\n\r\n0123456789');
    const arrival = await nextArrival(arrivals.length);
    const [res] = await client.responses(1);
    await client.closed;
    expect(res!.status).toBe(408);
    expect(res!.headers.get('x-weir-error')).toBe('WEIR_ERR_CLIENT_BODY_TIMEOUT');
    expect(errorCodeOf(res!)).toBe('WEIR_ERR_CLIENT_BODY_TIMEOUT');
    expect(res!.headers.get('connection')).toBe('close');
    // The upstream saw its request end before the body was complete.
    expect(await arrival.closed).toBe(false);
    await accessLog.waitFor(logged + 1);
    expect(accessLog.records[logged]).toMatchObject({ status: 408, code: 'WEIR_ERR_CLIENT_BODY_TIMEOUT', route: 'api' });
    expect(metrics.observations).toContainEqual(expect.objectContaining({ route: 'api', status: 408 }));
    expect(metrics.upstreamErrors.filter((e) => e.code === 'WEIR_ERR_CLIENT_BODY_TIMEOUT')).toEqual([]);
  });

  it('answers 408 to a stalled upload that is being buffered for replay', async () => {
    expect.assertions(2);
    const client = await RawClient.open(plane.port);
    client.socket.write('PUT /replay HTTP/1.1\r\nhost: a.test\r\ncontent-length: 100\r\n\r\n0123456789');
    const [res] = await client.responses(1);
    await client.closed;
    expect(res!.status).toBe(408);
    expect(errorCodeOf(res!)).toBe('WEIR_ERR_CLIENT_BODY_TIMEOUT');
  });

  it('forwards a slow upload whose gaps stay below idleMs, for longer than idleMs in total', async () => {
    expect.assertions(3);
    const chunks = 10;
    const client = await RawClient.open(plane.port);
    const started = performance.now();
    client.socket.write(`POST /upload HTTP/1.1\r\nhost: a.test\r\ncontent-length: ${chunks * 8}\r\n\r\n`);
    for (let i = 0; i < chunks; i++) {
      // The stimulus, not synchronisation: gaps well below IDLE_MS.
      await pause(IDLE_MS / 5);
      client.socket.write('abcdefgh');
    }
    const [res] = await client.responses(1);
    expect(performance.now() - started).toBeGreaterThan(IDLE_MS);
    expect(res!.status).toBe(200);
    expect(res!.body).toBe(String(chunks * 8));
    client.socket.destroy();
  });

  it('leaves a keep-alive connection to keepAliveTimeoutMs after a body request and a following GET', async () => {
    expect.assertions(4);
    const client = await RawClient.open(plane.port);
    client.socket.write('POST /upload HTTP/1.1\r\nhost: a.test\r\ncontent-length: 5\r\n\r\nhello');
    await client.responses(1);
    client.socket.write('GET /again HTTP/1.1\r\nhost: a.test\r\n\r\n');
    const [first, second] = await client.responses(2);
    const idleFrom = performance.now();
    await client.closed;
    expect(first!.status).toBe(200);
    expect(first!.body).toBe('5');
    expect(second!.status).toBe(200);
    // Closed by Node's keep-alive timeout, not earlier by the body guard (IDLE_MS < KEEP_ALIVE_MS).
    expect(performance.now() - idleFrom).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 10);
  });
});
