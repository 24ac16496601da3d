import Ajv2020 from 'ajv/dist/2020';
import type { WeirConfig } from '@weir/config';
import type { CachePurgeResult, CachePurgeTarget } from '@weir/cluster/primary';
import { WeirError } from '@weir/errors';
import { adminOpenApiDocument, type CachePurger } from '../../src/admin/index';
import { AdminHarness, TOKENS, TOKEN_ENTRIES } from './support/admin-harness';

/** A config with a cached route (`api`), a forwarding route without a cache and a direct response. */
function cachedConfig(): WeirConfig {
  return {
    workers: 2,
    listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
    upstreams: [{ name: 'app', endpoints: [{ address: '127.0.0.1:9000' }] }],
    routes: [
      { name: 'api', match: { path: { prefix: '/api/' } }, upstream: 'app', cache: {} },
      { name: 'plain', match: { path: { prefix: '/plain/' } }, upstream: 'app' },
      { name: 'hello', directResponse: { status: 200, body: 'hi' } },
    ],
    admin: { tokens: TOKEN_ENTRIES },
  };
}

/** Records purges and answers with `next` (or throws it). */
class FakePurger implements CachePurger {
  readonly calls: { route: string; target: CachePurgeTarget; timeoutMs: number | undefined }[] = [];
  next: CachePurgeResult | Error = {
    workers: [
      { index: 0, pid: 101, purged: 2 },
      { index: 1, pid: 102, purged: 3 },
    ],
    missing: [],
    exited: [],
  };

  async purgeCache(route: string, target: CachePurgeTarget, timeoutMs?: number): Promise<CachePurgeResult> {
    this.calls.push({ route, target, timeoutMs });
    if (this.next instanceof Error) throw this.next;
    return this.next;
  }
}

/** `POST /admin/cache/purge` (issue 10) against a real AdminServer and ApplyManager, with a fake purger. */
describe('admin API cache purge', () => {
  let h: AdminHarness;
  let purger: FakePurger;
  const doc = adminOpenApiDocument('1.2.3');
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(doc, 'openapi');
  const check = (schema: string, body: unknown): unknown => {
    const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`);
    if (validate === undefined) throw new Error(`no schema ${schema}`);
    return validate(body) ? [] : validate.errors;
  };
  const purge = (body: unknown, token: string = TOKENS.writer) => h.call('POST', '/admin/cache/purge', { body, token });

  beforeEach(async () => {
    purger = new FakePurger();
    h = await AdminHarness.start(cachedConfig(), { cache: purger });
  });

  afterEach(async () => {
    await h.close();
  });

  it('purges a prefix on every worker and answers with each worker\'s count and the total', async () => {
    expect.assertions(5);
    const answer = await purge({ route: 'api', prefix: 'http://example.com/api/' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      route: 'api',
      prefix: 'http://example.com/api/',
      purged: 5,
      workers: [
        { index: 0, pid: 101, purged: 2 },
        { index: 1, pid: 102, purged: 3 },
      ],
      exited: [],
    });
    expect(check('CachePurgeResult', answer.json)).toEqual([]);
    expect(purger.calls).toEqual([{ route: 'api', target: { prefix: 'http://example.com/api/' }, timeoutMs: 5000 }]);
    expect(h.log.withMsg('admin audit')).toEqual([
      expect.objectContaining({ level: 'info', audit: true, action: 'purge-cache', principal: 'writer', route: 'api', prefix: 'http://example.com/api/', outcome: 'purged', purged: 5 }),
    ]);
  });

  it('purges an exact key, and reports workers that exited meanwhile apart', async () => {
    expect.assertions(3);
    purger.next = { workers: [{ index: 0, pid: 101, purged: 1 }], missing: [], exited: [{ index: 1, pid: 102 }] };
    const answer = await purge({ route: 'api', key: 'https://example.com/api/a?b=1' }, TOKENS.admin);
    expect([answer.status, answer.json]).toEqual([200, { route: 'api', key: 'https://example.com/api/a?b=1', purged: 1, workers: [{ index: 0, pid: 101, purged: 1 }], exited: [{ index: 1, pid: 102 }] }]);
    expect(check('CachePurgeResult', answer.json)).toEqual([]);
    expect(purger.calls.map((c) => c.target)).toEqual([{ key: 'https://example.com/api/a?b=1' }]);
  });

  it('answers 504 WEIR_ERR_CACHE_PURGE_TIMEOUT naming the workers that did not acknowledge, and audits a partial purge', async () => {
    expect.assertions(5);
    purger.next = { workers: [{ index: 0, pid: 101, purged: 4 }], missing: [{ index: 1, pid: 102 }], exited: [] };
    const answer = await purge({ route: 'api', key: 'http://example.com/api/x' });
    expect([answer.status, answer.json.error.code]).toEqual([504, 'WEIR_ERR_CACHE_PURGE_TIMEOUT']);
    expect(answer.json.error.message).toContain('worker 1 (pid 102) did not acknowledge');
    expect(answer.json.error.message).toContain('partial');
    expect(check('Error', answer.json)).toEqual([]);
    expect(h.log.withMsg('admin audit')).toEqual([
      expect.objectContaining({ level: 'warn', action: 'purge-cache', outcome: 'partial', purged: 4, missingWorkers: [102], code: 'WEIR_ERR_CACHE_PURGE_TIMEOUT' }),
    ]);
  });

  it.each([
    ['neither key nor prefix', { route: 'api' }],
    ['both key and prefix', { route: 'api', key: 'http://x/', prefix: 'http://x/' }],
    ['no route', { key: 'http://x/' }],
    ['an empty route', { route: '', key: 'http://x/' }],
    ['a key that is not an http(s) URL', { route: 'api', key: '/api/x' }],
    ['a prefix that is not a string', { route: 'api', prefix: 3 }],
    ['an unknown field', { route: 'api', key: 'http://x/', all: true }],
    ['an array', [{ route: 'api', key: 'http://x/' }]],
  ])('answers 400 WEIR_ERR_BAD_REQUEST for %s, and sends nothing to the workers', async (_what, body) => {
    expect.assertions(3);
    const answer = await purge(body);
    expect([answer.status, answer.json.error.code]).toEqual([400, 'WEIR_ERR_BAD_REQUEST']);
    expect(purger.calls).toEqual([]);
    expect(h.log.withMsg('admin audit')).toEqual([expect.objectContaining({ action: 'purge-cache', outcome: 'rejected', code: 'WEIR_ERR_BAD_REQUEST' })]);
  });

  it.each([
    ['an unknown route', 'missing', 'no route named "missing"'],
    ['a forwarding route without a cache', 'plain', 'has no cache'],
    ['a direct-response route', 'hello', 'has no cache'],
  ])('answers 404 WEIR_ERR_ADMIN_CACHE_ROUTE_NOT_FOUND for %s', async (_what, route, message) => {
    expect.assertions(3);
    const answer = await purge({ route, key: 'http://example.com/' });
    expect([answer.status, answer.json.error.code]).toEqual([404, 'WEIR_ERR_ADMIN_CACHE_ROUTE_NOT_FOUND']);
    expect(answer.json.error.message).toContain(message);
    expect(purger.calls).toEqual([]);
  });

  it('needs a token with the write scope', async () => {
    expect.assertions(4);
    const body = { route: 'api', key: 'http://example.com/api/' };
    expect((await h.call('POST', '/admin/cache/purge', { body })).json.error.code).toBe('WEIR_ERR_ADMIN_UNAUTHORIZED');
    expect((await purge(body, TOKENS.reader)).json.error.code).toBe('WEIR_ERR_ADMIN_FORBIDDEN');
    expect((await purge(body, TOKENS.roller)).status).toBe(403);
    expect(purger.calls).toEqual([]);
  });

  it('passes the fleet\'s refusal through (503 while draining), audited as rejected', async () => {
    expect.assertions(2);
    purger.next = new WeirError('WEIR_ERR_DRAINING', 'the fleet is draining; cache purge refused');
    const answer = await purge({ route: 'api', prefix: 'http://example.com/' });
    expect([answer.status, answer.json.error.code]).toEqual([503, 'WEIR_ERR_DRAINING']);
    expect(h.log.withMsg('admin audit')).toEqual([expect.objectContaining({ outcome: 'rejected', code: 'WEIR_ERR_DRAINING', route: 'api' })]);
  });

  it('documents the endpoint: write scope, the request body and the answers', () => {
    const operation = (doc['paths'] as any)['/admin/cache/purge'].post;
    expect(operation['x-weir-scope']).toBe('write');
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '503', '504', '401', '403']));
    expect(check('CachePurgeRequest', { route: 'api', key: 'http://x/' })).toEqual([]);
    expect(check('CachePurgeRequest', { route: 'api', prefix: 'https://x/api/' })).toEqual([]);
    expect(check('CachePurgeRequest', { route: 'api', key: 'http://x/', prefix: 'http://x/' })).not.toEqual([]);
    expect(check('CachePurgeRequest', { route: 'api' })).not.toEqual([]);
    expect(check('CachePurgeResult', { route: 'api', key: 'http://x/', prefix: 'http://x/', purged: 0, workers: [], exited: [] })).not.toEqual([]);
  });
});

describe('admin API cache purge without a purger', () => {
  it('answers 404 WEIR_ERR_ADMIN_NOT_FOUND', async () => {
    expect.assertions(1);
    const h = await AdminHarness.start(cachedConfig());
    try {
      const answer = await h.call('POST', '/admin/cache/purge', { token: TOKENS.writer, body: { route: 'api', key: 'http://x/' } });
      expect([answer.status, answer.json.error.code]).toEqual([404, 'WEIR_ERR_ADMIN_NOT_FOUND']);
    } finally {
      await h.close();
    }
  });
});
