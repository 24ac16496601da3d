import Ajv2020 from 'ajv/dist/2020';
import { configSchema } from '@weir/config';
import { ADMIN_ROUTES, adminOpenApiDocument } from '../../src/admin/index';
import { AdminHarness, TOKENS, configWith } from './support/admin-harness';

type Json = Record<string, any>;

describe('admin OpenAPI document', () => {
  const doc = adminOpenApiDocument('1.2.3') as Json;

  it('lists every implemented route, and nothing else', () => {
    const documented = Object.entries(doc['paths'] as Json).flatMap(([path, item]) => Object.keys(item as Json).map((method) => `${method.toUpperCase()} ${path}`));
    const implemented = ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(documented.sort()).toEqual(implemented.sort());
    for (const route of ADMIN_ROUTES) {
      const operation = doc['paths'][route.path][route.method.toLowerCase()];
      expect({ route: route.operation, id: operation.operationId, scope: operation['x-weir-scope'] }).toEqual({ route: route.operation, id: route.operation, scope: route.scope });
      expect(operation.security).toEqual(route.scope === null ? [] : undefined);
      // 403 is documented where a scope can be missing: not for a route any valid token may call.
      expect([route.operation, operation.responses['403'] !== undefined]).toEqual([route.operation, route.scope !== null && route.scope !== 'any']);
    }
  });

  it('uses the published config schema itself as the config request body', () => {
    expect(doc['components']['schemas']['WeirConfig']).toBe(configSchema);
    for (const route of ADMIN_ROUTES.filter((r) => r.body === 'config')) {
      const body = doc['paths'][route.path]['post']['requestBody'];
      expect(body.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WeirConfig' });
    }
  });

  it('resolves every $ref it contains', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (typeof node === 'object' && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/')) refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc['paths']);
    walk(doc['components']['schemas']);
    for (const ref of refs) {
      const target = ref.slice(2).split('/').reduce<any>((node, key) => node?.[key], doc);
      expect({ ref, found: target !== undefined }).toEqual({ ref, found: true });
    }
  });

  describe('matches what the server sends', () => {
    let h: AdminHarness;
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema(doc, 'openapi');
    const check = (schema: string, body: unknown): unknown => {
      const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`);
      if (validate === undefined) throw new Error(`no schema ${schema}`);
      return validate(body) ? [] : validate.errors;
    };

    beforeAll(async () => {
      h = await AdminHarness.start();
    });

    afterAll(async () => {
      await h.close();
    });

    it('rejects what does not match (the check is real)', () => {
      expect(check('Health', { status: 'down' })).not.toEqual([]);
      expect(check('TokenInfo', { name: 'ci', scopes: ['root'] })).not.toEqual([]);
      expect(check('TokenInfo', { name: 'ci', scopes: ['read'], hash: 'sha256$x$y' })).not.toEqual([]);
      expect(check('WeirConfig', { listeners: [] })).not.toEqual([]);
      expect(check('ApplyResult', { changed: true })).not.toEqual([]);
    });

    it('for each body kind', async () => {
      expect.assertions(10);
      expect(check('Health', (await h.call('GET', '/admin/health')).json)).toEqual([]);
      expect(check('TokenInfo', (await h.call('GET', '/admin/token', { token: TOKENS.admin })).json)).toEqual([]);
      expect(check('WeirConfig', (await h.call('GET', '/admin/config', { token: TOKENS.reader })).json)).toEqual([]);
      expect(check('ValidateResult', (await h.call('POST', '/admin/config/validate', { token: TOKENS.reader, body: configWith('two') })).json)).toEqual([]);
      expect(check('ApplyResult', (await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('two') })).json)).toEqual([]);
      expect(check('ApplyResult', (await h.call('POST', '/admin/config/rollback', { token: TOKENS.writer, body: { id: '1' } })).json)).toEqual([]);
      expect(check('VersionList', (await h.call('GET', '/admin/config/versions', { token: TOKENS.reader })).json)).toEqual([]);
      expect(check('StoredVersion', (await h.call('GET', '/admin/config/versions/1', { token: TOKENS.reader })).json)).toEqual([]);
      expect(check('Status', (await h.call('GET', '/admin/status', { token: TOKENS.reader })).json)).toEqual([]);
      expect(check('Error', (await h.call('POST', '/admin/config', { token: TOKENS.writer, body: { listeners: [] } })).json)).toEqual([]);
    });
  });
});
