import type { LimitParams, TakeResult } from '@weir/limits';
import type { RateLimitSpec } from '@weir/runtime';
import { RateLimiter, rateKey, rateLimitHeaders, type KeySource, type TokenTaker } from '../../src/limits/index';

function limit(name: string, key: RateLimitSpec['key'] = { kind: 'clientAddress' }): RateLimitSpec {
  return { name, ratePerSecond: 10, windowSeconds: 1, quota: 10, burst: 10, key, scope: 'host', id: `id-${name}` };
}

const source: KeySource = { clientAddress: '192.0.2.1', rawHeaders: ['Host', 'a', 'X-Tenant', 'acme'], claims: { sub: 'user-1', n: 7, o: {} } };

/** A taker answering from a script: per limit id, a list of results (promises allowed). */
class ScriptedTaker implements TokenTaker {
  readonly calls: { limitId: string; key: string }[] = [];
  constructor(private readonly script: Record<string, (TakeResult | Promise<TakeResult>)[]>) {}
  take(limit: LimitParams, key: string): TakeResult | Promise<TakeResult> {
    this.calls.push({ limitId: limit.limitId, key });
    const next = this.script[limit.limitId]?.shift();
    if (next === undefined) throw new Error(`no scripted answer for ${limit.limitId}`);
    return next;
  }
}

const admitted: TakeResult = { admitted: true, remaining: 5, retryAfterSeconds: 0 };
const denied: TakeResult = { admitted: false, remaining: 0, retryAfterSeconds: 3 };

describe('rateKey', () => {
  it('reads the client address, a header (case-insensitive), a scalar claim, or nothing for route', () => {
    expect(rateKey({ kind: 'clientAddress' }, source)).toBe('192.0.2.1');
    expect(rateKey({ kind: 'header', name: 'x-tenant' }, source)).toBe('acme');
    expect(rateKey({ kind: 'header', name: 'x-missing' }, source)).toBe('');
    expect(rateKey({ kind: 'claim', name: 'sub' }, source)).toBe('user-1');
    expect(rateKey({ kind: 'claim', name: 'n' }, source)).toBe('7');
    expect(rateKey({ kind: 'claim', name: 'o' }, source)).toBe('');
    expect(rateKey({ kind: 'claim', name: 'sub' }, { ...source, claims: null })).toBe('');
    expect(rateKey({ kind: 'route' }, source)).toBe('');
  });

  it('bounds long keys by hashing them', () => {
    const long = { ...source, rawHeaders: ['x-k', 'v'.repeat(5000)] };
    const key = rateKey({ kind: 'header', name: 'x-k' }, long);
    expect(key.startsWith('#')).toBe(true);
    expect(key.length).toBeLessThan(64);
    expect(rateKey({ kind: 'header', name: 'x-k' }, long)).toBe(key);
  });
});

describe('RateLimiter', () => {
  it('admits synchronously when every limit admits synchronously', () => {
    const taker = new ScriptedTaker({ 'id-a': [admitted], 'id-b': [admitted] });
    const limiter = new RateLimiter([limit('a'), limit('b', { kind: 'route' })], taker);
    expect(limiter.check(source)).toBeNull();
    expect(taker.calls).toEqual([
      { limitId: 'id-a', key: '192.0.2.1' },
      { limitId: 'id-b', key: '' },
    ]);
  });

  it('stops at the first limit that refuses and names it', () => {
    const taker = new ScriptedTaker({ 'id-a': [denied] });
    const denial = new RateLimiter([limit('a'), limit('b')], taker).check(source);
    expect(denial).toEqual({ limit: expect.objectContaining({ name: 'a' }), retryAfterSeconds: 3 });
    expect(taker.calls).toHaveLength(1);
  });

  it('continues asynchronously once a take must wait for a lease', async () => {
    const taker = new ScriptedTaker({ 'id-a': [Promise.resolve(admitted)], 'id-b': [Promise.resolve(denied)] });
    const result = new RateLimiter([limit('a'), limit('b')], taker).check(source);
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toEqual({ limit: expect.objectContaining({ name: 'b' }), retryAfterSeconds: 3 });
  });

  it('builds the 429 headers of the ratelimit-headers draft', () => {
    const l = { ...limit('per-user'), quota: 100, windowSeconds: 60 };
    expect(rateLimitHeaders({ limit: l, retryAfterSeconds: 4 })).toEqual([
      'retry-after', '4',
      'ratelimit-policy', '"per-user";q=100;w=60',
      'ratelimit', '"per-user";r=0;t=4',
    ]);
  });
});
