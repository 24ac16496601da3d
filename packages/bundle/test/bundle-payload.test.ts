import { encodePayload, parsePayload } from '@weir/bundle';
import { CONFIG, CREATED, HOUR, contents, toBytes } from './support/fixtures';

/** The code and pointer of what parsePayload throws for `bytes`. */
function failure(bytes: Uint8Array): { code: string; pointer: string | undefined } {
  try {
    parsePayload(bytes);
  } catch (err) {
    const e = err as { code: string; pointer?: string };
    return { code: e.code, pointer: e.pointer };
  }
  throw new Error('parsed');
}

const valid = { format: 'weir-bundle-payload/1', revision: 5, createdAt: '2026-12-06T17:00:00.000Z', config: CONFIG };

describe('payload bytes', () => {
  it('encodes canonically: fixed field order, sorted labels, compact, no newline', () => {
    const bytes = encodePayload(contents({ expiresAt: CREATED + HOUR, labels: { zone: 'b', env: 'prod' } }));
    expect(bytes.toString('utf8')).toBe(
      '{"format":"weir-bundle-payload/1","revision":5,"createdAt":"2026-12-06T17:00:00.000Z","expiresAt":"2026-12-06T18:00:00.000Z",' +
        `"labels":{"env":"prod","zone":"b"},"config":${JSON.stringify(CONFIG)}}`,
    );
    expect(encodePayload(contents({ labels: { env: 'prod', zone: 'b' }, expiresAt: CREATED + HOUR }))).toEqual(bytes);
  });

  it('leaves out expiresAt and labels when not set', () => {
    expect(JSON.parse(encodePayload(contents({ expiresAt: null, labels: {} })).toString('utf8'))).toEqual(valid);
  });

  it('parses what it encodes', () => {
    const payload = parsePayload(encodePayload(contents({ expiresAt: CREATED + HOUR, labels: { env: 'prod' } })));
    expect(payload.metadata).toEqual({ revision: 5, createdAt: '2026-12-06T17:00:00.000Z', expiresAt: '2026-12-06T18:00:00.000Z', labels: { env: 'prod' } });
    expect(payload.createdAtMs).toBe(CREATED);
    expect(payload.expiresAtMs).toBe(CREATED + HOUR);
    expect(payload.config).toEqual(CONFIG);
  });

  it('accepts any JSON text of the right shape, not only the canonical spelling', () => {
    const pretty = Buffer.from(JSON.stringify({ config: CONFIG, createdAt: '2026-12-06T17:00:00Z', revision: 5, format: 'weir-bundle-payload/1' }, null, 2));
    expect(parsePayload(pretty).metadata.revision).toBe(5);
  });

  it.each<[string, unknown, string]>([
    ['an array', [valid], '/'],
    ['an unknown field', { ...valid, notBefore: '2026-12-06T17:00:00Z' }, '/notBefore'],
    ['another format', { ...valid, format: 'weir-bundle-payload/2' }, '/format'],
    ['no format', { ...valid, format: undefined }, '/format'],
    ['revision 0', { ...valid, revision: 0 }, '/revision'],
    ['a fractional revision', { ...valid, revision: 1.5 }, '/revision'],
    ['a revision beyond 2^53', { ...valid, revision: 2 ** 53 }, '/revision'],
    ['a string revision', { ...valid, revision: '5' }, '/revision'],
    ['no createdAt', { ...valid, createdAt: undefined }, '/createdAt'],
    ['a createdAt with an offset', { ...valid, createdAt: '2026-12-06T18:00:00+01:00' }, '/createdAt'],
    ['a numeric expiresAt', { ...valid, expiresAt: CREATED + HOUR }, '/expiresAt'],
    ['expiresAt before createdAt', { ...valid, expiresAt: '2026-12-06T16:00:00Z' }, '/expiresAt'],
    ['labels as an array', { ...valid, labels: ['env=prod'] }, '/labels'],
    ['a non-string label', { ...valid, labels: { replicas: 3 } }, '/labels/replicas'],
    ['a bad label key', { ...valid, labels: { '-x': 'y' } }, '/labels/-x'],
    ['too many labels', { ...valid, labels: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])) }, '/labels'],
    ['a long label value', { ...valid, labels: { env: 'x'.repeat(257) } }, '/labels/env'],
    ['no config', { ...valid, config: undefined }, '/config'],
    ['a config that is a string', { ...valid, config: JSON.stringify(CONFIG) }, '/config'],
    ['a null config', { ...valid, config: null }, '/config'],
  ])('refuses %s', (_what, value, pointer) => {
    expect(failure(toBytes(value))).toEqual({ code: 'WEIR_ERR_BUNDLE_MALFORMED', pointer });
  });

  it('refuses bytes that are not UTF-8 JSON, or start with a byte-order mark', () => {
    expect(failure(Buffer.from([0x7b, 0xff, 0x7d])).code).toBe('WEIR_ERR_BUNDLE_MALFORMED');
    expect(failure(Buffer.from('{"format":')).code).toBe('WEIR_ERR_BUNDLE_MALFORMED');
    expect(failure(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), toBytes(valid)])).code).toBe('WEIR_ERR_BUNDLE_MALFORMED');
  });

  it('refuses to encode contents that would not parse back', () => {
    expect(() => encodePayload(contents({ revision: 0 }))).toThrow(expect.objectContaining({ code: 'WEIR_ERR_BUNDLE_MALFORMED', pointer: '/revision' }));
    expect(() => encodePayload(contents({ config: [CONFIG] }))).toThrow(expect.objectContaining({ pointer: '/config' }));
    expect(() => encodePayload(contents({ createdAt: Number.NaN }))).toThrow(expect.objectContaining({ pointer: '/createdAt' }));
    expect(() => encodePayload(contents({ expiresAt: 1e20 }))).toThrow(expect.objectContaining({ pointer: '/expiresAt' }));
    expect(() => encodePayload(contents({ expiresAt: CREATED }))).toThrow(expect.objectContaining({ pointer: '/expiresAt' }));
  });
});
