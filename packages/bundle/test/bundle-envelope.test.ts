import { BUNDLE_LIMITS, encodeEnvelope, parseEnvelope, sha256Hex } from '@weir/bundle';
import { asJson, bundleBytes, testKey, toBytes } from './support/fixtures';

const key = testKey('ci-1', 1);

/** The code and pointer of what parseEnvelope throws for `bytes`. */
function failure(bytes: Uint8Array): { code: string; pointer: string | undefined } {
  try {
    parseEnvelope(bytes);
  } catch (err) {
    const e = err as { code: string; pointer?: string };
    return { code: e.code, pointer: e.pointer };
  }
  throw new Error('parsed');
}

describe('bundle files (the envelope)', () => {
  it('round-trips: the payload bytes, their digest and the signatures', () => {
    const payload = Buffer.from('{"any":"bytes"}');
    const sig = new Uint8Array(64).fill(3);
    const bytes = encodeEnvelope(payload, [{ keyId: 'a', sig }]);
    const text = bytes.toString('utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(['format', 'payloadSha256', 'signatures', 'payload']);
    const envelope = parseEnvelope(bytes);
    expect(envelope.payload).toEqual(payload);
    expect(envelope.payloadSha256).toBe(sha256Hex(payload));
    expect(envelope.signatures).toEqual([{ keyId: 'a', sig: Buffer.from(sig) }]);
  });

  it('refuses a file over the size limit before parsing it', () => {
    expect(failure(Buffer.alloc(BUNDLE_LIMITS.maxBundleBytes + 1, 0x20))).toEqual({ code: 'WEIR_ERR_BUNDLE_MALFORMED', pointer: undefined });
  });

  it('tolerates a byte-order mark before the file (the envelope is not signed)', () => {
    const bytes = bundleBytes([key]);
    expect(parseEnvelope(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])).payload).toEqual(parseEnvelope(bytes).payload);
  });

  const good = asJson(bundleBytes([key]));
  const sig = good['signatures'][0].sig as string;
  const edits: [string, (b: Record<string, any>) => unknown, string | undefined][] = [
    ['a JSON array', (b) => [b], undefined],
    ['an unknown field', (b) => ({ ...b, signedBy: 'me' }), '/signedBy'],
    ['an unknown format', (b) => ({ ...b, format: 'weir-bundle/2' }), '/format'],
    ['no format', (b) => ({ ...b, format: undefined }), '/format'],
    ['no payload', (b) => ({ ...b, payload: undefined }), '/payload'],
    ['an empty payload', (b) => ({ ...b, payload: '' }), '/payload'],
    ['a payload in url-safe base64', (b) => ({ ...b, payload: (b['payload'] as string).replace(/\+/g, '-').replace(/\//g, '_') + '-' }), '/payload'],
    ['a payload with a line break', (b) => ({ ...b, payload: `${(b['payload'] as string).slice(0, 4)}\n${(b['payload'] as string).slice(4)}` }), '/payload'],
    ['a payload object instead of base64', (b) => ({ ...b, payload: { revision: 5 } }), '/payload'],
    ['an uppercase digest', (b) => ({ ...b, payloadSha256: (b['payloadSha256'] as string).toUpperCase() }), '/payloadSha256'],
    ['a short digest', (b) => ({ ...b, payloadSha256: 'abc' }), '/payloadSha256'],
    ['no signatures', (b) => ({ ...b, signatures: [] }), '/signatures'],
    ['signatures as an object', (b) => ({ ...b, signatures: { keyId: 'ci-1', sig } }), '/signatures'],
    ['17 signatures', (b) => ({ ...b, signatures: Array.from({ length: 17 }, (_, i) => ({ keyId: `k${i}`, sig })) }), '/signatures'],
    ['a signature that is a string', (b) => ({ ...b, signatures: [sig] }), '/signatures/0'],
    ['a signature with an extra field', (b) => ({ ...b, signatures: [{ keyId: 'ci-1', sig, alg: 'ed25519' }] }), '/signatures/0/alg'],
    ['a bad key id', (b) => ({ ...b, signatures: [{ keyId: '../etc/passwd', sig }] }), '/signatures/0/keyId'],
    ['a key id signing twice', (b) => ({ ...b, signatures: [{ keyId: 'ci-1', sig }, { keyId: 'ci-1', sig }] }), '/signatures/1/keyId'],
    ['a 63-byte signature', (b) => ({ ...b, signatures: [{ keyId: 'ci-1', sig: Buffer.alloc(63).toString('base64') }] }), '/signatures/0/sig'],
    ['a signature in hex', (b) => ({ ...b, signatures: [{ keyId: 'ci-1', sig: Buffer.from(sig, 'base64').toString('hex') }] }), '/signatures/0/sig'],
  ];

  it.each(edits)('refuses %s', (_what, edit, pointer) => {
    expect(failure(toBytes(edit(asJson(bundleBytes([key])))))).toEqual({ code: 'WEIR_ERR_BUNDLE_MALFORMED', pointer });
  });

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['truncated JSON', bundleBytes([key]).subarray(0, 100)],
    ['not UTF-8', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
    ['a JSON string', Buffer.from('"weir-bundle/1"')],
    ['null', Buffer.from('null')],
    ['a private key file', Buffer.from('{"format":"weir-bundle-private-key/1","keyId":"a","seed":"AA=="}')],
  ])('refuses %s', (_what, bytes) => {
    expect(failure(bytes).code).toBe('WEIR_ERR_BUNDLE_MALFORMED');
  });
});
