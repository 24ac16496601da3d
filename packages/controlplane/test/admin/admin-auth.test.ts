import * as http from 'node:http';
import * as net from 'node:net';
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
      h = await AdminHarness.start(configWith('one'), { metrics: { metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'weir_up 1\n' }), families: async () => [] } });
    });

    /** A request for `route` that would succeed with the right scope, changing nothing. */
    const probe = (path: string, method: string, token: string | undefined) =>
      h.call(method, path.replace('{id}', '1'), {
        ...(token === undefined ? {} : { token }),
        ...(method === 'POST' ? { body: path.endsWith('rollback') ? { id: '1' } : configWith('one') } : {}),
      });

    // Rollout routes change state with every success; they have their own test below. The cache
    // purge needs a cached route and a purger: admin-cache.test.ts checks its scope.
    // GET /admin/token takes any valid token: its own test below.
    it.each(ADMIN_ROUTES.filter((r) => r.scope !== null && r.scope !== 'any' && !r.path.startsWith('/admin/rollouts') && r.operation !== 'purgeCache').map((r) => [r.method, r.path, r.scope] as const))(
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

    it('GET /admin/token: name and scopes for any valid token (one without read too), never the hash; 401 otherwise', async () => {
      expect.assertions(7);
      const answers = await Promise.all([TOKENS.reader, TOKENS.writer, TOKENS.roller, TOKENS.admin].map((token) => h.call('GET', '/admin/token', { token })));
      expect(answers.map((a) => [a.status, a.json])).toEqual([
        [200, { name: 'reader', scopes: ['read'] }],
        [200, { name: 'writer', scopes: ['read', 'write'] }],
        [200, { name: 'roller', scopes: ['rollout'] }],
        [200, { name: 'ops', scopes: ['admin'] }],
      ]);
      for (const answer of answers) expect(JSON.stringify(answer.json)).not.toMatch(/sha256/);
      const bad = await h.call('GET', '/admin/token', { token: 'weir_not-a-real-token' });
      expect([bad.status, bad.json.error.code, h.log.withMsg('admin auth failed').length]).toEqual([401, 'WEIR_ERR_ADMIN_UNAUTHORIZED', 1]);
      // Reading is not a side door: the token without read still gets 403 on everything else.
      expect((await h.call('GET', '/admin/status', { token: TOKENS.roller })).status).toBe(403);
    });

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
      expect.assertions(7);
      for (let i = 0; i < 10; i++) await h.call('GET', '/admin/status', { token: 'weir_wrong' });
      const limited = await h.call('GET', '/admin/status', { token: 'weir_wrong' });
      expect([limited.status, limited.json.error.code, limited.headers['retry-after']]).toEqual([429, 'WEIR_ERR_ADMIN_RATE_LIMITED', '6']);
      // Every failure is throttled, a missing token too; the liveness probe needs none.
      expect((await h.call('GET', '/admin/status')).status).toBe(429);
      expect((await h.call('GET', '/admin/health')).status).toBe(200);
      h.clock.ms += 5_999;
      expect((await h.call('GET', '/admin/status', { token: 'weir_wrong' })).status).toBe(429);
      h.clock.ms += 1;
      // One token refilled: one more failure is answered (and logged), the next is refused again.
      const answered = await h.call('GET', '/admin/status', { token: 'weir_wrong' });
      const refused = await h.call('GET', '/admin/status', { token: 'weir_wrong' });
      expect([answered.status, answered.json.error.code, refused.status]).toEqual([401, 'WEIR_ERR_ADMIN_UNAUTHORIZED', 429]);
      // Refused failures are neither counted nor logged: 11 lines for 11 answered failures.
      expect(h.log.withMsg('admin auth failed')).toHaveLength(11);
      expect(h.log.withMsg('admin auth failed').every((l) => l['remoteAddress'] === '127.0.0.1')).toBe(true);
    });

    it('serves a valid token from a throttled address (issue 15: a bad token every 6 s locked operators out)', async () => {
      expect.assertions(5);
      for (let i = 0; i < 10; i++) await h.call('GET', '/admin/status', { token: 'weir_wrong' });
      expect((await h.call('GET', '/admin/status', { token: 'weir_wrong' })).status).toBe(429);
      expect((await h.call('GET', '/admin/status', { token: TOKENS.reader })).status).toBe(200);
      // Scopes still apply to a valid token: 403, not 429 and not counted as a failure.
      const forbidden = await h.call('POST', '/admin/config', { token: TOKENS.reader, body: configWith('one') });
      expect([forbidden.status, forbidden.json.error.code]).toEqual([403, 'WEIR_ERR_ADMIN_FORBIDDEN']);
      expect((await h.call('GET', '/metrics', { token: TOKENS.reader })).status).toBe(200);
      expect((await h.call('GET', '/admin/status', { token: 'weir_wrong' })).json.error.code).toBe('WEIR_ERR_ADMIN_RATE_LIMITED');
    });

    it('closes the connection after refusing a request whose body it did not read', async () => {
      expect.assertions(2);
      const answer = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: h.port, method: 'POST', path: '/admin/config', agent: false, headers: { host: '127.0.0.1', 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
            req.destroy();
          },
        );
        req.on('error', reject);
        // Half a body, never ended: the server answers 401 without waiting for the rest.
        req.write('{"workers":');
      });
      expect(answer.status).toBe(401);
      expect(answer.connection).toBe('close');
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

  describe('connections', () => {
    const sockets: net.Socket[] = [];
    afterEach(() => {
      for (const socket of sockets.splice(0)) socket.destroy();
    });

    /** A raw connection, resolved once the server has taken it. */
    const connect = async (): Promise<net.Socket> => {
      const socket = net.connect(h.port, '127.0.0.1');
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.resume();
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      return socket;
    };
    const closed = (socket: net.Socket): Promise<void> => new Promise((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
    /** One keep-alive request on `socket`; resolves with the status line. */
    const ask = (socket: net.Socket, path: string, token?: string): Promise<string> =>
      new Promise((resolve) => {
        socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1').split('\r\n')[0] ?? ''));
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${token === undefined ? '' : `Authorization: Bearer ${token}\r\n`}\r\n`);
      });

    it('at the connection cap, sheds silent connections before an authenticated one, and answers the newcomer', async () => {
      expect.assertions(4);
      h = await AdminHarness.start(configWith('one'), { connections: { maxConnections: 3 } });
      const operator = await connect();
      expect(await ask(operator, '/admin/status', TOKENS.reader)).toBe('HTTP/1.1 200 OK');
      const silent = [await connect(), await connect()];
      const probe = await connect();
      await closed(silent[0] as net.Socket);
      expect(await ask(probe, '/admin/health')).toBe('HTTP/1.1 200 OK');
      // One newcomer, one shed: the other silent connection first; then, of the idle ones,
      // the oldest unauthenticated (the probe), never the operator's.
      const newcomer = await connect();
      await closed(silent[1] as net.Socket);
      expect(await ask(newcomer, '/admin/health')).toBe('HTTP/1.1 200 OK');
      await connect();
      await closed(probe);
      expect(await ask(operator, '/admin/status', TOKENS.reader)).toBe('HTTP/1.1 200 OK');
    });

    it('closes connections that never sent a request when it closes', async () => {
      expect.assertions(1);
      h = await AdminHarness.start(configWith('one'));
      const silent = await connect();
      await h.server.close();
      await closed(silent);
      expect(silent.destroyed).toBe(true);
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
