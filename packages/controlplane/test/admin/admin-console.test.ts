import Ajv2020 from 'ajv/dist/2020';
import type { WeirConfig } from '@weir/config';
import type { EndpointHealth, WorkerUpstreamStates } from '@weir/cluster/primary';
import { adminOpenApiDocument } from '../../src/admin/index';
import { AdminHarness, FakeFleetView, TOKENS, TOKEN_ENTRIES, configWith } from './support/admin-harness';

/** The operator console's endpoints (issue 17) on a real AdminServer over fake workers. */
const withUpstreams: WeirConfig = {
  ...configWith('one'),
  routes: [{ name: 'api', upstream: 'api' }],
  upstreams: [{ name: 'api', endpoints: [{ address: '127.0.0.1:9001' }], healthCheck: { path: '/healthz' }, circuitBreaker: { failureRatio: { threshold: 0.5 } } }],
  admin: { tokens: TOKEN_ENTRIES },
};

class ConsoleFleetView extends FakeFleetView {
  async upstreamStates(): Promise<WorkerUpstreamStates[]> {
    return [{ index: 1, pid: 102, version: this.version, upstreams: [{ name: 'api', breaker: 'half-open', endpoints: [{ address: '127.0.0.1:9001', ejected: true, inFlight: 2 }] }] }];
  }
  healthTable(): EndpointHealth[] {
    return [{ upstream: 'api', address: '127.0.0.1:9001', healthy: false }];
  }
}

const doc = adminOpenApiDocument('9.9.9');
const ajv = new Ajv2020({ strict: false, validateFormats: false });
ajv.addSchema(doc, 'openapi');
const check = (schema: string, body: unknown): unknown => {
  const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`);
  if (validate === undefined) throw new Error(`no schema ${schema}`);
  return validate(body) ? [] : validate.errors;
};

describe('admin console endpoints', () => {
  let h: AdminHarness;

  afterEach(async () => {
    await h.close();
  });

  it('GET /admin/upstreams merges the workers\' answers with the primary\'s health', async () => {
    expect.assertions(2);
    const fleet = new ConsoleFleetView();
    h = await AdminHarness.start(withUpstreams, { fleet });
    const answer = await h.call('GET', '/admin/upstreams', { token: TOKENS.reader });
    expect(answer.json).toEqual({
      version: h.version,
      upstreams: [
        {
          name: 'api',
          balancer: 'round_robin',
          breaker: 'half-open',
          endpoints: [{ address: '127.0.0.1:9001', weight: 1, health: 'unhealthy', ejectedWorkers: 1, workers: 1, inFlight: 2 }],
        },
      ],
    });
    expect(check('UpstreamList', answer.json)).toEqual([]);
  });

  it('GET /admin/stats answers the sampled series, checks seconds, and is 404 without metrics', async () => {
    expect.assertions(4);
    h = await AdminHarness.start(configWith('one'), { metrics: { metrics: async () => ({ contentType: 'text/plain', body: '' }), families: async () => [] } });
    const answer = await h.call('GET', '/admin/stats?seconds=60', { token: TOKENS.reader });
    expect([answer.status, answer.json]).toEqual([200, { intervalMs: 2000, samples: [] }]);
    expect(check('StatsSeries', { intervalMs: 2000, samples: [{ at: '2026-12-06T21:00:02.000Z', requestsPerSecond: 1, errorRatio: null, p99Seconds: null, arms: { stable: { requestsPerSecond: 1, errorRatio: 0, p99Seconds: 0.01 }, candidate: null } }] })).toEqual([]);
    const bad = await h.call('GET', '/admin/stats?seconds=5', { token: TOKENS.reader });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'WEIR_ERR_BAD_REQUEST']);
    await h.close();
    h = await AdminHarness.start();
    expect((await h.call('GET', '/admin/stats', { token: TOKENS.reader })).status).toBe(404);
  });

  describe('GET /admin/status long-poll', () => {
    beforeEach(async () => {
      h = await AdminHarness.start();
    });

    it('answers with a weak ETag, and 304 at once to a matching If-None-Match', async () => {
      expect.assertions(4);
      const first = await h.call('GET', '/admin/status', { token: TOKENS.reader });
      expect(first.headers.etag).toMatch(/^W\/"s-[0-9a-f]{16}"$/);
      expect(check('Status', first.json)).toEqual([]);
      const again = await h.call('GET', '/admin/status', { token: TOKENS.reader, headers: { 'if-none-match': first.headers.etag as string } });
      expect([again.status, again.text, again.headers.etag]).toEqual([304, '', first.headers.etag]);
      const other = await h.call('GET', '/admin/status', { token: TOKENS.reader, headers: { 'if-none-match': 'W/"s-0000000000000000"' } });
      expect(other.status).toBe(200);
    });

    it('holds ?wait= until an apply changes the status, then answers 200 with it', async () => {
      expect.assertions(3);
      const etag = (await h.call('GET', '/admin/status', { token: TOKENS.reader })).headers.etag as string;
      const started = Date.now();
      const held = h.call('GET', '/admin/status?wait=30', { token: TOKENS.reader, headers: { 'if-none-match': etag } });
      const applied = await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('two') });
      const answer = await held;
      expect([answer.status, answer.json.config.version]).toEqual([200, applied.json.version]);
      expect(answer.headers.etag).not.toBe(etag);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('answers 304 when the wait ends unchanged, and refuses a bad wait', async () => {
      expect.assertions(3);
      const etag = (await h.call('GET', '/admin/status', { token: TOKENS.reader })).headers.etag as string;
      const started = Date.now();
      const answer = await h.call('GET', '/admin/status?wait=1', { token: TOKENS.reader, headers: { 'if-none-match': etag } });
      expect([answer.status, answer.headers.etag]).toEqual([304, etag]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const bad = await h.call('GET', '/admin/status?wait=61', { token: TOKENS.reader, headers: { 'if-none-match': etag } });
      expect([bad.status, bad.json.error.code]).toEqual([400, 'WEIR_ERR_BAD_REQUEST']);
    });

    it('releases held requests when the server closes', async () => {
      expect.assertions(1);
      const etag = (await h.call('GET', '/admin/status', { token: TOKENS.reader })).headers.etag as string;
      const held = h.call('GET', '/admin/status?wait=60', { token: TOKENS.reader, headers: { 'if-none-match': etag } }).then(
        (a) => a.status,
        () => 'closed',
      );
      // Let the request reach the server and be held.
      for (let i = 0; i < 50 && (h.server as unknown as { statusApi: { held: number } }).statusApi.held === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const started = Date.now();
      await h.server.close();
      await held;
      expect(Date.now() - started).toBeLessThan(1_000);
    });
  });
});
