import type { TrafficSpec } from '@weir/runtime';
import { StickyChooser, TrafficChooser, TrafficPlan } from '../../src/traffic/index';
import { mulberry32 } from './mulberry32';

const split = [
  { upstream: 'stable', weight: 90 },
  { upstream: 'canary', weight: 10 },
];

function traffic(over: Partial<TrafficSpec> = {}): TrafficSpec {
  return { overrides: [], sticky: null, mirror: null, fault: null, ...over };
}

describe('TrafficChooser', () => {
  it('picks per request by weight without overrides or sticky key', () => {
    const c = new TrafficChooser(traffic(), split, { random: mulberry32(3) });
    let canary = 0;
    for (let i = 0; i < 20_000; i++) if (c.choose([], '10.0.0.1', null) === 1) canary++;
    expect(Math.abs(canary / 20_000 - 0.1)).toBeLessThan(0.011);
    expect(c.upstreams).toEqual(['stable', 'canary']);
  });

  it('takes an override before the sticky key, and the sticky key before a random pick', () => {
    const overridden: string[] = [];
    const c = new TrafficChooser(
      traffic({ overrides: [{ source: 'header', name: 'x-canary', value: null, target: 1 }], sticky: { kind: 'header', name: 'x-user' } }),
      split,
      {
        random: () => {
          throw new Error('no random pick expected');
        },
        route: 'r1',
        metrics: { overridden: (route) => overridden.push(route) },
      },
    );
    const sticky = new StickyChooser(['stable', 'canary'], [90, 10]);
    // Find a user the hash puts on stable, so the override visibly wins.
    let user = 0;
    while (sticky.pick(`u${user}`) !== 0) user++;
    expect(c.choose(['x-user', `u${user}`], '', null)).toBe(0);
    expect(overridden).toEqual([]);
    expect(c.choose(['x-user', `u${user}`, 'X-Canary', '1'], '', null)).toBe(1);
    expect(overridden).toEqual(['r1']);
  });

  it('falls back to the weighted pick when the sticky key is absent', () => {
    const draws: number[] = [];
    const c = new TrafficChooser(traffic({ sticky: { kind: 'cookie', name: 'sid' } }), split, {
      random: () => {
        draws.push(1);
        return 0.95;
      },
    });
    expect(c.choose(['cookie', 'other=1'], '', null)).toBe(new TrafficPlan(split, () => 0.95).pick());
    expect(draws).toHaveLength(1);
  });

  it('agrees with StickyChooser for every key kind (cookie hashed in place)', () => {
    const sticky = new StickyChooser(['stable', 'canary'], [90, 10]);
    const no = (): number => {
      throw new Error('no random pick expected');
    };
    const byCookie = new TrafficChooser(traffic({ sticky: { kind: 'cookie', name: 'sid' } }), split, { random: no });
    const byAddress = new TrafficChooser(traffic({ sticky: { kind: 'clientAddress' } }), split, { random: no });
    const byClaim = new TrafficChooser(traffic({ sticky: { kind: 'claim', name: 'sub' } }), split, { random: no });
    for (let i = 0; i < 500; i++) {
      const k = `k${i}`;
      expect(byCookie.choose(['cookie', `a=1; sid=${k} ; b=2`], '', null)).toBe(sticky.pick(k));
      expect(byAddress.choose([], k, null)).toBe(sticky.pick(k));
      expect(byClaim.choose([], '', { sub: k })).toBe(sticky.pick(k));
    }
  });

  it('falls back for every kind of absent or empty key, and reads header keys', () => {
    let draws = 0;
    const random = (): number => {
      draws++;
      return 0;
    };
    const sticky = new StickyChooser(['stable', 'canary'], [90, 10]);
    const byHeader = new TrafficChooser(traffic({ sticky: { kind: 'header', name: 'x-user' } }), split, { random });
    const byCookie = new TrafficChooser(traffic({ sticky: { kind: 'cookie', name: 'sid' } }), split, { random });
    const byAddress = new TrafficChooser(traffic({ sticky: { kind: 'clientAddress' } }), split, { random });
    const byClaim = new TrafficChooser(traffic({ sticky: { kind: 'claim', name: 'sub' } }), split, { random });
    for (let i = 0; i < 50; i++) expect(byHeader.choose(['X-User', `k${i}`], '', null)).toBe(sticky.pick(`k${i}`));
    expect(draws).toBe(0);
    byHeader.choose([], '', null);
    byHeader.choose(['x-user', ''], '', null);
    byCookie.choose(['cookie', 'sid=; a=1'], '', null);
    byCookie.choose([], '', null);
    byAddress.choose([], '', null);
    byClaim.choose([], '', null);
    byClaim.choose([], '', { sub: [1] });
    expect(draws).toBe(7);
  });

  it('counts nothing when an override hits without metrics', () => {
    const c = new TrafficChooser(traffic({ overrides: [{ source: 'cookie', name: 'beta', value: null, target: 1 }] }), split);
    expect(c.choose(['cookie', 'beta=1'], '', null)).toBe(1);
  });

  it('keeps a single-entry split on its entry', () => {
    const c = new TrafficChooser(traffic({ sticky: { kind: 'clientAddress' } }), [{ upstream: 'only', weight: 1 }]);
    expect(c.choose([], '10.0.0.1', null)).toBe(0);
  });
});
