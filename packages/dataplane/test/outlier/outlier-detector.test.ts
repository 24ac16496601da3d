import {
  OutlierDetector,
  outcomeOfStatus,
  outlierKey,
  OUTCOME_GATEWAY_ERROR,
  OUTCOME_LOCAL_FAILURE,
  OUTCOME_SERVER_ERROR,
  OUTCOME_SUCCESS,
  type EjectionReason,
  type EjectionTarget,
  type OutlierDetectorOptions,
} from '../../src/outlier/index';

class FakeClock {
  t = 1_000;
  now(): number {
    return this.t;
  }
}

const OPTIONS: OutlierDetectorOptions = {
  consecutive5xx: 5,
  consecutiveGatewayFailure: 5,
  consecutiveLocalOriginFailure: 5,
  intervalMs: 10_000,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  maxEjectionPercent: 10,
  successRate: null,
};

function targets(n: number): EjectionTarget[] {
  return Array.from({ length: n }, () => ({ ejectedUntil: 0 }));
}

function setup(n: number, overrides: Partial<OutlierDetectorOptions> = {}) {
  const clock = new FakeClock();
  const states = targets(n);
  const ejections: [number, EjectionReason][] = [];
  const detector = new OutlierDetector({ ...OPTIONS, ...overrides }, states, clock, {
    onEject: (endpoint, reason) => ejections.push([endpoint, reason]),
  });
  return { clock, states, ejections, detector };
}

function repeat(detector: OutlierDetector, endpoint: number, outcome: 0 | 1 | 2 | 3, times: number): void {
  for (let i = 0; i < times; i++) detector.record(endpoint, outcome);
}

describe('outcomeOfStatus', () => {
  it('classifies statuses', () => {
    expect([200, 404, 499, 500, 501, 502, 503, 504, 505, 599].map(outcomeOfStatus)).toEqual([
      OUTCOME_SUCCESS,
      OUTCOME_SUCCESS,
      OUTCOME_SUCCESS,
      OUTCOME_SERVER_ERROR,
      OUTCOME_SERVER_ERROR,
      OUTCOME_GATEWAY_ERROR,
      OUTCOME_GATEWAY_ERROR,
      OUTCOME_GATEWAY_ERROR,
      OUTCOME_SERVER_ERROR,
      OUTCOME_SERVER_ERROR,
    ]);
  });
});

describe('OutlierDetector: consecutive detectors', () => {
  it('ejects on the 5th consecutive 5xx, for baseEjectionMs', () => {
    const { detector, states, ejections, clock } = setup(3);
    repeat(detector, 0, OUTCOME_SERVER_ERROR, 4);
    expect(detector.isEjected(0)).toBe(false);
    detector.record(0, OUTCOME_SERVER_ERROR);
    expect(detector.isEjected(0)).toBe(true);
    expect(states[0]!.ejectedUntil).toBe(clock.t + 30_000);
    expect(ejections).toEqual([[0, 'consecutive-5xx']]);
    expect(detector.ejectedEndpoints).toBe(1);
    expect(detector.ejections(0)).toBe(1);
  });

  it('resets the 5xx run on a success', () => {
    const { detector } = setup(3);
    repeat(detector, 1, OUTCOME_SERVER_ERROR, 4);
    detector.record(1, OUTCOME_SUCCESS);
    repeat(detector, 1, OUTCOME_SERVER_ERROR, 4);
    expect(detector.isEjected(1)).toBe(false);
  });

  it('ejects on consecutive gateway failures with its own reason', () => {
    const { detector, ejections } = setup(3, { consecutive5xx: 0 });
    repeat(detector, 2, OUTCOME_GATEWAY_ERROR, 5);
    expect(ejections).toEqual([[2, 'consecutive-gateway-failure']]);
  });

  it('counts gateway failures toward consecutive 5xx too', () => {
    const { detector, ejections } = setup(3, { consecutiveGatewayFailure: 0, consecutive5xx: 3 });
    repeat(detector, 0, OUTCOME_GATEWAY_ERROR, 2);
    detector.record(0, OUTCOME_SERVER_ERROR);
    expect(ejections).toEqual([[0, 'consecutive-5xx']]);
  });

  it('breaks a gateway run with a non-gateway 5xx', () => {
    const { detector } = setup(3, { consecutive5xx: 0, consecutiveGatewayFailure: 3 });
    repeat(detector, 0, OUTCOME_GATEWAY_ERROR, 2);
    detector.record(0, OUTCOME_SERVER_ERROR);
    repeat(detector, 0, OUTCOME_GATEWAY_ERROR, 2);
    expect(detector.isEjected(0)).toBe(false);
  });

  it('counts local-origin failures separately from 5xx responses', () => {
    const { detector, ejections } = setup(3, { consecutive5xx: 2, consecutiveLocalOriginFailure: 3 });
    detector.record(0, OUTCOME_SERVER_ERROR);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 2);
    expect(detector.isEjected(0)).toBe(false);
    detector.record(0, OUTCOME_LOCAL_FAILURE);
    expect(ejections).toEqual([[0, 'consecutive-local-origin-failure']]);
  });

  it('resets the local-origin run on any response, even a 5xx', () => {
    const { detector } = setup(3, { consecutive5xx: 0, consecutiveGatewayFailure: 0, consecutiveLocalOriginFailure: 3 });
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 2);
    detector.record(0, OUTCOME_GATEWAY_ERROR);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 2);
    detector.record(0, OUTCOME_SERVER_ERROR);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 2);
    expect(detector.isEjected(0)).toBe(false);
  });

  it('never ejects with every detector disabled', () => {
    const { detector } = setup(2, { consecutive5xx: 0, consecutiveGatewayFailure: 0, consecutiveLocalOriginFailure: 0 });
    repeat(detector, 0, OUTCOME_SERVER_ERROR, 50);
    repeat(detector, 0, OUTCOME_GATEWAY_ERROR, 50);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 50);
    expect(detector.ejectedEndpoints).toBe(0);
  });

  it('ignores outcomes of an ejected endpoint', () => {
    const { detector, ejections } = setup(3);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 5);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 20);
    expect(ejections).toHaveLength(1);
  });

  it('works without an observer', () => {
    const clock = new FakeClock();
    const states = targets(1);
    const detector = new OutlierDetector(OPTIONS, states, clock);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 5);
    expect(detector.isEjected(0)).toBe(true);
  });
});

describe('OutlierDetector: ejection limit', () => {
  it('always allows one ejection, even when 10% of the endpoints rounds to zero', () => {
    const { detector } = setup(3);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 5);
    repeat(detector, 1, OUTCOME_LOCAL_FAILURE, 5);
    expect([detector.isEjected(0), detector.isEjected(1)]).toEqual([true, false]);
    expect(detector.ejectedEndpoints).toBe(1);
  });

  it('allows floor(n * percent / 100) ejections', () => {
    const { detector } = setup(10, { maxEjectionPercent: 30 });
    for (let e = 0; e < 5; e++) repeat(detector, e, OUTCOME_LOCAL_FAILURE, 5);
    expect(detector.ejectedEndpoints).toBe(3);
  });

  it('resets the counters of a refused endpoint, so it needs a full new run', () => {
    const { detector, clock } = setup(2, { maxEjectionPercent: 50, baseEjectionMs: 1_000, intervalMs: 1_000 });
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 5);
    repeat(detector, 1, OUTCOME_LOCAL_FAILURE, 5);
    expect(detector.isEjected(1)).toBe(false);
    clock.t += 1_000;
    detector.tick(clock.t);
    expect(detector.isEjected(0)).toBe(false);
    detector.record(1, OUTCOME_LOCAL_FAILURE);
    expect(detector.isEjected(1)).toBe(false);
    repeat(detector, 1, OUTCOME_LOCAL_FAILURE, 4);
    expect(detector.isEjected(1)).toBe(true);
  });

  it('counts endpoints already ejected in the shared state (kept across a reload)', () => {
    const clock = new FakeClock();
    const states = targets(3);
    states[0]!.ejectedUntil = clock.t + 5_000;
    const detector = new OutlierDetector(OPTIONS, states, clock);
    expect(detector.isEjected(0)).toBe(true);
    repeat(detector, 1, OUTCOME_LOCAL_FAILURE, 5);
    expect(detector.isEjected(1)).toBe(false);
  });
});

describe('OutlierDetector: interval, return and multiplier', () => {
  it('brings an endpoint back once its time is over, at the next analysis', () => {
    const { detector, states, clock } = setup(3, { intervalMs: 10_000 });
    repeat(detector, 0, OUTCOME_SERVER_ERROR, 5);
    clock.t += 10_000;
    expect(detector.tick(clock.t)).toBe(true);
    expect(detector.isEjected(0)).toBe(true);
    clock.t += 20_000;
    expect(detector.tick(clock.t)).toBe(true);
    expect(detector.isEjected(0)).toBe(false);
    expect(states[0]!.ejectedUntil).toBe(0);
    expect(detector.ejectedEndpoints).toBe(0);
  });

  it('runs the analysis at most once per interval', () => {
    const { detector, clock } = setup(2, { intervalMs: 10_000 });
    expect(detector.tick(clock.t + 9_999)).toBe(false);
    expect(detector.tick(clock.t + 10_000)).toBe(true);
    expect(detector.tick(clock.t + 15_000)).toBe(false);
  });

  it('multiplies the ejection time by the ejection count, capped at maxEjectionMs', () => {
    const { detector, states, clock } = setup(1, { intervalMs: 1_000, baseEjectionMs: 30_000, maxEjectionMs: 70_000 });
    const durations: number[] = [];
    for (let round = 0; round < 4; round++) {
      repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 5);
      durations.push(states[0]!.ejectedUntil - clock.t);
      clock.t = states[0]!.ejectedUntil;
      detector.tick(clock.t);
      expect(detector.isEjected(0)).toBe(false);
    }
    expect(durations).toEqual([30_000, 60_000, 70_000, 70_000]);
    expect(detector.ejections(0)).toBe(3);
  });

  it('forgives one past ejection per interval once back for a base ejection time', () => {
    const { detector, states, clock } = setup(1, { intervalMs: 10_000, baseEjectionMs: 30_000 });
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 5);
    clock.t = states[0]!.ejectedUntil;
    detector.tick(clock.t);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 5);
    expect(detector.ejections(0)).toBe(2);
    clock.t = states[0]!.ejectedUntil;
    detector.tick(clock.t);
    const back = clock.t;
    clock.t = back + 20_000;
    detector.tick(clock.t);
    expect(detector.ejections(0)).toBe(2);
    clock.t = back + 30_000;
    detector.tick(clock.t);
    expect(detector.ejections(0)).toBe(1);
    clock.t = back + 40_000;
    detector.tick(clock.t);
    expect(detector.ejections(0)).toBe(0);
    clock.t = back + 50_000;
    detector.tick(clock.t);
    expect(detector.ejections(0)).toBe(0);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 5);
    expect(states[0]!.ejectedUntil - clock.t).toBe(30_000);
  });

  it('notices an ejection cleared by someone else (an active health check)', () => {
    const { detector, states, clock } = setup(2);
    repeat(detector, 0, OUTCOME_LOCAL_FAILURE, 5);
    states[0]!.ejectedUntil = 0;
    clock.t += 10_000;
    detector.tick(clock.t);
    expect(detector.isEjected(0)).toBe(false);
    repeat(detector, 1, OUTCOME_LOCAL_FAILURE, 5);
    expect(detector.isEjected(1)).toBe(true);
  });
});

describe('OutlierDetector: success rate', () => {
  const sr = { minimumHosts: 3, requestVolume: 10, stdevFactor: 1 };

  function feed(detector: OutlierDetector, endpoint: number, successes: number, failures: number): void {
    repeat(detector, endpoint, OUTCOME_SUCCESS, successes);
    // Interleave the failures with successes so no consecutive detector fires.
    for (let i = 0; i < failures; i++) {
      detector.record(endpoint, OUTCOME_SERVER_ERROR);
      detector.record(endpoint, OUTCOME_SUCCESS);
    }
  }

  it('ejects an endpoint below mean - stdevFactor * stdev', () => {
    const { detector, ejections, clock } = setup(4, { successRate: sr, maxEjectionPercent: 50 });
    feed(detector, 0, 100, 0);
    feed(detector, 1, 100, 0);
    feed(detector, 2, 100, 0);
    feed(detector, 3, 0, 40);
    clock.t += 10_000;
    detector.tick(clock.t);
    expect(ejections).toEqual([[3, 'success-rate']]);
  });

  it('needs minimumHosts endpoints with requestVolume requests', () => {
    const { detector, clock } = setup(4, { successRate: sr, maxEjectionPercent: 50 });
    feed(detector, 0, 100, 0);
    feed(detector, 1, 9, 0);
    feed(detector, 2, 5, 0);
    feed(detector, 3, 0, 40);
    clock.t += 10_000;
    detector.tick(clock.t);
    expect(detector.ejectedEndpoints).toBe(0);
  });

  it('ejects nobody when every endpoint does equally well', () => {
    const { detector, clock } = setup(3, { successRate: sr });
    for (let e = 0; e < 3; e++) feed(detector, e, 50, 10);
    clock.t += 10_000;
    detector.tick(clock.t);
    expect(detector.ejectedEndpoints).toBe(0);
  });

  it('starts every interval from zero', () => {
    const { detector, clock } = setup(4, { successRate: sr, maxEjectionPercent: 50 });
    feed(detector, 0, 100, 0);
    feed(detector, 1, 100, 0);
    feed(detector, 2, 100, 0);
    clock.t += 10_000;
    detector.tick(clock.t);
    feed(detector, 3, 0, 40);
    clock.t += 10_000;
    detector.tick(clock.t);
    expect(detector.ejectedEndpoints).toBe(0);
  });

  it('runs with a request volume of zero over hosts that saw traffic', () => {
    const { detector, clock } = setup(3, { successRate: { minimumHosts: 1, requestVolume: 0, stdevFactor: 0.5 } });
    feed(detector, 0, 10, 0);
    feed(detector, 1, 0, 10);
    clock.t += 10_000;
    detector.tick(clock.t);
    expect(detector.isEjected(1)).toBe(true);
  });
});

describe('outlierKey', () => {
  it('changes with every shaping input and nothing else', () => {
    const base = outlierKey('api', ['127.0.0.1:1', '127.0.0.1:2'], OPTIONS);
    expect(outlierKey('api', ['127.0.0.1:1', '127.0.0.1:2'], { ...OPTIONS })).toBe(base);
    const variants = [
      outlierKey('web', ['127.0.0.1:1', '127.0.0.1:2'], OPTIONS),
      outlierKey('api', ['127.0.0.1:2', '127.0.0.1:1'], OPTIONS),
      outlierKey('api', ['127.0.0.1:1', '127.0.0.1:2'], { ...OPTIONS, consecutive5xx: 6 }),
      outlierKey('api', ['127.0.0.1:1', '127.0.0.1:2'], { ...OPTIONS, maxEjectionPercent: 20 }),
      outlierKey('api', ['127.0.0.1:1', '127.0.0.1:2'], { ...OPTIONS, successRate: { minimumHosts: 5, requestVolume: 100, stdevFactor: 1.9 } }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });
});
