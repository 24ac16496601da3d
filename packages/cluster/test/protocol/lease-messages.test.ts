import { WORKER_COUNT_ENV, isPrimaryMessage, isWorkerMessage, workerCount } from '../../src/protocol/index';

/** Issue 9's messages: rate-limit leasing (`weir:lease*`) and JWKS key distribution (`weir:jwks`). */

const REQUEST = { limitId: 'r1', key: '10.0.0.1', want: 20, ratePerSecond: 100, burst: 200, scope: 'host' };
const GRANT = { granted: 20, retryAfterMs: 0, remaining: 180 };
const RETURN = { limitId: 'r1', key: '10.0.0.1', scope: 'global', tokens: 7 };
const JWKS = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'k1' }] };

describe('weir:lease (worker -> primary)', () => {
  it('accepts a well-formed request, with or without atLeast, for either scope', () => {
    expect(isWorkerMessage({ type: 'weir:lease', id: 1, request: REQUEST })).toBe(true);
    expect(isWorkerMessage({ type: 'weir:lease', id: 0, request: { ...REQUEST, scope: 'global', atLeast: 5 } })).toBe(true);
    // Fractional rates are legal (one token every two seconds).
    expect(isWorkerMessage({ type: 'weir:lease', id: 2, request: { ...REQUEST, ratePerSecond: 0.5, burst: 1.5 } })).toBe(true);
  });

  it.each([
    ['no id', { request: REQUEST }],
    ['a negative id', { id: -1, request: REQUEST }],
    ['a fractional id', { id: 1.5, request: REQUEST }],
    ['a NaN id', { id: Number.NaN, request: REQUEST }],
    ['no request', { id: 1 }],
    ['a request that is not an object', { id: 1, request: 'r1' }],
    ['a null request', { id: 1, request: null }],
  ])('rejects a lease with %s', (_what, fields) => {
    expect(isWorkerMessage({ type: 'weir:lease', ...fields })).toBe(false);
  });

  const without = (field: keyof typeof REQUEST): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...REQUEST };
    delete copy[field];
    return copy;
  };

  it.each([
    ['no limitId', without('limitId')],
    ['no key', without('key')],
    ['no want', without('want')],
    ['no ratePerSecond', without('ratePerSecond')],
    ['no burst', without('burst')],
    ['no scope', without('scope')],
    ['a numeric limitId', { ...REQUEST, limitId: 1 }],
    ['a numeric key', { ...REQUEST, key: 7 }],
    ['a negative want', { ...REQUEST, want: -1 }],
    ['a fractional want', { ...REQUEST, want: 1.5 }],
    ['a NaN want', { ...REQUEST, want: Number.NaN }],
    ['a string want', { ...REQUEST, want: '20' }],
    ['a zero rate', { ...REQUEST, ratePerSecond: 0 }],
    ['a negative rate', { ...REQUEST, ratePerSecond: -5 }],
    ['a NaN rate', { ...REQUEST, ratePerSecond: Number.NaN }],
    ['an infinite rate', { ...REQUEST, ratePerSecond: Number.POSITIVE_INFINITY }],
    ['a zero burst', { ...REQUEST, burst: 0 }],
    ['a NaN burst', { ...REQUEST, burst: Number.NaN }],
    ['an unknown scope', { ...REQUEST, scope: 'route' }],
    ['an upper-case scope', { ...REQUEST, scope: 'HOST' }],
    // atLeast is optional, but the bank compares against it: NaN there refused a full bucket
    // forever (granted 0, retryAfterMs 0), so it is checked like the other numbers.
    ['a NaN atLeast', { ...REQUEST, atLeast: Number.NaN }],
    ['a zero atLeast', { ...REQUEST, atLeast: 0 }],
    ['a negative atLeast', { ...REQUEST, atLeast: -1 }],
    ['a string atLeast', { ...REQUEST, atLeast: '5' }],
  ])('rejects a request with %s', (_what, request) => {
    expect(isWorkerMessage({ type: 'weir:lease', id: 1, request })).toBe(false);
  });

  it('is a worker message only: the primary never sends it', () => {
    expect(isPrimaryMessage({ type: 'weir:lease', id: 1, request: REQUEST })).toBe(false);
  });
});

describe('weir:lease-grant (primary -> worker)', () => {
  it('accepts a grant, and a refusal with a retry delay', () => {
    expect(isPrimaryMessage({ type: 'weir:lease-grant', id: 1, grant: GRANT })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:lease-grant', id: 3, grant: { granted: 0, retryAfterMs: 250, remaining: 0 } })).toBe(true);
  });

  it.each([
    ['no id', { grant: GRANT }],
    ['a negative id', { id: -2, grant: GRANT }],
    ['a NaN id', { id: Number.NaN, grant: GRANT }],
    ['no grant', { id: 1 }],
    ['a grant that is not an object', { id: 1, grant: 20 }],
    ['no granted', { id: 1, grant: { retryAfterMs: 0, remaining: 0 } }],
    ['no retryAfterMs', { id: 1, grant: { granted: 1, remaining: 0 } }],
    ['no remaining', { id: 1, grant: { granted: 1, retryAfterMs: 0 } }],
    ['a negative granted', { id: 1, grant: { ...GRANT, granted: -1 } }],
    ['a NaN granted', { id: 1, grant: { ...GRANT, granted: Number.NaN } }],
    ['a negative retryAfterMs', { id: 1, grant: { ...GRANT, retryAfterMs: -10 } }],
    ['an infinite retryAfterMs', { id: 1, grant: { ...GRANT, retryAfterMs: Number.POSITIVE_INFINITY } }],
    ['a NaN remaining', { id: 1, grant: { ...GRANT, remaining: Number.NaN } }],
    ['a fractional remaining', { id: 1, grant: { ...GRANT, remaining: 0.5 } }],
  ])('rejects a grant with %s', (_what, fields) => {
    expect(isPrimaryMessage({ type: 'weir:lease-grant', ...fields })).toBe(false);
  });

  it('is a primary message only', () => {
    expect(isWorkerMessage({ type: 'weir:lease-grant', id: 1, grant: GRANT })).toBe(false);
  });
});

describe('weir:lease-return (worker -> primary)', () => {
  it('accepts unspent tokens of either scope, zero included', () => {
    expect(isWorkerMessage({ type: 'weir:lease-return', ret: RETURN })).toBe(true);
    expect(isWorkerMessage({ type: 'weir:lease-return', ret: { ...RETURN, scope: 'host', tokens: 0 } })).toBe(true);
  });

  it.each([
    ['no ret', {}],
    ['a ret that is not an object', { ret: 'r1' }],
    ['no limitId', { ret: { key: 'k', scope: 'host', tokens: 1 } }],
    ['no key', { ret: { limitId: 'r1', scope: 'host', tokens: 1 } }],
    ['no scope', { ret: { limitId: 'r1', key: 'k', tokens: 1 } }],
    ['no tokens', { ret: { limitId: 'r1', key: 'k', scope: 'host' } }],
    ['a wrong scope', { ret: { ...RETURN, scope: 'worker' } }],
    ['negative tokens', { ret: { ...RETURN, tokens: -3 } }],
    ['NaN tokens', { ret: { ...RETURN, tokens: Number.NaN } }],
    ['fractional tokens', { ret: { ...RETURN, tokens: 2.5 } }],
  ])('rejects a return with %s', (_what, fields) => {
    expect(isWorkerMessage({ type: 'weir:lease-return', ...fields })).toBe(false);
  });

  it('is a worker message only', () => {
    expect(isPrimaryMessage({ type: 'weir:lease-return', ret: RETURN })).toBe(false);
  });
});

describe('weir:jwks (primary -> worker)', () => {
  it('accepts a key set, an empty one included', () => {
    expect(isPrimaryMessage({ type: 'weir:jwks', url: 'https://id.example.com/jwks.json', jwks: JWKS })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:jwks', url: 'https://id.example.com/jwks.json', jwks: { keys: [] } })).toBe(true);
  });

  it.each([
    ['no url', { jwks: JWKS }],
    ['a url that is not a string', { url: 42, jwks: JWKS }],
    ['no jwks', { url: 'u' }],
    ['a null jwks (forgetting is not sent)', { url: 'u', jwks: null }],
    ['a jwks without keys', { url: 'u', jwks: {} }],
    ['keys that are not an array', { url: 'u', jwks: { keys: { kty: 'OKP' } } }],
    ['a key that is a string', { url: 'u', jwks: { keys: ['eyJrdHkiOiJPS1AifQ'] } }],
    ['a key that is null', { url: 'u', jwks: { keys: [JWKS.keys[0], null] } }],
    ['a key that is a number', { url: 'u', jwks: { keys: [1] } }],
  ])('rejects a jwks message with %s', (_what, fields) => {
    expect(isPrimaryMessage({ type: 'weir:jwks', ...fields })).toBe(false);
  });

  it('is a primary message only', () => {
    expect(isWorkerMessage({ type: 'weir:jwks', url: 'u', jwks: JWKS })).toBe(false);
  });
});

describe('workerCount', () => {
  it('reads WEIR_WORKER_COUNT', () => {
    expect(WORKER_COUNT_ENV).toBe('WEIR_WORKER_COUNT');
    expect(workerCount({ [WORKER_COUNT_ENV]: '4' })).toBe(4);
    expect(workerCount({ [WORKER_COUNT_ENV]: '1' })).toBe(1);
  });

  it.each([undefined, '', '0', '-2', '2.5', 'NaN', 'four', 'Infinity'])('is 1 for %p (absent or invalid)', (value) => {
    expect(workerCount(value === undefined ? {} : { [WORKER_COUNT_ENV]: value })).toBe(1);
  });
});
