import { canonicalJSON, deepFreeze } from '@weir/runtime';

describe('canonicalJSON', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJSON({ b: 1, a: [{ z: true, y: null }, 'x'], c: { e: 'e', d: 'd' } })).toBe(
      '{"a":[{"y":null,"z":true},"x"],"b":1,"c":{"d":"d","e":"e"}}',
    );
  });

  it('writes the same string for any key order', () => {
    expect(canonicalJSON({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJSON({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it('equals JSON.stringify when keys are already sorted (the fast path)', () => {
    const value = { a: 'x"\\\n\u0001', b: [1, 2.5, -0, null, true], c: { d: {} } };
    expect(canonicalJSON(value)).toBe(JSON.stringify(value));
  });

  it('writes unsorted values exactly as the fast path would once sorted', () => {
    const unsorted = { c: { d: {} }, b: [1, 2.5, -0, null, true, Number.NaN], a: 'x"\\\n\u0001' };
    const sorted = { a: 'x"\\\n\u0001', b: [1, 2.5, -0, null, true, Number.NaN], c: { d: {} } };
    expect(canonicalJSON(unsorted)).toBe(canonicalJSON(sorted));
    expect(canonicalJSON(unsorted)).toBe(JSON.stringify(sorted));
  });

  it('leaves out undefined values and writes undefined array items as null, like JSON', () => {
    expect(canonicalJSON({ b: undefined, a: [undefined, () => 1] })).toBe('{"a":[null,null]}');
    expect(canonicalJSON({ a: undefined })).toBe('{}');
  });

  it('sorts integer-like keys as strings', () => {
    expect(canonicalJSON({ 9: 'nine', 10: 'ten', a: 1 })).toBe('{"10":"ten","9":"nine","a":1}');
  });

  it('omits the given keys at the top level only', () => {
    const omit = new Set(['hash', 'version']);
    expect(canonicalJSON({ version: 'v', hash: 'h', z: { hash: 1 }, a: 1 }, omit)).toBe('{"a":1,"z":{"hash":1}}');
    expect(canonicalJSON([{ hash: 1 }], omit)).toBe('[{"hash":1}]');
  });

  it('writes primitives', () => {
    expect(canonicalJSON('s')).toBe('"s"');
    expect(canonicalJSON(null)).toBe('null');
    expect(canonicalJSON(undefined)).toBe('null');
    expect(canonicalJSON(Infinity)).toBe('null');
  });

  it('throws a TypeError for a bigint', () => {
    expect(() => canonicalJSON({ b: 1, a: 1n })).toThrow(TypeError);
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, and skips typed arrays', () => {
    const bytes = new Uint8Array([1]);
    const value = deepFreeze({ a: [{ b: 1 }], bytes, n: null });
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a[0])).toBe(true);
    expect(Object.isFrozen(bytes)).toBe(false);
    expect(deepFreeze(3)).toBe(3);
  });
});
