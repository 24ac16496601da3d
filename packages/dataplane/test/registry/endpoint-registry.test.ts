import { Pool } from 'undici';
import { EndpointRegistry, endpointKey } from '../../src/index';
import type { UpstreamTlsSpec } from '@weir/runtime';
import { endpoint, upstream } from '../helpers/spec';

describe('endpointKey', () => {
  it('is stable for equal settings and changes with every setting that shapes the pool', () => {
    expect.assertions(8);
    const base = upstream('api', [8080]);
    const ep = endpoint(8080);
    const key = endpointKey(base, ep);
    expect(endpointKey(upstream('api', [8080]), endpoint(8080))).toBe(key);
    expect(endpointKey(base, endpoint(8080, 5))).toBe(key);
    expect(endpointKey(upstream('web', [8080]), ep)).not.toBe(key);
    expect(endpointKey(base, endpoint(8081))).not.toBe(key);
    expect(endpointKey(upstream('api', [8080], { timeouts: { connectMs: 1 } }), ep)).not.toBe(key);
    expect(endpointKey(upstream('api', [8080], { timeouts: { requestMs: 1 } }), ep)).not.toBe(key);
    expect(endpointKey(upstream('api', [8080], { timeouts: { idleMs: 1 } }), ep)).not.toBe(key);
    expect(
      new Set([
        endpointKey(upstream('api', [8080], { pool: { connections: 1 } }), ep),
        endpointKey(upstream('api', [8080], { pool: { keepAliveMs: 1 } }), ep),
        key,
      ]).size,
    ).toBe(3);
  });
});

describe('endpointKey with TLS', () => {
  const tls = (overrides: Partial<UpstreamTlsSpec> = {}): UpstreamTlsSpec => ({
    caPem: 'CA', serverName: null, verify: true, certPem: null, keyPem: null, minVersion: 'TLSv1.2', ...overrides,
  });
  const key = (settings: UpstreamTlsSpec | null): string => endpointKey(upstream('api', [8443], { tls: settings }), endpoint(8443));

  it('is the same for equal TLS settings in new spec objects (a decoded reload)', () => {
    expect.assertions(2);
    expect(key(tls())).toBe(key(tls()));
    expect(key(tls())).not.toContain('CA');
  });

  it('changes with every TLS field, and between plain and TLS', () => {
    expect.assertions(1);
    const keys = [
      key(null),
      key(tls()),
      key(tls({ caPem: 'CA2' })),
      key(tls({ caPem: null })),
      key(tls({ serverName: 'api.internal' })),
      key(tls({ verify: false })),
      key(tls({ certPem: 'C', keyPem: 'K' })),
      key(tls({ certPem: 'C', keyPem: 'K2' })),
      key(tls({ minVersion: 'TLSv1.3' })),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('EndpointRegistry', () => {
  let registry: EndpointRegistry;

  beforeEach(() => {
    registry = new EndpointRegistry();
  });

  afterEach(async () => {
    await registry.close(true);
  });

  it('shares one pool per key and closes it on the last release', async () => {
    expect.assertions(7);
    let created = 0;
    const factory = (): Pool => {
      created++;
      return new Pool('http://127.0.0.1:9');
    };
    const a = registry.acquire('k', factory);
    const b = registry.acquire('k', factory);
    expect(b).toBe(a);
    expect(created).toBe(1);
    registry.release('k');
    expect(registry.get('k')).toBe(a);
    expect(a.closed).toBe(false);
    registry.release('k');
    expect(registry.get('k')).toBeUndefined();
    expect(a.closed).toBe(true);
    registry.release('k');
    expect(registry.size).toBe(0);
  });

  it('creates a fresh pool when a released key is acquired again', () => {
    expect.assertions(1);
    const first = registry.acquire('k', () => new Pool('http://127.0.0.1:9'));
    registry.release('k');
    const second = registry.acquire('k', () => new Pool('http://127.0.0.1:9'));
    expect(second).not.toBe(first);
  });
});
