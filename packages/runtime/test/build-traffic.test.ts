import type { RouteConfig, TrafficConfig, WeirConfig } from '@weir/config';
import { buildSpec, configDefaults } from '@weir/runtime';
import type { ForwardActionSpec, RouteSpec, TrafficSpec } from '@weir/runtime';
import { minimalConfig } from './fixtures';

/** The traffic-plan part of buildSpec (issue 19): null when empty, defaults, indexes, names. */

/** minimalConfig with upstreams blue, green and shadow, and one route "api" forwarding to them. */
function config(route: Partial<RouteConfig>): WeirConfig {
  const base = minimalConfig();
  const endpoints = [{ address: '127.0.0.1:9000' }];
  return {
    ...base,
    upstreams: [
      { name: 'blue', endpoints },
      { name: 'green', endpoints },
      { name: 'shadow', endpoints },
    ],
    routes: [{ name: 'api', split: [{ upstream: 'blue', weight: 90 }, { upstream: 'green' }], ...route } as RouteConfig],
  };
}

function routeOf(route: Partial<RouteConfig>): RouteSpec {
  return buildSpec(config(route)).routes[0] as RouteSpec;
}

function trafficOf(traffic: TrafficConfig | undefined, route: Partial<RouteConfig> = {}): TrafficSpec | null {
  return (routeOf({ ...route, traffic }).action as ForwardActionSpec).traffic;
}

function everyObjectHasSortedKeys(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(everyObjectHasSortedKeys);
  const keys = Object.keys(value);
  const sorted = [...keys].sort();
  return keys.every((k, i) => k === sorted[i]) && Object.values(value).every(everyObjectHasSortedKeys);
}

describe('buildSpec traffic plans', () => {
  it('is null without traffic, and for a plan empty of all four parts', () => {
    expect(trafficOf(undefined)).toBeNull();
    expect(trafficOf({})).toBeNull();
    expect(trafficOf({ overrides: [] })).toBeNull();
    expect((buildSpec(minimalConfig()).routes[0]?.action as ForwardActionSpec).traffic).toBeNull();
  });

  it('fills the mirror defaults, lower-casing the header', () => {
    expect(trafficOf({ mirror: { upstream: 'shadow' } })).toEqual({
      overrides: [],
      sticky: null,
      mirror: { upstream: 'shadow', percent: 100, header: 'x-weir-mirror', maxBodyBytes: 65_536, maxInFlight: 100 },
      fault: null,
    });
    expect(trafficOf({ mirror: { upstream: 'green', percent: 0.5, header: 'X-Shadow', maxBodyBytes: 0, maxInFlight: 7 } })?.mirror).toEqual({
      upstream: 'green',
      percent: 0.5,
      header: 'x-shadow',
      maxBodyBytes: 0,
      maxInFlight: 7,
    });
  });

  it('takes the mirror and fault defaults from configDefaults', () => {
    const built = trafficOf({ mirror: { upstream: 'shadow' }, fault: { delay: { percent: 1, ms: 1 } } });
    expect(built?.mirror).toMatchObject(configDefaults.mirror);
    expect(built?.fault).toMatchObject(configDefaults.fault);
  });

  it('fills fault defaults: 0 for an absent delay or abort, no header control, 100 active delays', () => {
    expect(trafficOf({ fault: { delay: { percent: 10, ms: 250 } } })?.fault).toEqual({
      delayPercent: 10,
      delayMs: 250,
      abortPercent: 0,
      abortStatus: 0,
      headerControlled: false,
      maxActiveDelays: 100,
    });
    expect(trafficOf({ fault: { abort: { percent: 2.5, status: 503 }, headerControlled: true, maxActiveDelays: 3 } })?.fault).toEqual({
      delayPercent: 0,
      delayMs: 0,
      abortPercent: 2.5,
      abortStatus: 503,
      headerControlled: true,
      maxActiveDelays: 3,
    });
    expect(trafficOf({ fault: { headerControlled: true } })?.fault).toEqual({
      delayPercent: 0,
      delayMs: 0,
      abortPercent: 0,
      abortStatus: 0,
      headerControlled: true,
      maxActiveDelays: 100,
    });
  });

  it('resolves overrides to split indexes, in config order, lower-casing header names only', () => {
    const built = trafficOf({
      overrides: [
        { header: { name: 'X-Canary', value: 'Always' }, upstream: 'green' },
        { cookie: { name: 'Beta', value: 'On' }, upstream: 'blue' },
        { header: { name: 'X-Beta' }, upstream: 'blue' },
        { cookie: { name: 'Canary' }, upstream: 'green' },
      ],
    });
    expect(built).toEqual({
      overrides: [
        { source: 'header', name: 'x-canary', value: 'Always', target: 1 },
        { source: 'cookie', name: 'Beta', value: 'On', target: 0 },
        { source: 'header', name: 'x-beta', value: null, target: 0 },
        { source: 'cookie', name: 'Canary', value: null, target: 1 },
      ],
      sticky: null,
      mirror: null,
      fault: null,
    });
  });

  it('resolves an override on the upstream shorthand to entry 0', () => {
    const built = trafficOf({ overrides: [{ header: { name: 'x-pin' }, upstream: 'blue' }] }, { split: undefined, upstream: 'blue' });
    expect(built?.overrides).toEqual([{ source: 'header', name: 'x-pin', value: null, target: 0 }]);
  });

  it('refuses an override outside the split, with its pointer', () => {
    expect(() => trafficOf({ overrides: [{ header: { name: 'x-a' }, upstream: 'blue' }, { header: { name: 'x-b' }, upstream: 'shadow' }] })).toThrow(
      expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/routes/0/traffic/overrides/1/upstream' }),
    );
  });

  it('builds each sticky key kind, lower-casing header names only', () => {
    expect(trafficOf({ sticky: { kind: 'header', name: 'X-User' } })?.sticky).toEqual({ kind: 'header', name: 'x-user' });
    expect(trafficOf({ sticky: { kind: 'cookie', name: 'SessionId' } })?.sticky).toEqual({ kind: 'cookie', name: 'SessionId' });
    expect(trafficOf({ sticky: { kind: 'claim', name: 'Sub' } })?.sticky).toEqual({ kind: 'claim', name: 'Sub' });
    expect(trafficOf({ sticky: { kind: 'clientAddress' } })?.sticky).toEqual({ kind: 'clientAddress' });
  });

  it('ignores traffic on a direct-response route (validation refuses it)', () => {
    const route = routeOf({ split: undefined, directResponse: { status: 200 }, traffic: { mirror: { upstream: 'shadow' } } });
    expect(route.action.kind).toBe('direct');
    expect('traffic' in route.action).toBe(false);
  });

  it('creates sorted, frozen objects and changes the hash with the plan', () => {
    const full: TrafficConfig = {
      overrides: [{ header: { name: 'x-a', value: 'b' }, upstream: 'green' }],
      sticky: { kind: 'header', name: 'x-user' },
      mirror: { upstream: 'shadow' },
      fault: { delay: { percent: 1, ms: 5 }, abort: { percent: 1, status: 500 } },
    };
    const spec = buildSpec(config({ traffic: full }));
    expect(everyObjectHasSortedKeys(spec)).toBe(true);
    expect(Object.isFrozen((spec.routes[0]?.action as ForwardActionSpec).traffic?.overrides[0])).toBe(true);
    const hashes = new Set([
      spec.hash,
      buildSpec(config({})).hash,
      buildSpec(config({ traffic: {} })).hash,
      buildSpec(config({ traffic: { ...full, mirror: { upstream: 'shadow', percent: 50 } } })).hash,
    ]);
    // `traffic: {}` and no traffic build the same spec.
    expect(hashes.size).toBe(3);
  });
});
