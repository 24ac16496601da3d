import { validateConfig } from '../../../src/validate/index';
import { pointersOf, validConfig } from '../../fixtures/configs';

const HASH = `sha256$${'s'.repeat(22)}$${'a'.repeat(64)}`;

describe('admin section', () => {
  it('accepts a complete admin section', () => {
    const config = {
      ...validConfig(),
      admin: {
        enabled: true,
        listen: { address: '::1', port: 9901 },
        tokens: [
          { name: 'ci', hash: HASH, scopes: ['read', 'write'] },
          { name: 'ops', hash: HASH, scopes: ['admin'] },
        ],
        maxBodyBytes: 1_048_576,
        allowedHosts: ['admin.example.com', '10.0.0.5', '[fd00::1]'],
      },
    };
    expect(validateConfig(config).ok).toBe(true);
  });

  it('reports a duplicate token name at its later use', () => {
    const config = { ...validConfig(), admin: { tokens: [{ name: 'ci', hash: HASH, scopes: ['read'] }, { name: 'ci', hash: HASH, scopes: ['write'] }] } };
    expect(pointersOf(config)).toEqual(['/admin/tokens/1/name']);
  });

  it('needs an IP literal to listen on', () => {
    expect(pointersOf({ ...validConfig(), admin: { listen: { address: 'localhost' } } })).toEqual(['/admin/listen/address']);
    expect(pointersOf({ ...validConfig(), admin: { listen: { address: '[::1]' } } })).toEqual(['/admin/listen/address']);
  });

  it('refuses the port of a proxy listener on an overlapping address', () => {
    // validConfig has "public" on 127.0.0.1:8080 and "internal" on ::1:8081.
    expect(pointersOf({ ...validConfig(), admin: { listen: { port: 8080 } } })).toEqual(['/admin/listen/port']);
    expect(pointersOf({ ...validConfig(), admin: { listen: { address: '0.0.0.0', port: 8080 } } })).toEqual(['/admin/listen/port']);
    expect(pointersOf({ ...validConfig(), admin: { listen: { address: '::', port: 8081 } } })).toEqual(['/admin/listen/port']);
    expect(validateConfig({ ...validConfig(), admin: { listen: { address: '127.0.0.2', port: 8080 } } }).ok).toBe(true);
    expect(validateConfig({ ...validConfig(), admin: { enabled: false, listen: { port: 8080 } } }).ok).toBe(true);
    expect(validateConfig({ ...validConfig(), admin: { listen: { port: 0 } } }).ok).toBe(true);
  });

  it('rejects a plaintext token, an unknown scope and unknown keys through the schema', () => {
    const config = {
      ...validConfig(),
      admin: { tokens: [{ name: 'ci', hash: 'weir_plaintext', scopes: ['read', 'root'] }], listen: { addr: '127.0.0.1' } },
    };
    expect(pointersOf(config)).toEqual(['/admin/listen/addr', '/admin/tokens/0/hash', '/admin/tokens/0/scopes/1']);
  });

  it('rejects a host with a port or a scheme in allowedHosts', () => {
    const config = { ...validConfig(), admin: { allowedHosts: ['admin.example.com:9901', 'http://x'] } };
    expect(pointersOf(config)).toEqual(['/admin/allowedHosts/0', '/admin/allowedHosts/1']);
  });
});
