import type { WeirConfig } from '@weir/config';
import { buildSpec, configDefaults, specHash } from '@weir/runtime';
import type { DirectActionSpec, ForwardActionSpec, Spec } from '@weir/runtime';
import {
  defaultListenerEdgeFields,
  defaultResilienceFields,
  defaultRetryFields,
  defaultRouteEdgeFields,
  minimalConfig,
  reverseKeys,
  richConfig,
} from '../fixtures';

function isDeepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every(isDeepFrozen);
}

function everyObjectHasSortedKeys(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(everyObjectHasSortedKeys);
  const keys = Object.keys(value);
  const sorted = [...keys].sort();
  return keys.every((k, i) => k === sorted[i]) && Object.values(value).every(everyObjectHasSortedKeys);
}

describe('buildSpec defaults', () => {
  const spec = buildSpec(minimalConfig());

  it('fills every top-level default', () => {
    expect(spec.format).toBe(1);
    expect(spec.workers).toBe(0);
    expect(spec.logging).toEqual({ level: 'info', accessLog: { enabled: false, path: 'stdout' } });
    expect(spec.server).toEqual({ drainTimeoutMs: configDefaults.server.drainTimeoutMs, paths: { mergeSlashes: true, escapedSlashes: 'reject' } });
  });

  it('fills listener defaults', () => {
    expect(spec.listeners).toEqual([
      {
        name: 'main',
        address: '127.0.0.1',
        port: 8080,
        limits: { headersTimeoutMs: 10_000, requestTimeoutMs: 0, keepAliveTimeoutMs: 5_000, maxHeaderBytes: 16_384, maxRequestsPerConnection: 0, maxConnections: 0 },
        ...defaultListenerEdgeFields,
      },
    ]);
  });

  it('turns the upstream shorthand into a one-entry split and fills match defaults', () => {
    expect(spec.routes).toEqual([
      {
        name: 'api',
        listeners: [],
        match: { hosts: [], path: { kind: 'any' }, methods: [], headers: [] },
        action: { kind: 'forward', split: [{ upstream: 'backend', weight: 1 }], requestTimeoutMs: 0, ...defaultRetryFields, traffic: null, cache: null },
        ...defaultRouteEdgeFields,
      },
    ]);
  });

  it('fills upstream and endpoint defaults', () => {
    expect(spec.upstreams).toEqual([
      {
        name: 'backend',
        endpoints: [{ address: '127.0.0.1:9000', host: '127.0.0.1', port: 9000, weight: 1 }],
        timeouts: { connectMs: 5_000, requestMs: 30_000, idleMs: 60_000 },
        pool: { connections: 256, keepAliveMs: 4_000 },
        ...defaultResilienceFields,
        tls: null,
      },
    ]);
  });

  it('defaults upstreams to none', () => {
    const config: WeirConfig = { listeners: [{ name: 'l', port: 1 }], routes: [{ name: 'd', directResponse: { status: 200 } }] };
    expect(buildSpec(config).upstreams).toEqual([]);
  });

  it('keeps an explicit workers count', () => {
    expect(buildSpec({ ...minimalConfig(), workers: 3 }).workers).toBe(3);
    expect(buildSpec({ ...minimalConfig(), workers: 'auto' }).workers).toBe(0);
  });
});

describe('buildSpec normalisation', () => {
  const spec = buildSpec(richConfig());
  const api = spec.routes[0];

  it('copies explicit values', () => {
    expect(spec.workers).toBe(4);
    expect(spec.logging).toEqual({ level: 'debug', accessLog: { enabled: true, path: '/var/log/weir/access.log' } });
    expect(spec.server.drainTimeoutMs).toBe(1234);
    expect(spec.listeners[0]).toEqual({
      name: 'public',
      address: '0.0.0.0',
      port: 80,
      limits: { headersTimeoutMs: 1, requestTimeoutMs: 2, keepAliveTimeoutMs: 3, maxHeaderBytes: 4, maxRequestsPerConnection: 5, maxConnections: 0 },
      ...defaultListenerEdgeFields,
    });
    expect(spec.listeners[1]?.address).toBe('::1');
    expect(api?.listeners).toEqual(['public']);
  });

  it('lower-cases hosts (wildcards keep their prefix) and upper-cases methods', () => {
    expect(api?.match.hosts).toEqual(['api.example.com', '*.example.org']);
    expect(api?.match.methods).toEqual(['GET', 'POST']);
  });

  it('maps header conditions to kinds with lower-cased names', () => {
    expect(api?.match.headers).toEqual([
      { name: 'x-present', kind: 'present' },
      { name: 'x-absent', kind: 'absent' },
      { name: 'x-exact', kind: 'exact', value: 'Yes' },
      { name: 'x-prefix', kind: 'prefix', value: 'pre' },
      { name: 'x-regex', kind: 'regex', value: '^a+$' },
    ]);
  });

  it('maps path matches to kinds', () => {
    expect(spec.routes.map((r) => r.match.path)).toEqual([
      { kind: 'prefix', value: '/api' },
      { kind: 'exact', value: '/health' },
      { kind: 'regex', value: '^/v[0-9]+/' },
      { kind: 'any' },
      { kind: 'any' },
    ]);
  });

  it('fills split weights and the route request timeout', () => {
    const action = api?.action as ForwardActionSpec;
    expect(action).toEqual({
      kind: 'forward',
      split: [
        { upstream: 'blue', weight: 90 },
        { upstream: 'green', weight: 1 },
      ],
      requestTimeoutMs: 777,
      ...defaultRetryFields,
      traffic: null,
      cache: null,
    });
  });

  it('defaults the direct response content-type only when a body is set', () => {
    const [, exact, , teapot, empty] = spec.routes.map((r) => r.action as DirectActionSpec);
    expect(exact).toEqual({ kind: 'direct', status: 200, body: 'ok', headers: [['content-type', 'text/plain; charset=utf-8']] });
    expect(empty).toEqual({ kind: 'direct', status: 204, body: '', headers: [] });
    // An explicit content-type wins; names are lower-cased and sorted.
    expect(teapot?.headers).toEqual([
      ['content-type', 'application/json'],
      ['x-a', '1'],
      ['x-b', '2'],
    ]);
  });

  it('sorts repeated header names by value', () => {
    const config: WeirConfig = {
      listeners: [{ name: 'l', port: 1 }],
      routes: [{ name: 'd', directResponse: { status: 200, headers: { 'X-Tag': 'b', 'x-tag': 'a', 'X-TAG': 'a' } } }],
    };
    expect((buildSpec(config).routes[0]?.action as DirectActionSpec).headers).toEqual([
      ['x-tag', 'a'],
      ['x-tag', 'a'],
      ['x-tag', 'b'],
    ]);
  });

  it('parses endpoints into host and port', () => {
    expect(spec.upstreams[0]?.endpoints).toEqual([
      { address: '127.0.0.1:9001', host: '127.0.0.1', port: 9001, weight: 3 },
      { address: '[::1]:9002', host: '::1', port: 9002, weight: 1 },
      { address: 'Backend.Example.com:80', host: 'backend.example.com', port: 80, weight: 1 },
    ]);
    expect(spec.upstreams[0]?.timeouts).toEqual({ connectMs: 11, requestMs: 22, idleMs: 33 });
    expect(spec.upstreams[0]?.pool).toEqual({ connections: 7, keepAliveMs: 8 });
  });
});

describe('buildSpec hash and version', () => {
  it('gives the same hash for the same config', () => {
    expect(buildSpec(richConfig()).hash).toBe(buildSpec(richConfig()).hash);
    expect(buildSpec(richConfig()).hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same hash whatever the key order of the config JSON', () => {
    const permuted = reverseKeys(richConfig());
    expect(JSON.stringify(permuted)).not.toBe(JSON.stringify(richConfig()));
    expect(buildSpec(permuted).hash).toBe(buildSpec(richConfig()).hash);
    expect(buildSpec(permuted)).toEqual(buildSpec(richConfig()));
  });

  it('gives the same hash from a JSON round trip of the config', () => {
    const text = JSON.stringify(richConfig());
    expect(buildSpec(JSON.parse(text) as WeirConfig).hash).toBe(buildSpec(richConfig()).hash);
  });

  it('changes the hash when any field changes', () => {
    const base = buildSpec(richConfig()).hash;
    const variants: ((c: Record<string, unknown>) => void)[] = [
      (c) => (c['workers'] = 5),
      (c) => ((c['server'] as Record<string, unknown>)['drainTimeoutMs'] = 1235),
      (c) => ((c['routes'] as Record<string, unknown>[]).reverse()),
      (c) => (((c['upstreams'] as Record<string, unknown>[])[1] as Record<string, unknown>)['endpoints'] = [{ address: '127.0.0.2:9004' }]),
      (c) => (((c['routes'] as Record<string, unknown>[])[1] as Record<string, unknown>)['directResponse'] = { status: 200, body: 'OK' }),
      (c) => ((c['listeners'] as Record<string, unknown>[]).pop()),
    ];
    const hashes = variants.map((mutate) => {
      const config = JSON.parse(JSON.stringify(richConfig())) as Record<string, unknown>;
      mutate(config);
      return buildSpec(config as unknown as WeirConfig).hash;
    });
    for (const hash of hashes) expect(hash).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('ignores fields that do not reach the spec ($schema, x- keys)', () => {
    const { $schema: _schema, ...rest } = richConfig() as WeirConfig & { 'x-note'?: string };
    const stripped = { ...rest } as Record<string, unknown>;
    delete stripped['x-note'];
    expect(buildSpec(stripped as unknown as WeirConfig).hash).toBe(buildSpec(richConfig()).hash);
  });

  it('gives the same hash for a config spelled with its defaults', () => {
    const explicit: WeirConfig = {
      workers: 'auto',
      logging: { level: 'info', accessLog: { enabled: false, path: 'stdout' } },
      listeners: [{ name: 'main', address: '127.0.0.1', port: 8080 }],
      routes: [{ name: 'api', listeners: [], split: [{ upstream: 'backend', weight: 1 }] }],
      upstreams: [{ name: 'backend', endpoints: [{ address: '127.0.0.1:9000', weight: 1 }], timeouts: { connectMs: 5000 } }],
    };
    expect(buildSpec(explicit).hash).toBe(buildSpec(minimalConfig()).hash);
  });

  it('derives the version from the hash unless one is given', () => {
    const spec = buildSpec(minimalConfig());
    expect(spec.version).toBe('v-' + spec.hash.slice(0, 12));
    const named = buildSpec(minimalConfig(), { version: 'release-42' });
    expect(named.version).toBe('release-42');
    expect(named.hash).toBe(spec.hash);
  });

  it('exports specHash, which recomputes the hash of a built spec', () => {
    const spec = buildSpec(richConfig());
    expect(specHash(spec)).toBe(spec.hash);
    expect(specHash({ ...spec, version: 'other', hash: 'x' })).toBe(spec.hash);
    expect(specHash({ ...spec, workers: 9 })).not.toBe(spec.hash);
  });
});

describe('buildSpec output', () => {
  it('is deep-frozen and shares nothing with the config', () => {
    const config = richConfig();
    const spec: Spec = buildSpec(config);
    expect(isDeepFrozen(spec)).toBe(true);
    expect(Object.isFrozen(config.routes)).toBe(false);
    expect(Object.isFrozen(config.routes[0]?.listeners)).toBe(false);
    expect(() => {
      (spec.routes as unknown as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('creates every object with sorted keys, so hashing stays on its fast path', () => {
    expect(everyObjectHasSortedKeys(buildSpec(richConfig()))).toBe(true);
    expect(everyObjectHasSortedKeys(buildSpec(minimalConfig()))).toBe(true);
  });

  it('rejects a route without exactly one action, with a pointer', () => {
    const config = { ...minimalConfig(), routes: [minimalConfig().routes[0], { name: 'none' }] } as WeirConfig;
    expect(() => buildSpec(config)).toThrow(expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/routes/1' }));
    const two = { ...minimalConfig(), routes: [{ name: 'two', upstream: 'backend', directResponse: { status: 200 } }] } as WeirConfig;
    expect(() => buildSpec(two)).toThrow(expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/routes/0' }));
  });

  it('rejects an endpoint without host:port, with a pointer', () => {
    const config: WeirConfig = { ...minimalConfig(), upstreams: [{ name: 'backend', endpoints: [{ address: '127.0.0.1:1' }, { address: 'nope' }] }] };
    expect(() => buildSpec(config)).toThrow(
      expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/upstreams/0/endpoints/1/address' }),
    );
  });
});
