import { ADMIN_ROUTES } from '../../src/admin/index';
import { AdminHarness, TOKENS, TOKEN_ENTRIES, configWith } from './support/admin-harness';

/** Authentication and hardening: tokens and scopes, the failed-auth throttle, Host, body cap. */
describe('admin API authentication', () => {
  let h: AdminHarness;

  afterEach(async () => {
    await h.close();
  });

  describe('with configured tokens', () => {
    beforeEach(async () => {
      h = await AdminHarness.start(configWith('one'), { metrics: { metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'weir_up 1\n' }) } });
    });

    /** A request for `route` that would succeed with the right scope, changing nothing. */
    const probe = (path: string, method: string, token: string | undefined) =>
      h.call(method, path.replace('{id}', '1'), {
        ...(token === undefined ? {} : { token }),
        ...(method === 'POST' ? { body: path.endsWith('rollback') ? { id: '1' } : configWith('one') } : {}),
      });

    // Rollout routes change state with every success; they have their own test below.
    it.each(ADMIN_ROUTES.filter((r) => r.scope !== null && !r.path.startsWith('/admin/rollouts')).map((r) => [r.method, r.path, r.scope] as const))(
      '%s %s: 401 without or with a bad token, 403 with a wrong scope, success with %s or admin',
      async (method, path, scope) => {
        expect.assertions(6);
        const none = await probe(path, method, undefined);
        expect([none.status, none.json?.error.code, none.headers['www-authenticate']]).toEqual([401, 'WEIR_ERR_ADMIN_UNAUTHORIZED', 'Bearer realm="weir-admin"']);
        const bad = await probe(path, method, 'weir_not-a-real-token');
        expect([bad.status, bad.headers['www-authenticate']]).toEqual([401, 'Bearer realm="weir-admin", error="invalid_token"']);
        const wrong = await probe(path, method, scope === 'read' ? TOKENS.roller : TOKENS.reader);
        expect([wrong.status, wrong.json?.error.code]).toEqual([403, 'WEIR_ERR_ADMIN_FORBIDDEN']);
        const right = await probe(path, method, scope === 'read' ? TOKENS.reader : TOKENS.writer);
        expect(right.status).toBeLessThan(300);
        const admin = await probe(path, method, TOKENS.admin);
        expect(admin.status).toBeLessThan(300);
        expect(h.log.withMsg('admin auth failed').map((l) => l['reason'])).toEqual(['missing', 'unknown token']);
      },
    );

    it('guards the rollout routes: start and actions need rollout (or admin), reading needs read', async () => {
      expect.assertions(11);
      const start = { config: configWith('two') };
      expect((await h.call('POST', '/admin/rollouts', { token: TOKENS.writer, body: start })).status).toBe(403);
      expect((await h.call('POST', '/admin/rollouts', { token: TOKENS.reader, body: start })).status).toBe(403);
      const started = await h.call('POST', '/admin/rollouts', { token: TOKENS.roller, body: start });
      expect([started.status, started.json.state, started.json.principal]).toEqual([201, 'running', 'roller']);
      const id = started.json.id as string;
      expect((await h.call('GET', '/admin/rollouts', { token: TOKENS.roller })).status).toBe(403);
      expect((await h.call('GET', `/admin/rollouts/${id}`, { token: TOKENS.reader })).json.id).toBe(id);
      expect((await h.call('POST', `/admin/rollouts/${id}/pause`, { token: TOKENS.reader })).status).toBe(403);
      expect((await h.call('POST', `/admin/rollouts/${id}/pause`, { token: TOKENS.roller })).json.state).toBe('paused');
      expect((await h.call('POST', `/admin/rollouts/${id}/resume`, { token: TOKENS.admin })).json.state).toBe('running');
      expect((await h.call('POST', `/admin/rollouts/${id}/promote`, { token: TOKENS.roller })).json.stage).toBe(1);
      expect((await h.call('POST', `/admin/rollouts/${id}/abort`, { token: TOKENS.admin })).json.outcome).toMatchObject({ by: 'operator' });
      expect(h.fleet.events.filter((e) => !e.startsWith('start') && !e.startsWith('end'))).toEqual([
        `candidate ${started.json.candidateVersion}`,
        'split 1',
        'split 1',
        'split 10',
        'drop',
      ]);
    });

    it('accepts the scheme in any case and refuses other schemes', async () => {
      expect.assertions(2);
      expect((await h.call('GET', '/admin/config', { headers: { authorization: `bearer ${TOKENS.reader}` } })).status).toBe(200);
      expect((await h.call('GET', '/admin/config', { headers: { authorization: `Basic ${TOKENS.reader}` } })).status).toBe(401);
    });

    it('lets only the admin scope change the admin section', async () => {
      expect.assertions(4);
      const rotated = configWith('one', { tokens: TOKEN_ENTRIES.slice(1) });
      const denied = await h.call('POST', '/admin/config', { token: TOKENS.writer, body: rotated });
      expect([denied.status, denied.json.error.code]).toEqual([403, 'WEIR_ERR_ADMIN_FORBIDDEN']);
      expect(h.log.withMsg('admin audit')).toEqual([expect.objectContaining({ principal: 'writer', outcome: 'rejected', code: 'WEIR_ERR_ADMIN_FORBIDDEN' })]);
      const allowed = await h.call('POST', '/admin/config', { token: TOKENS.admin, body: rotated });
      expect(allowed.json).toMatchObject({ changed: true });
      // The new token list is in force at once: "reader" is gone.
      expect((await h.call('GET', '/admin/config', { token: TOKENS.reader })).status).toBe(401);
    });

    it('throttles failed authentication per address: 10 failures, then 429 with Retry-After, until the bucket refills', async () => {
      expect.assertions(6);
      for (let i = 0; i < 10; i++) await h.call('GET', '/admin/status', { token: 'weir_wrong' });
      const limited = await h.call('GET', '/admin/status', { token: 'weir_wrong' });
      expect([limited.status, limited.json.error.code, limited.headers['retry-after']]).toEqual([429, 'WEIR_ERR_ADMIN_RATE_LIMITED', '6']);
      // Refused even with a valid token: otherwise the endpoint stays an oracle for guessing.
      expect((await h.call('GET', '/admin/status', { token: TOKENS.reader })).status).toBe(429);
      // The liveness probe is not authenticated, so not throttled.
      expect((await h.call('GET', '/admin/health')).status).toBe(200);
      h.clock.ms += 5_999;
      expect((await h.call('GET', '/admin/status', { token: TOKENS.reader })).status).toBe(429);
      h.clock.ms += 1;
      expect((await h.call('GET', '/admin/status', { token: TOKENS.reader })).status).toBe(200);
      // One token refilled, one failure spends it again.
      await h.call('GET', '/admin/status', { token: 'weir_wrong' });
      expect((await h.call('GET', '/admin/status', { token: TOKENS.reader })).status).toBe(429);
    });

    it('refuses a Host header that does not name the API (DNS rebinding), before authentication', async () => {
      expect.assertions(5);
      const rebound = await h.call('GET', '/admin/config', { token: TOKENS.reader, headers: { host: 'evil.example:9901' } });
      expect([rebound.status, rebound.json.error.code]).toEqual([421, 'WEIR_ERR_ADMIN_BAD_HOST']);
      expect((await h.call('GET', '/admin/health', { headers: { host: 'evil.example' } })).status).toBe(421);
      expect((await h.call('GET', '/admin/config', { token: TOKENS.reader, headers: { host: 'localhost:8000' } })).status).toBe(200);
      expect((await h.call('GET', '/admin/config', { token: TOKENS.reader, headers: { host: '[::1]:9901' } })).status).toBe(200);
      expect(h.log.withMsg('admin auth failed')).toEqual([]);
    });

    it('accepts the allowedHosts of the running config', async () => {
      expect.assertions(2);
      const withHost = configWith('one', { tokens: TOKEN_ENTRIES, allowedHosts: ['admin.internal'] });
      expect((await h.call('POST', '/admin/config', { token: TOKENS.admin, body: withHost })).status).toBe(200);
      expect((await h.call('GET', '/admin/config', { token: TOKENS.reader, headers: { host: 'Admin.Internal.:443' } })).status).toBe(200);
    });
  });

  describe('body cap', () => {
    beforeEach(async () => {
      h = await AdminHarness.start(configWith('one', { tokens: TOKEN_ENTRIES, maxBodyBytes: 2048 }));
    });

    it('answers 413 for a declared length over the cap, and for a chunked body as it crosses the cap', async () => {
      expect.assertions(5);
      const declared = await h.call('POST', '/admin/config', { token: TOKENS.writer, raw: 'x'.repeat(4096), headers: { 'content-type': 'application/json' } });
      expect([declared.status, declared.json.error.code]).toEqual([413, 'WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE']);
      expect(declared.headers.connection).toBe('close');
      const chunked = await h.call('POST', '/admin/config', {
        token: TOKENS.writer,
        raw: Buffer.alloc(3000, 0x20),
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      expect([chunked.status, chunked.json.error.code]).toEqual([413, 'WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE']);
      expect(h.fleet.calls).toHaveLength(1);
      const small = await h.call('POST', '/admin/config', { token: TOKENS.admin, body: configWith('two', { tokens: TOKEN_ENTRIES.slice(0, 2), maxBodyBytes: 2048 }) });
      expect(small.status).toBe(200);
    });
  });

  describe('without configured tokens', () => {
    it('accepts the fallback (generated) token as admin, and only while no tokens are configured', async () => {
      expect.assertions(4);
      h = await AdminHarness.start(configWith('one', {}), { fallbackToken: async () => ({ ...TOKEN_ENTRIES[3]!, name: 'bootstrap' }) });
      expect((await h.call('GET', '/admin/config')).status).toBe(401);
      const set = await h.call('POST', '/admin/config', { token: TOKENS.admin, body: configWith('one', { tokens: TOKEN_ENTRIES.slice(0, 2) }) });
      expect(set.status).toBe(200);
      expect(h.log.withMsg('admin audit')).toEqual([expect.objectContaining({ principal: 'bootstrap', outcome: 'applied' })]);
      expect((await h.call('GET', '/admin/config', { token: TOKENS.admin })).status).toBe(401);
    });

    it('fails closed when the fallback token cannot be made', async () => {
      expect.assertions(2);
      h = await AdminHarness.start(configWith('one', {}), {
        fallbackToken: async () => {
          throw new Error('read-only file system');
        },
      });
      expect((await h.call('GET', '/admin/config', { token: TOKENS.admin })).status).toBe(401);
      expect(h.log.withMsg('admin token unavailable').length).toBeGreaterThan(0);
    });
  });
});
