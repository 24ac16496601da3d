import type { UpstreamSpec } from '@weir/runtime';
import { send, startPlane, type TestPlane, type TestResponse } from '../helpers/plane';
import { FakeMetrics } from '../helpers/fake-metrics';
import { FakeClock, FaultyUpstream, retryOn, withRetry } from '../helpers/faults';
import { DEFAULT_BREAKER, forwardRoute, makeSpec, upstream } from '../helpers/spec';

/** Breaker settings with three probes per half-open window. */
function ratio(halfOpenProbes: number): UpstreamSpec['breaker'] {
  return { ...DEFAULT_BREAKER, failureRatio: { threshold: 0.5, minimumRequests: 4, windowMs: 10_000, openMs: 5_000, halfOpenProbes } };
}

/** The route's default-like retry policy: one retry on connect failures and resets, no real wait. */
const RETRY = { retryOn: retryOn('connectFailure', 'reset'), backoff: { baseMs: 1, maxMs: 2 } };

const code = (r: TestResponse): string => String(r.headers['x-weir-error']);

/**
 * The breaker's promise counted at the upstream's TCP accept (issue 4: "a dead upstream costs no
 * round trips while open"): while open not one connection attempt; while half-open exactly one
 * attempt per admitted probe, retries included (a retry is an attempt and needs its own
 * admission), whatever the concurrency.
 */
describe('proxy circuit breaker: connection attempts while open and half-open', () => {
  let plane: TestPlane | null = null;
  const ups: FaultyUpstream[] = [];

  afterEach(async () => {
    if (plane !== null) await plane.close();
    plane = null;
    await Promise.all(ups.splice(0).map((u) => u.close()));
  });

  async function resetting(): Promise<[FaultyUpstream, FaultyUpstream]> {
    const a = await FaultyUpstream.start((_req, res) => res.end('a'));
    const b = await FaultyUpstream.start((_req, res) => res.end('b'));
    ups.push(a, b);
    a.mode = 'reset';
    b.mode = 'reset';
    return [a, b];
  }

  it('costs no connection while open and one per admitted probe while half-open, under concurrent load with retries on', async () => {
    expect.assertions(30);
    const [a, b] = await resetting();
    const clock = new FakeClock();
    const metrics = new FakeMetrics();
    const spec = makeSpec({
      upstreams: [upstream('api', [a.port, b.port], { breaker: ratio(3) })],
      routes: [withRetry(forwardRoute('r', 'api'), RETRY)],
    });
    plane = await startPlane(spec, { clock, metrics: metrics.asMetrics() });
    const port = plane.port;
    const connects = (): number => a.connections + b.connections;
    // Closed: two requests, each retried once on the other endpoint, make the 4 failed attempts
    // that open the breaker.
    for (let i = 0; i < 2; i++) expect(code(await send(port))).toBe('WEIR_ERR_UPSTREAM_CONNECT');
    expect(connects()).toBe(4);
    const opened = metrics.eventsOf('api').length;

    for (let w = 0; w < 5; w++) {
      // Open: a burst of requests, not one connection attempt.
      const before = connects();
      const open = await Promise.all(Array.from({ length: 16 }, () => send(port)));
      expect(open.filter((r) => code(r) !== 'WEIR_ERR_BREAKER_OPEN')).toHaveLength(0);
      expect(connects()).toBe(before);
      // Half-open: a concurrent burst; only admitted probes connect, once each, none retried.
      clock.t += 5_000;
      const half = await Promise.all(Array.from({ length: 16 }, () => send(port)));
      const probes = half.filter((r) => code(r) !== 'WEIR_ERR_BREAKER_OPEN').length;
      expect(connects() - before).toBe(probes);
      expect(probes).toBeGreaterThanOrEqual(1);
      expect(probes).toBeLessThanOrEqual(3);
    }
    // The first failed probe reopened the breaker, so no probe was retried: every retry the
    // policy wanted was denied by the breaker.
    const events = metrics.eventsOf('api').slice(opened);
    expect(events.filter((e) => e.startsWith('retry:'))).toEqual([]);
    expect(events.filter((e) => e.startsWith('breaker:'))).toEqual(Array(5).fill(['breaker:1', 'breaker:2']).flat());
  });

  it('admits a retry of a probe only as another probe, and drops the retried response without a reconnect', async () => {
    expect.assertions(5);
    // Both endpoints answer 429 with a small announced body, a retriable status: a success for
    // the breaker, retried by the route.
    const a = await FaultyUpstream.start((_req, res) => res.writeHead(429, { 'content-length': '1' }).end('a'));
    const b = await FaultyUpstream.start((_req, res) => res.writeHead(429, { 'content-length': '1' }).end('b'));
    ups.push(a, b);
    a.mode = 'reset';
    b.mode = 'reset';
    const clock = new FakeClock();
    const metrics = new FakeMetrics();
    const retry = { ...RETRY, retryOn: retryOn('connectFailure', 'reset', 'retriableStatus'), retriableStatuses: [429] };
    const spec = makeSpec({
      upstreams: [
        upstream('two', [a.port, b.port], { breaker: ratio(2) }),
        upstream('one', [a.port, b.port], { breaker: ratio(1) }),
      ],
      routes: [
        withRetry(forwardRoute('two', 'two', { match: { hosts: [], path: { kind: 'prefix', value: '/two' }, methods: [], headers: [] } }), retry),
        withRetry(forwardRoute('one', 'one', { match: { hosts: [], path: { kind: 'prefix', value: '/one' }, methods: [], headers: [] } }), retry),
      ],
    });
    plane = await startPlane(spec, { clock, metrics: metrics.asMetrics() });
    const port = plane.port;
    const connects = (): number => a.connections + b.connections;
    for (let i = 0; i < 2; i++) await send(port, { path: '/two' });
    for (let i = 0; i < 2; i++) await send(port, { path: '/one' });
    a.mode = 'http';
    b.mode = 'http';
    clock.t += 5_000;

    // Two probes: the first answers 429 and its retry takes the second probe, which closes the breaker.
    let before = connects();
    const two = await send(port, { path: '/two' });
    expect(`${two.status} ${connects() - before}`).toBe('429 2');
    expect(metrics.eventsOf('two').slice(-3)).toEqual(['breaker:1', 'retry:retriable-status', 'breaker:0']);

    // One probe: its 429 passes it and closes the breaker at once, so the retry is an ordinary attempt.
    before = connects();
    const one = await send(port, { path: '/one' });
    expect(`${one.status} ${connects() - before}`).toBe('429 2');
    expect(metrics.eventsOf('one').slice(-3)).toEqual(['breaker:1', 'breaker:0', 'retry:retriable-status']);
    // Every connection of the two windows carried a request: the dropped 429s cost no reconnect.
    expect(a.count() + b.count()).toBe(4);
  });
});
