import { buildSpec, controlDigest } from '@weir/runtime';
import { minimalConfig } from '../fixtures';

const HASH = `sha256$${'s'.repeat(22)}$${'a'.repeat(64)}`;

describe('controlDigest', () => {
  it('makes a change to the admin section alone a new spec hash and version', () => {
    const before = buildSpec(minimalConfig());
    const after = buildSpec({ ...minimalConfig(), admin: { tokens: [{ name: 'ci', hash: HASH, scopes: ['read'] }] } });
    expect(after.hash).not.toBe(before.hash);
    expect(after.version).not.toBe(before.version);
    // Nothing the workers read changed.
    expect({ ...after, controlDigest: '', hash: '', version: '' }).toEqual({ ...before, controlDigest: '', hash: '', version: '' });
  });

  it('treats an absent admin section as an empty one, and ignores key order', () => {
    expect(controlDigest({ ...minimalConfig(), admin: {} })).toBe(controlDigest(minimalConfig()));
    const a = controlDigest({ ...minimalConfig(), admin: { maxBodyBytes: 2048, listen: { port: 1, address: '::1' } } });
    const b = controlDigest({ ...minimalConfig(), admin: { listen: { address: '::1', port: 1 }, maxBodyBytes: 2048 } });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never puts the admin section itself in the spec', () => {
    const spec = buildSpec({ ...minimalConfig(), admin: { tokens: [{ name: 'ci', hash: HASH, scopes: ['admin'] }] } });
    expect(JSON.stringify(spec)).not.toContain(HASH);
  });
});
