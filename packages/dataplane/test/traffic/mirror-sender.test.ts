import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { MirrorSender, mirrorHeaders, shadowHost, type MirrorOutcome } from '../../src/traffic/index';

/** Records outcomes and lets a test wait for the n-th one (no sleeps). */
class RecordingMetrics {
  readonly outcomes: Array<[string, MirrorOutcome]> = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  mirrored(route: string, outcome: MirrorOutcome): void {
    this.outcomes.push([route, outcome]);
    this.waiters = this.waiters.filter((w) => {
      if (this.outcomes.length < w.n) return true;
      w.resolve();
      return false;
    });
  }

  count(n: number): Promise<void> {
    if (this.outcomes.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

let servers: http.Server[] = [];
let pools: Pool[] = [];

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function pool(origin: string): Pool {
  const p = new Pool(origin);
  pools.push(p);
  return p;
}

const unhandled: unknown[] = [];
function onUnhandled(err: unknown): void {
  unhandled.push(err);
}

beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});

afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  await Promise.all(pools.map((p) => p.destroy()));
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  pools = [];
});

describe('MirrorSender', () => {
  it('sends a copy with its body, the mirror header and the suffixed Host; counts ok', async () => {
    expect.assertions(6);
    const seen: Seen[] = [];
    const origin = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.end('a body the sender drops');
      });
    });
    const metrics = new RecordingMetrics();
    const sender = new MirrorSender({ route: 'r1', maxInFlight: 10, metrics });
    const headers = mirrorHeaders(['Host', 'api.example.com:8080', 'content-type', 'text/plain', 'x-weir-mirror', '0'], 'x-weir-mirror');
    expect(sender.send(pool(origin), 'POST', '/orders?id=1', headers, Buffer.from('payload'))).toBe(true);
    await metrics.count(1);
    expect(metrics.outcomes).toEqual([['r1', 'ok']]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/orders?id=1', body: 'payload' });
    expect(seen[0]?.headers).toMatchObject({ host: 'api.example.com-shadow:8080', 'x-weir-mirror': '1', 'content-type': 'text/plain' });
    expect(sender.inFlight).toBe(0);
  });

  it('counts a 5xx answer and a refused connection as error', async () => {
    expect.assertions(2);
    const origin = await listen((req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const metrics = new RecordingMetrics();
    const sender = new MirrorSender({ route: 'r', maxInFlight: 10, metrics });
    sender.send(pool(origin), 'GET', '/', ['host', 'h'], null);
    await metrics.count(1);
    // A port nobody listens on: close a server and reuse its address.
    const closed = await listen(() => undefined);
    const s = servers.pop() as http.Server;
    await new Promise((resolve) => s.close(resolve));
    sender.send(pool(closed), 'GET', '/', ['host', 'h'], null);
    await metrics.count(2);
    expect(metrics.outcomes.map((o) => o[1])).toEqual(['error', 'error']);
    expect(sender.inFlight).toBe(0);
  });

  it('never exceeds maxInFlight against a black hole: excess dropped, timeouts free the slots', async () => {
    expect.assertions(7);
    let arrived = 0;
    const origin = await listen(() => {
      arrived++; // never answers
    });
    const metrics = new RecordingMetrics();
    const sender = new MirrorSender({ route: 'r', maxInFlight: 2, metrics, headersTimeout: 150, bodyTimeout: 150 });
    const p = pool(origin);
    const sent = [0, 1, 2, 3, 4].map(() => sender.send(p, 'GET', '/', ['host', 'h'], null));
    expect(sent).toEqual([true, true, false, false, false]);
    expect(sender.inFlight).toBe(2);
    expect(metrics.outcomes.map((o) => o[1])).toEqual(['dropped', 'dropped', 'dropped']);
    await metrics.count(5);
    expect(metrics.outcomes.slice(3).map((o) => o[1])).toEqual(['error', 'error']);
    expect(sender.inFlight).toBe(0);
    expect(arrived).toBeLessThanOrEqual(2);
    // The slots are free again.
    expect(sender.send(p, 'GET', '/', ['host', 'h'], null)).toBe(true);
    await metrics.count(6);
  });

  it('does not throw for a closed pool, and reports no unhandled error', async () => {
    expect.assertions(3);
    const origin = await listen((req, res) => res.end());
    const p = pool(origin);
    await p.close();
    const metrics = new RecordingMetrics();
    const sender = new MirrorSender({ route: 'r', maxInFlight: 1, metrics });
    expect(() => sender.send(p, 'GET', '/', ['host', 'h'], null)).not.toThrow();
    await metrics.count(1);
    expect(metrics.outcomes).toEqual([['r', 'error']]);
    expect(unhandled).toEqual([]);
  });

  it('counts a dispatcher that throws, and closes the socket of a mirror that upgrades', () => {
    const metrics = new RecordingMetrics();
    const sender = new MirrorSender({ route: 'r', maxInFlight: 5, metrics });
    const throwing = {
      dispatch(): boolean {
        throw new Error('destroyed');
      },
    } as unknown as Dispatcher;
    expect(sender.send(throwing, 'GET', '/', [], null)).toBe(true);
    let destroyed = false;
    const upgrading = {
      dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        const socket = { destroy: () => (destroyed = true) } as unknown as Duplex;
        handler.onRequestUpgrade?.(undefined as unknown as Dispatcher.DispatchController, 101, {}, socket);
        // A late error after the outcome is not counted twice.
        handler.onResponseError?.(undefined as unknown as Dispatcher.DispatchController, new Error('late'));
        return true;
      },
    } as unknown as Dispatcher;
    sender.send(upgrading, 'GET', '/', [], null);
    expect(destroyed).toBe(true);
    expect(metrics.outcomes).toEqual([
      ['r', 'error'],
      ['r', 'error'],
    ]);
    expect(sender.inFlight).toBe(0);
  });

  it('samples its percent and counts skipped copies', () => {
    const metrics = new RecordingMetrics();
    const none = new MirrorSender({ route: 'r', maxInFlight: 1, metrics, percent: 0, random: () => 0 });
    const all = new MirrorSender({
      route: 'r',
      maxInFlight: 1,
      metrics,
      random: () => {
        throw new Error('no draw at 100%');
      },
    });
    const quarter = new MirrorSender({ route: 'r', maxInFlight: 1, metrics, percent: 25, random: (): number => draws.shift() as number });
    const draws = [0.2, 0.3];
    expect([none.sample(), all.sample(), quarter.sample(), quarter.sample()]).toEqual([false, true, true, false]);
    quarter.skipped();
    expect(metrics.outcomes).toEqual([['r', 'skipped']]);
  });
});

describe('mirrorHeaders', () => {
  it('copies the list, sets the mirror header once and suffixes Host before its port', () => {
    const original = ['Host', 'example.com', 'X-Weir-Mirror', 'client', 'x-weir-mirror', 'again', 'accept', '*/*'];
    const copy = mirrorHeaders(original, 'x-weir-mirror');
    expect(copy).toEqual(['Host', 'example.com-shadow', 'X-Weir-Mirror', '1', 'accept', '*/*']);
    expect(original[1]).toBe('example.com');
    expect(mirrorHeaders(['accept', '*/*'], 'x-shadow')).toEqual(['accept', '*/*', 'x-shadow', '1']);
  });

  it('suffixes host names, IPv4 and IPv6 literals with or without a port', () => {
    expect(shadowHost('example.com')).toBe('example.com-shadow');
    expect(shadowHost('example.com:8080')).toBe('example.com-shadow:8080');
    expect(shadowHost('10.0.0.1:80')).toBe('10.0.0.1-shadow:80');
    expect(shadowHost('[::1]:8443')).toBe('[::1]-shadow:8443');
    expect(shadowHost('[::1]')).toBe('[::1]-shadow');
    expect(shadowHost('::1')).toBe('::1-shadow');
  });
});
