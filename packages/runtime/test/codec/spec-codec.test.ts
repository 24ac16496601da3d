import { Packr } from 'msgpackr';
import { buildSpec, decodeSpec, encodeSpec } from '@weir/runtime';
import type { Spec } from '@weir/runtime';
import { minimalConfig, richConfig } from '../fixtures';

/** A packer independent of the codec's own instance: what another process would have. */
const other = new Packr({ useRecords: false, mapsAsObjects: true });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('encodeSpec / decodeSpec', () => {
  it('round-trips a spec exactly', () => {
    const spec = buildSpec(richConfig());
    const bytes = encodeSpec(spec);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const decoded = decodeSpec(bytes);
    expect(decoded).toEqual(spec);
    expect(decoded.hash).toBe(spec.hash);
    expect(decoded.version).toBe(spec.version);
  });

  it('decodes bytes encoded earlier after other specs were encoded, from a copy', () => {
    const first = buildSpec(minimalConfig());
    const firstBytes = encodeSpec(first);
    const second = buildSpec(richConfig(), { version: 'two' });
    const secondBytes = Uint8Array.from(encodeSpec(second));
    expect(decodeSpec(Uint8Array.from(firstBytes))).toEqual(first);
    expect(decodeSpec(secondBytes)).toEqual(second);
  });

  it('decodes a spec written without records by another packer (no shared state)', () => {
    const spec = buildSpec(richConfig());
    expect(decodeSpec(other.pack(spec))).toEqual(spec);
  });

  it('returns a deep-frozen spec', () => {
    const decoded = decodeSpec(encodeSpec(buildSpec(richConfig())));
    expect(Object.isFrozen(decoded)).toBe(true);
    expect(Object.isFrozen(decoded.routes)).toBe(true);
    expect(Object.isFrozen(decoded.routes[0]?.match.headers[0])).toBe(true);
    expect(Object.isFrozen(decoded.upstreams[0]?.endpoints[0])).toBe(true);
    expect(() => {
      (decoded as { workers: number }).workers = 9;
    }).toThrow(TypeError);
  });

  it('accepts a renamed version: the version is not hashed', () => {
    const spec = buildSpec(minimalConfig());
    expect(decodeSpec(other.pack({ ...spec, version: 'renamed' })).version).toBe('renamed');
  });

  it.each([
    ['empty bytes', new Uint8Array(0)],
    ['truncated', encodeSpec(buildSpec(minimalConfig())).subarray(0, 20)],
    ['trailing garbage', Buffer.concat([encodeSpec(buildSpec(minimalConfig())), Buffer.from([0])])],
    ['not MessagePack', Buffer.from('{"format":1}')],
  ])('rejects %s with WEIR_ERR_SPEC_CORRUPT', (_name, bytes) => {
    expect(codeOf(() => decodeSpec(bytes))).toBe('WEIR_ERR_SPEC_CORRUPT');
  });

  it.each([
    ['a number', 42],
    ['an array', [1, 2]],
    ['null', null],
    ['another format', { format: 2, version: 'v', hash: 'h' }],
    ['no hash', { format: 1, version: 'v' }],
    ['no version', { format: 1, hash: 'h' }],
    ['an unhashable value', { format: 1, version: 'v', hash: 'h', big: 2n ** 60n }],
  ])('rejects %s with WEIR_ERR_SPEC_CORRUPT', (_name, value) => {
    expect(codeOf(() => decodeSpec(other.pack(value)))).toBe('WEIR_ERR_SPEC_CORRUPT');
  });

  it('rejects a tampered hash', () => {
    const spec = buildSpec(minimalConfig());
    const tampered = { ...spec, hash: spec.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    expect(codeOf(() => decodeSpec(other.pack(tampered)))).toBe('WEIR_ERR_SPEC_CORRUPT');
  });

  it('rejects tampered content under the original hash', () => {
    const spec: Spec = buildSpec(minimalConfig());
    const tampered = { ...spec, upstreams: [{ ...spec.upstreams[0], endpoints: [{ address: '10.0.0.1:80', host: '10.0.0.1', port: 80, weight: 1 }] }] };
    expect(codeOf(() => decodeSpec(other.pack(tampered)))).toBe('WEIR_ERR_SPEC_CORRUPT');
  });

  it('rejects a flipped byte inside the content', () => {
    const bytes = Uint8Array.from(encodeSpec(buildSpec(minimalConfig())));
    const at = Buffer.from(bytes).indexOf('127.0.0.1:9000');
    expect(at).toBeGreaterThan(0);
    bytes[at] = '2'.charCodeAt(0);
    expect(codeOf(() => decodeSpec(bytes))).toBe('WEIR_ERR_SPEC_CORRUPT');
  });

  it('chains the decoder error as cause', () => {
    expect.assertions(2);
    try {
      decodeSpec(new Uint8Array(0));
    } catch (err) {
      expect((err as { code: string }).code).toBe('WEIR_ERR_SPEC_CORRUPT');
      expect((err as Error).cause).toBeInstanceOf(Error);
    }
  });
});
