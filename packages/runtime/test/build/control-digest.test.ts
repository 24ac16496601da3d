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

  it('makes a change to the pull section alone a new version, and never puts the section in the spec', () => {
    const pull = { url: 'https://bundles.example.com/weir.bundle', trustedKeys: [{ keyId: 'release-2026', publicKey: PUBLIC_KEY }] };
    const before = buildSpec(minimalConfig());
    const withPull = buildSpec({ ...minimalConfig(), pull });
    const rotated = buildSpec({ ...minimalConfig(), pull: { ...pull, trustedKeys: [...pull.trustedKeys, { keyId: 'release-2027', publicKeyFile: '/etc/weir/release-2027.pub' }] } });
    expect(new Set([before.hash, withPull.hash, rotated.hash]).size).toBe(3);
    expect({ ...withPull, controlDigest: '', hash: '', version: '' }).toEqual({ ...before, controlDigest: '', hash: '', version: '' });
    expect(JSON.stringify(rotated)).not.toContain(PUBLIC_KEY);
    expect(JSON.stringify(rotated)).not.toContain('bundles.example.com');
  });
});

const PUBLIC_KEY = '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=';
