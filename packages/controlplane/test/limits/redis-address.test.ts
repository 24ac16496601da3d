import { WeirError } from '@weir/errors';
import { parseRedisAddress, redisBucketKey } from '../../src/limits/index';

describe('parseRedisAddress', () => {
  it('splits host:port, names and bracketed IPv6 literals', () => {
    expect(parseRedisAddress('127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(parseRedisAddress('redis.internal:7000')).toEqual({ host: 'redis.internal', port: 7000 });
    expect(parseRedisAddress('[::1]:6380')).toEqual({ host: '::1', port: 6380 });
  });

  it.each(['redis', ':6379', 'redis:', 'redis:0', 'redis:70000', 'redis:abc'])('rejects %j with a config error', (address) => {
    expect.assertions(2);
    try {
      parseRedisAddress(address);
    } catch (error) {
      expect(error).toBeInstanceOf(WeirError);
      expect((error as WeirError).code).toBe('WEIR_ERR_CONFIG_INVALID');
    }
  });
});

describe('redisBucketKey', () => {
  it('keeps short plain keys readable and hashes everything else', () => {
    expect(redisBucketKey('p:', 'id', '2001:db8::1')).toBe('p:id:k:2001:db8::1');
    expect(redisBucketKey('p:', 'id', '')).toMatch(/^p:id:h:/);
    expect(redisBucketKey('p:', 'id', 'a b')).toMatch(/^p:id:h:[A-Za-z0-9_-]{43}$/);
    expect(redisBucketKey('p:', 'id', 'x'.repeat(65))).toMatch(/^p:id:h:/);
    expect(redisBucketKey('p:', 'id', '{hashtag}')).toMatch(/^p:id:h:/);
    expect(redisBucketKey('p:', 'id', 'a b')).not.toBe(redisBucketKey('p:', 'id', 'a  b'));
  });
});
