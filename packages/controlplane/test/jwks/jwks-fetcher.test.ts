import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JwksFetcher, type JwkSet, type JwksFailure, type JwksFetchOutcome } from '@weir/controlplane';
import { WeirError } from '@weir/errors';
import { CapturedLog } from '../support/captured-log';
import { ManualTimers } from '../support/manual-timers';

/**
 * A public JWK with a `kid`. node:crypto exports JWKs itself (`format: 'jwk'`), the same
 * RFC 7517 members as jose's `exportJWK`; jose is a dependency of @weir/plugins only, so this
 * package's tests do not resolve it.
 */
function publicJwk(): Record<string, unknown> {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...publicKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

/** A loopback JWKS endpoint whose answer the test changes; it records each request. */
class JwksServer {
  body = '';
  etag: string | null = null;
  status = 200;
  /** Never answer (the socket stays open). */
  stall = false;
  /** Send the head and part of the body, then reset the connection. */
  truncate = false;
  /** Extra headers of the next answers. */
  headers: Record<string, string> = {};
  readonly requests: IncomingMessage[] = [];
  readonly server: Server = createServer((req, res) => this.answer(req, res));

  serve(jwks: unknown): void {
    this.body = JSON.stringify(jwks);
  }
  url(path = '/jwks.json'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }
  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req);
    if (this.stall) return;
    if (this.truncate) {
      res.writeHead(200, { 'content-length': String(this.body.length + 100) });
      res.write(this.body, () => res.destroy());
      return;
    }
    if (this.etag !== null && req.headers['if-none-match'] === this.etag) {
      res.writeHead(304, { etag: this.etag }).end();
      return;
    }
    const length = this.headers['transfer-encoding'] === undefined ? { 'content-length': String(Buffer.byteLength(this.body)) } : {};
    res.writeHead(this.status, { 'content-type': 'application/json', ...length, ...(this.etag === null ? {} : { etag: this.etag }), ...this.headers });
    res.end(this.body);
  }
}

interface FetchEvent {
  readonly url: string;
  readonly outcome: JwksFetchOutcome;
  readonly reason: JwksFailure | undefined;
}

describe('JwksFetcher', () => {
  let servers: JwksServer[];
  let fetcher: JwksFetcher | null;
  let timers: ManualTimers;
  let log: CapturedLog;
  let events: FetchEvent[];
  let updates: { url: string; jwks: JwkSet }[];
  let waiters: { count: number; resolve: () => void }[];

  async function server(jwks: unknown = { keys: [publicJwk()] }): Promise<JwksServer> {
    const s = new JwksServer();
    s.serve(jwks);
    await s.listen();
    servers.push(s);
    return s;
  }

  function start(options: { timeoutMs?: number; maxBytes?: number; onUpdate?: (url: string, jwks: JwkSet) => void } = {}): JwksFetcher {
    fetcher = new JwksFetcher({
      onUpdate: options.onUpdate ?? ((url, jwks) => void updates.push({ url, jwks })),
      logger: log.logger,
      listener: {
        onFetch: (url, outcome, reason) => {
          events.push({ url, outcome, reason });
          for (const w of waiters.splice(0)) {
            if (events.length >= w.count) w.resolve();
            else waiters.push(w);
          }
        },
      },
      timers,
      now: () => 1_700_000_000_000 + timers.now,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
    return fetcher;
  }

  /** Runs `action` (e.g. advancing the timers), then resolves with the next `n` fetch events. */
  function fetches(n: number, action: () => void): Promise<FetchEvent[]> {
    const from = events.length;
    const done = new Promise<void>((resolve) => waiters.push({ count: from + n, resolve }));
    action();
    return done.then(() => events.slice(from, from + n));
  }

  /** Runs `action`, then resolves with the next fetch event. */
  function nextFetch(action: () => void): Promise<FetchEvent> {
    return fetches(1, action).then((e) => e[0] as FetchEvent);
  }

  beforeEach(() => {
    servers = [];
    fetcher = null;
    timers = new ManualTimers();
    log = new CapturedLog();
    events = [];
    updates = [];
    waiters = [];
  });

  afterEach(async () => {
    fetcher?.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('fetches a new URL at once and refreshes it every refreshMs', async () => {
    expect.assertions(8);
    const keys = [publicJwk(), publicJwk()];
    const s = await server({ keys });
    const f = start();
    const event = await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]));
    expect(event).toEqual({ url: s.url(), outcome: 'updated', reason: undefined });
    expect(updates).toEqual([{ url: s.url(), jwks: { keys } }]);
    expect(f.current(s.url())).toEqual({ keys });
    expect(timers.delays).toEqual([60_000]);
    expect(s.requests[0]?.headers['accept']).toContain('application/jwk-set+json');
    expect(f.status()).toEqual([{ url: s.url(), keys: 2, fetchedAt: 1_700_000_000_000, lastError: null, consecutiveFailures: 0 }]);
    expect(log.withMsg('JWKS updated')).toEqual([expect.objectContaining({ url: s.url(), keys: 2 })]);
    expect(f.current('http://127.0.0.1:1/other')).toBeNull();
  });

  it('picks up a rotated key set on refresh', async () => {
    expect.assertions(5);
    const s = await server();
    const f = start();
    await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]));
    const rotated = { keys: [publicJwk()] };
    s.serve(rotated);
    timers.advance(59_999);
    expect(s.requests).toHaveLength(1);
    expect((await nextFetch(() => timers.advance(1))).outcome).toBe('updated');
    expect(f.current(s.url())).toEqual(rotated);
    expect(updates.map((u) => u.jwks)).toEqual([expect.anything(), rotated]);
    expect(timers.delays).toEqual([60_000]);
  });

  it('sends If-None-Match and keeps the set on 304', async () => {
    expect.assertions(6);
    const s = await server();
    s.etag = '"v1"';
    const f = start();
    await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 1000 }]));
    const first = f.current(s.url());
    expect(s.requests[0]?.headers['if-none-match']).toBeUndefined();
    const event = await nextFetch(() => timers.advance(1000));
    expect(event.outcome).toBe('unchanged');
    expect(s.requests[1]?.headers['if-none-match']).toBe('"v1"');
    expect(f.current(s.url())).toBe(first);
    expect(updates).toHaveLength(1);
    expect(timers.delays).toEqual([1000]);
  });

  it('counts the same body without an ETag as unchanged', async () => {
    expect.assertions(3);
    const s = await server();
    const f = start();
    await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 1000 }]));
    expect((await nextFetch(() => timers.advance(1000))).outcome).toBe('unchanged');
    expect(s.requests).toHaveLength(2);
    expect(updates).toHaveLength(1);
  });

  it('keeps the last good set while the server fails, retrying with backoff up to refreshMs', async () => {
    expect.assertions(13);
    const s = await server();
    const f = start();
    await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 5000 }]));
    const good = f.current(s.url());
    s.status = 503;
    const delays: number[] = [];
    let event = await nextFetch(() => timers.advance(5000));
    expect(event).toEqual({ url: s.url(), outcome: 'error', reason: 'status' });
    for (let i = 0; i < 4; i++) {
      const delay = timers.delays[0] as number;
      delays.push(delay);
      event = await nextFetch(() => timers.advance(delay));
      expect(event.outcome).toBe('error');
      expect(f.current(s.url())).toBe(good);
    }
    delays.push(timers.delays[0] as number);
    expect(delays).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(f.status()[0]).toMatchObject({ consecutiveFailures: 5, lastError: { reason: 'status' } });
    s.status = 200;
    s.serve({ keys: [publicJwk()] });
    expect((await nextFetch(() => timers.advance(5000))).outcome).toBe('updated');
    expect(timers.delays).toEqual([5000]);
  });

  it('keeps the last good set when the server is down', async () => {
    expect.assertions(5);
    const s = await server();
    const f = start();
    await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]));
    const good = f.current(s.url());
    await s.close();
    servers = [];
    const event = await nextFetch(() => timers.advance(60_000));
    expect(event).toEqual({ url: event.url, outcome: 'error', reason: 'network' });
    expect(f.current(event.url)).toBe(good);
    expect(timers.delays).toEqual([1000]);
    const [line] = log.withMsg('JWKS fetch failed: cannot fetch: ECONNREFUSED');
    expect(line).toMatchObject({ level: 'warn', reason: 'network', failures: 1, retryInMs: 1000, keptKeys: true });
    expect(updates).toHaveLength(1);
  });

  it.each([
    ['invalid JSON', '{"keys": [', 'invalid'],
    ['a JSON array', '[]', 'invalid'],
    ['no keys', '{"kty": "EC"}', 'invalid'],
    ['a key without kty', '{"keys": [{"crv": "P-256"}]}', 'invalid'],
    ['an empty key set', '{"keys": []}', 'invalid'],
  ])('refuses %s, keeping the last good set', async (_name, body, reason) => {
    expect.assertions(5);
    const s = await server();
    const f = start();
    await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]));
    const good = f.current(s.url());
    s.body = body;
    const event = await nextFetch(() => timers.advance(60_000));
    expect(event).toEqual({ url: s.url(), outcome: 'error', reason });
    expect(f.current(s.url())).toBe(good);
    expect(updates).toHaveLength(1);
    expect(timers.delays).toEqual([1000]);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('has no set while the first fetch is refused', async () => {
    expect.assertions(3);
    const s = await server();
    s.body = 'not json';
    const f = start();
    expect(await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]))).toMatchObject({ outcome: 'error', reason: 'invalid' });
    expect(f.current(s.url())).toBeNull();
    expect(f.status()[0]).toMatchObject({ keys: null, fetchedAt: null, consecutiveFailures: 1 });
  });

  it('refuses a body over maxBytes, announced or streamed', async () => {
    expect.assertions(4);
    const s = await server({ keys: [publicJwk(), { kty: 'oct', k: 'x'.repeat(2000) }] });
    const f = start({ maxBytes: 1024 });
    expect(await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]))).toMatchObject({ outcome: 'error', reason: 'too-large' });
    // Chunked, without content-length: cut off while reading.
    s.headers = { 'transfer-encoding': 'chunked' };
    expect(await nextFetch(() => timers.advance(1000))).toMatchObject({ outcome: 'error', reason: 'too-large' });
    expect(f.current(s.url())).toBeNull();
    s.headers = {};
    s.serve({ keys: [publicJwk()] });
    expect(await nextFetch(() => timers.advance(2000))).toMatchObject({ outcome: 'updated' });
  });

  it('gives up on a fetch after timeoutMs', async () => {
    expect.assertions(3);
    const s = await server();
    s.stall = true;
    const f = start({ timeoutMs: 2500 });
    f.setUrls([{ url: s.url(), refreshMs: 60_000 }]);
    await waitFor(() => s.requests.length === 1);
    expect(timers.delays).toEqual([2500]);
    expect(await nextFetch(() => timers.advance(2500))).toMatchObject({ outcome: 'error', reason: 'timeout' });
    expect(timers.delays).toEqual([1000]);
  });

  it('fails on a connection reset while reading the body', async () => {
    expect.assertions(2);
    const s = await server();
    s.truncate = true;
    const f = start();
    expect(await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]))).toMatchObject({ outcome: 'error', reason: 'network' });
    expect(f.current(s.url())).toBeNull();
  });

  it('fails on a 304 when it holds no set', async () => {
    expect.assertions(2);
    const s = await server();
    s.status = 304;
    const f = start();
    expect(await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]))).toMatchObject({ outcome: 'error', reason: 'status' });
    expect(timers.delays).toEqual([1000]);
  });

  it('runs on real timers by default', async () => {
    expect.assertions(1);
    const s = await server();
    const got = new Promise<JwkSet>((resolve) => {
      fetcher = new JwksFetcher({ onUpdate: (_url, jwks) => resolve(jwks) });
    });
    fetcher?.setUrls([{ url: s.url(), refreshMs: 60_000 }]);
    expect((await got).keys).toHaveLength(1);
  });

  it('does not follow redirects or take error statuses', async () => {
    expect.assertions(2);
    const s = await server();
    s.status = 302;
    s.headers = { location: '/elsewhere' };
    const f = start();
    expect(await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]))).toMatchObject({ outcome: 'error', reason: 'status' });
    expect(s.requests).toHaveLength(1);
  });

  it('stops refreshing a removed URL, keeps the others, and starts new ones at once', async () => {
    expect.assertions(10);
    const a = await server();
    const b = await server();
    const c = await server();
    const f = start();
    await fetches(2, () => f.setUrls([{ url: a.url(), refreshMs: 10_000 }, { url: b.url(), refreshMs: 20_000 }]));
    const keptA = f.current(a.url());
    expect(timers.delays).toEqual([10_000, 20_000]);
    await nextFetch(() => f.setUrls([{ url: a.url(), refreshMs: 10_000 }, { url: c.url(), refreshMs: 30_000 }]));
    expect(events.map((e) => e.url)).toEqual([expect.any(String), expect.any(String), c.url()]);
    expect(f.current(b.url())).toBeNull();
    expect(f.current(a.url())).toBe(keptA);
    expect(f.current(c.url())).not.toBeNull();
    expect(timers.delays).toEqual([10_000, 30_000]);
    // Only a's refresh (at 10 s) is due; b's (at 20 s) is gone, c's comes at 30 s.
    expect(await nextFetch(() => timers.advance(25_000))).toMatchObject({ url: a.url() });
    expect(a.requests.length + b.requests.length).toBe(3);
    expect(c.requests).toHaveLength(1);
    expect(f.status().map((st) => st.url)).toEqual([a.url(), c.url()]);
  });

  it('cancels the fetch in flight of a removed URL', async () => {
    expect.assertions(3);
    const s = await server();
    s.stall = true;
    const f = start();
    f.setUrls([{ url: s.url(), refreshMs: 60_000 }]);
    await waitFor(() => s.requests.length === 1);
    const closed = new Promise<void>((resolve) => s.requests[0]?.socket.on('close', () => resolve()));
    f.setUrls([]);
    await closed;
    expect(timers.delays).toEqual([]);
    expect(events).toEqual([]);
    expect(f.status()).toEqual([]);
  });

  it('applies a changed refreshMs at once, and the smaller of a URL named twice', async () => {
    expect.assertions(2);
    const s = await server();
    const f = start();
    await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }, { url: s.url(), refreshMs: 30_000 }]));
    expect(timers.delays).toEqual([30_000]);
    f.setUrls([{ url: s.url(), refreshMs: 5000 }]);
    expect(timers.delays).toEqual([5000]);
  });

  it('keeps a retry in progress when refreshMs changes', async () => {
    expect.assertions(2);
    const s = await server();
    s.status = 500;
    const f = start();
    await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]));
    expect(timers.delays).toEqual([1000]);
    f.setUrls([{ url: s.url(), refreshMs: 30_000 }]);
    expect(timers.delays).toEqual([1000]);
  });

  it.each(['ftp://keys.example/jwks', 'not a URL'])('does not fetch %s, and never retries it', async (url) => {
    expect.assertions(3);
    const f = start();
    const event = await nextFetch(() => f.setUrls([{ url, refreshMs: 60_000 }]));
    expect(event).toEqual({ url, outcome: 'error', reason: 'url' });
    expect(timers.delays).toEqual([]);
    expect(f.current(url)).toBeNull();
  });

  it('logs the URL without credentials or query', async () => {
    expect.assertions(2);
    const s = await server();
    s.status = 500;
    const f = start();
    const url = s.url('/jwks.json?token=secret').replace('http://', 'http://user:pw@');
    await nextFetch(() => f.setUrls([{ url, refreshMs: 60_000 }]));
    const text = JSON.stringify(log.lines);
    expect(text).not.toMatch(/secret|pw@/);
    expect(log.lines[0]).toMatchObject({ url: s.url('/jwks.json') });
  });

  it('survives an onUpdate that throws', async () => {
    expect.assertions(3);
    const s = await server();
    const f = start({
      onUpdate: () => {
        throw new Error('wiring bug');
      },
    });
    expect(await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]))).toMatchObject({ outcome: 'updated' });
    expect(f.current(s.url())).not.toBeNull();
    expect(log.withMsg('JWKS update handler failed')).toHaveLength(1);
  });

  it('stops everything on close', async () => {
    expect.assertions(2);
    const s = await server();
    const f = start();
    await nextFetch(() => f.setUrls([{ url: s.url(), refreshMs: 60_000 }]));
    f.close();
    f.setUrls([{ url: s.url(), refreshMs: 60_000 }]);
    expect(timers.delays).toEqual([]);
    expect(f.current(s.url())).toBeNull();
  });

  it('refuses bad options with a code', () => {
    expect(codeOf(() => new JwksFetcher({ onUpdate: () => undefined, timeoutMs: 0 }))).toBe('WEIR_ERR_INTERNAL');
    expect(codeOf(() => new JwksFetcher({ onUpdate: () => undefined, maxBytes: Number.NaN }))).toBe('WEIR_ERR_INTERNAL');
    const f = start();
    expect(codeOf(() => f.setUrls([{ url: 'http://127.0.0.1:1/', refreshMs: -1 }]))).toBe('WEIR_ERR_INTERNAL');
    expect(f.status()).toEqual([]);
  });
});

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof WeirError ? err.code : 'not a WeirError';
  }
}

/** Polls `condition` on the event loop (for server-side facts no callback reports). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
