import { ADMIN_ROUTES, hasScope, isJsonContentType, matchAdminRoute } from '../../src/admin/index';

describe('admin routes', () => {
  it('matches exact paths and parameters, and lists the allowed methods otherwise', () => {
    expect(matchAdminRoute('GET', '/admin/config')).toMatchObject({ kind: 'found', route: { operation: 'getConfig' } });
    expect(matchAdminRoute('POST', '/admin/config')).toMatchObject({ kind: 'found', route: { operation: 'applyConfig' } });
    expect(matchAdminRoute('GET', '/admin/config/versions/a%2Fb')).toEqual({ kind: 'found', route: expect.objectContaining({ operation: 'getVersion' }), params: { id: 'a/b' } });
    expect(matchAdminRoute('PUT', '/admin/config')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'POST'] });
    expect(matchAdminRoute('GET', '/admin/config/versions/%E0')).toEqual({ kind: 'not-found' });
    expect(matchAdminRoute('GET', '/admin/config/versions/')).toEqual({ kind: 'not-found' });
    expect(matchAdminRoute('GET', '/ADMIN/config')).toEqual({ kind: 'not-found' });
  });

  it('never lets a GET carry a body or skip authentication, except the liveness probe', () => {
    for (const route of ADMIN_ROUTES) {
      if (route.method === 'GET') expect([route.path, route.body]).toEqual([route.path, null]);
      if (route.scope === null) expect(route.operation).toBe('getHealth');
      // Only a token's own description is open to every valid token, whatever its scopes.
      if (route.scope === 'any') expect([route.method, route.path]).toEqual(['GET', '/admin/token']);
    }
    const keys = ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has admin imply every scope', () => {
    expect(hasScope(['admin'], 'write')).toBe(true);
    expect(hasScope(['read'], 'write')).toBe(false);
    expect(hasScope(['write'], 'read')).toBe(false);
    expect(hasScope([], 'read')).toBe(false);
  });

  it('accepts JSON content types only', () => {
    expect(isJsonContentType('application/json')).toBe(true);
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/json; charset=latin1')).toBe(false);
    expect(isJsonContentType('application/jsonx')).toBe(false);
    expect(isJsonContentType('text/json')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});
