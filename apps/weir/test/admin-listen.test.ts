import { resolveAdminListen } from '../src/admin-listen';

describe('resolveAdminListen', () => {
  it('uses the config, with defaults, unless WEIR_ADMIN_LISTEN says otherwise', () => {
    expect(resolveAdminListen(undefined, {})).toEqual({ ok: true, listen: { address: '127.0.0.1', port: 9901 } });
    expect(resolveAdminListen({ listen: { port: 9000 } }, {})).toEqual({ ok: true, listen: { address: '127.0.0.1', port: 9000 } });
    expect(resolveAdminListen({ enabled: false }, {})).toEqual({ ok: true, listen: null });
    expect(resolveAdminListen({ enabled: false }, { WEIR_ADMIN_LISTEN: '127.0.0.1:0' })).toEqual({ ok: true, listen: { address: '127.0.0.1', port: 0 } });
    expect(resolveAdminListen(undefined, { WEIR_ADMIN_LISTEN: '[::1]:9902' })).toEqual({ ok: true, listen: { address: '::1', port: 9902 } });
    expect(resolveAdminListen(undefined, { WEIR_ADMIN_LISTEN: 'off' })).toEqual({ ok: true, listen: null });
  });

  it('refuses a malformed WEIR_ADMIN_LISTEN', () => {
    for (const value of ['localhost:9901', '127.0.0.1', '::1:9901', '127.0.0.1:70000', '1.2.3:80']) {
      expect(resolveAdminListen(undefined, { WEIR_ADMIN_LISTEN: value })).toMatchObject({ ok: false });
    }
  });
});
