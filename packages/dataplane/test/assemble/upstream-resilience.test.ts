import type { Pool } from 'undici';
import { buildUpstreamResilience, outlierTickMs, tickOutliers } from '../../src/assemble/index';
import { LIMIT_CONNECTIONS, LIMIT_OK } from '../../src/breaker/index';
import { FakeMetrics } from '../helpers/fake-metrics';
import { FakeClock } from '../helpers/faults';
import { DEFAULT_BREAKER, upstream } from '../helpers/spec';

const OUTLIER = {
  consecutive5xx: 5,
  consecutiveGatewayFailure: 5,
  consecutiveLocalOriginFailure: 5,
  intervalMs: 10_000,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  maxEjectionPercent: 10,
  successRate: null,
};
const RATIO = { threshold: 0.5, minimumRequests: 20, windowMs: 10_000, openMs: 5_000, halfOpenProbes: 3 };

/** A pool whose `stats` report the given sockets. */
function fakePool(connected: number, free: number): Pool {
  return { stats: { connected, free } } as unknown as Pool;
}

describe('buildUpstreamResilience', () => {
  const clock = new FakeClock();
  const states = () => [{ ejectedUntil: 0 }, { ejectedUntil: 0 }];

  it('carries the breaker, counts and detector over while their identity holds', () => {
    const u = upstream('api', [1, 2], { outlier: OUTLIER, breaker: { ...DEFAULT_BREAKER, failureRatio: RATIO } });
    const s = states();
    const first = buildUpstreamResilience(u, [], s, undefined, { clock, metrics: null });
    first.limits.tryAcquireRequest();
    const second = buildUpstreamResilience({ ...u, breaker: { ...u.breaker, maxRequests: 1 } }, [], s, first, { clock, metrics: null });
    expect(second.breaker).toBe(first.breaker);
    expect(second.outlier).toBe(first.outlier);
    expect(second.limits).not.toBe(first.limits);
    expect(second.limits.counts).toBe(first.limits.counts);
    expect(second.limits.tryAcquireRequest()).not.toBe(LIMIT_OK);
  });

  it('builds afresh when the settings or the endpoint states change', () => {
    const u = upstream('api', [1, 2], { outlier: OUTLIER, breaker: { ...DEFAULT_BREAKER, failureRatio: RATIO } });
    const s = states();
    const first = buildUpstreamResilience(u, [], s, undefined, { clock, metrics: null });
    const changed = buildUpstreamResilience(
      { ...u, outlier: { ...OUTLIER, consecutive5xx: 3 }, breaker: { ...u.breaker, failureRatio: { ...RATIO, openMs: 1 } } },
      [],
      s,
      first,
      { clock, metrics: null },
    );
    expect(changed.breaker).not.toBe(first.breaker);
    expect(changed.outlier).not.toBe(first.outlier);
    const newStates = buildUpstreamResilience(u, [], states(), first, { clock, metrics: null });
    expect(newStates.outlier).not.toBe(first.outlier);
    const fewer = buildUpstreamResilience(u, [], [s[0]!], first, { clock, metrics: null });
    expect(fewer.outlier).not.toBe(first.outlier);
  });

  it('reports a new breaker as closed and a removed one as gone', () => {
    const metrics = new FakeMetrics();
    const m = metrics.upstreamResilience('api') as never;
    const withRatio = upstream('api', [1], { breaker: { ...DEFAULT_BREAKER, failureRatio: RATIO } });
    const first = buildUpstreamResilience(withRatio, [], states(), undefined, { clock, metrics: m });
    const without = buildUpstreamResilience(upstream('api', [1]), [], states(), first, { clock, metrics: m });
    buildUpstreamResilience(upstream('api', [1]), [], states(), without, { clock, metrics: m });
    expect(without.breaker).toBeNull();
    expect(without.outlier).toBeNull();
    expect(metrics.eventsOf('api')).toEqual(['breaker:0', 'breaker:-1']);
  });

  it('enforces maxConnections from the pools: refused only with every connection busy at the limit', () => {
    const u = upstream('api', [1, 2], { breaker: { ...DEFAULT_BREAKER, maxConnections: 2 } });
    const busy = buildUpstreamResilience(u, [fakePool(1, 0), fakePool(1, 0)], states(), undefined, { clock, metrics: null });
    expect([busy.limits.tryAcquireRequest(), busy.limits.tryAcquireRequest(), busy.limits.tryAcquireRequest()]).toEqual([LIMIT_OK, LIMIT_OK, LIMIT_CONNECTIONS]);
    const idle = buildUpstreamResilience(u, [fakePool(2, 1), fakePool(1, 0)], states(), undefined, { clock, metrics: null });
    expect([idle.limits.tryAcquireRequest(), idle.limits.tryAcquireRequest(), idle.limits.tryAcquireRequest()]).toEqual([LIMIT_OK, LIMIT_OK, LIMIT_OK]);
  });
});

describe('outlier ticking', () => {
  it('ticks at the shortest interval, within [10 ms, 1 s], and not at all without detectors', () => {
    const clock = new FakeClock();
    const make = (intervalMs: number | null) =>
      buildUpstreamResilience(upstream('api', [1], intervalMs === null ? {} : { outlier: { ...OUTLIER, intervalMs } }), [], [{ ejectedUntil: 0 }], undefined, {
        clock,
        metrics: null,
      });
    expect(outlierTickMs([make(null)])).toBe(0);
    expect(outlierTickMs([make(10_000), make(null)])).toBe(1_000);
    expect(outlierTickMs([make(10_000), make(300)])).toBe(300);
    expect(outlierTickMs([make(1)])).toBe(10);
  });

  it('runs every due analysis', () => {
    const clock = new FakeClock();
    const target = { ejectedUntil: clock.t + 5 };
    const u = buildUpstreamResilience(upstream('api', [1], { outlier: { ...OUTLIER, intervalMs: 10 } }), [], [target], undefined, { clock, metrics: null });
    expect(u.outlier!.isEjected(0)).toBe(true);
    tickOutliers([u, buildUpstreamResilience(upstream('web', [1]), [], [{ ejectedUntil: 0 }], undefined, { clock, metrics: null })], clock.t + 10);
    expect(u.outlier!.isEjected(0)).toBe(false);
  });
});
