import { WeirError } from '@weir/errors';
import { buildSpec } from '@weir/runtime';
import { AdminHarness, TOKENS, configWith } from './support/admin-harness';

/**
 * Every endpoint of the admin API, happy path and errors, against a real AdminServer and
 * ApplyManager with a fake fleet.
 */
describe('admin API endpoints', () => {
  let h: AdminHarness;

  beforeEach(async () => {
    h = await AdminHarness.start();
  });

  afterEach(async () => {
    await h.close();
  });

  it('GET /admin/health answers without a token', async () => {
    expect.assertions(3);
    const answer = await h.call('GET', '/admin/health');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: 'ok' });
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('GET /admin/config returns the running config with its version as ETag, and 304 on If-None-Match', async () => {
    expect.assertions(4);
    const answer = await h.call('GET', '/admin/config', { token: TOKENS.reader });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(configWith('one'));
    expect(answer.headers.etag).toBe(`"${h.version}"`);
    const again = await h.call('GET', '/admin/config', { token: TOKENS.reader, headers: { 'if-none-match': answer.headers.etag } });
    expect(again.status).toBe(304);
  });

  it('POST /admin/config applies a new config and names the new version', async () => {
    expect.assertions(6);
    const before = h.version;
    const answer = await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('two') });
    const expected = buildSpec(configWith('two'));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ changed: true, version: expected.version, hash: expected.hash, previousVersion: before, durationMs: expect.any(Number) });
    expect(answer.headers.etag).toBe(`"${expected.version}"`);
    expect(h.version).toBe(expected.version);
    expect(h.history.list()[0]).toMatchObject({ version: expected.version, source: 'admin', principal: 'writer' });
    expect(h.log.withMsg('admin audit')).toEqual([
      expect.objectContaining({ audit: true, action: 'apply', principal: 'writer', source: 'admin', oldVersion: before, newVersion: expected.version, outcome: 'applied' }),
    ]);
  });

  it('POST /admin/config with the running config is a no-op that says so', async () => {
    expect.assertions(3);
    const answer = await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('one') });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ changed: false, version: h.version, hash: expect.any(String), previousVersion: h.version });
    expect(h.fleet.calls).toHaveLength(1);
  });

  it('POST /admin/config rejects an invalid config with 400 and JSON pointers, and keeps the running version', async () => {
    expect.assertions(4);
    const before = h.version;
    const bad = { listeners: [{ name: 'main', port: 70000 }], routes: [{ name: 'r', upstream: 'missing' }], admin: configWith('').admin };
    const answer = await h.call('POST', '/admin/config', { token: TOKENS.writer, body: bad });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID', status: 400, details: expect.arrayContaining([expect.objectContaining({ pointer: '/listeners/0/port' })]) });
    expect(h.version).toBe(before);
    expect(h.log.withMsg('admin audit')).toEqual([expect.objectContaining({ outcome: 'rejected', code: 'WEIR_ERR_CONFIG_INVALID' })]);
  });

  it('POST /admin/config with a body that is not JSON is 400 WEIR_ERR_CONFIG_PARSE', async () => {
    expect.assertions(2);
    const answer = await h.call('POST', '/admin/config', { token: TOKENS.writer, raw: '{"listeners": [', headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('WEIR_ERR_CONFIG_PARSE');
  });

  it('a worker nack is 422 with its reason, a timeout 504, and neither changes the running version', async () => {
    expect.assertions(5);
    const before = h.version;
    h.fleet.failWith = new WeirError('WEIR_ERR_APPLY_REJECTED', 'worker 42 rejected version v-x: WEIR_ERR_LISTEN: port in use');
    const nack = await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('two') });
    expect(nack.status).toBe(422);
    expect(nack.json.error).toEqual({ code: 'WEIR_ERR_APPLY_REJECTED', status: 422, message: expect.stringContaining('port in use') });
    h.fleet.failWith = new WeirError('WEIR_ERR_APPLY_TIMEOUT', 'worker 42 did not ack');
    const timeout = await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('three') });
    expect(timeout.status).toBe(504);
    expect(timeout.json.error.code).toBe('WEIR_ERR_APPLY_TIMEOUT');
    expect(h.version).toBe(before);
  });

  it('POST /admin/config/validate checks, names the would-be version and diffs, applying nothing', async () => {
    expect.assertions(5);
    const before = h.version;
    const next = { ...configWith('two'), routes: [...configWith('two').routes, { name: 'extra', directResponse: { status: 204 } }] };
    const answer = await h.call('POST', '/admin/config/validate', { token: TOKENS.reader, body: next });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ valid: true, version: buildSpec(next).version, runningVersion: before, changed: true, requiredScope: 'write' });
    expect(answer.json.diff.summary).toEqual(['+ route "extra"', '~ route "hello": directResponse']);
    expect(h.version).toBe(before);
    const invalid = await h.call('POST', '/admin/config/validate', { token: TOKENS.reader, body: { listeners: [], routes: [] } });
    expect(invalid.json.error).toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID', details: [expect.objectContaining({ pointer: '/listeners' })] });
  });

  it('validate says when a change needs the admin scope', async () => {
    expect.assertions(2);
    const next = configWith('one', { tokens: [], maxBodyBytes: 2048 });
    const answer = await h.call('POST', '/admin/config/validate', { token: TOKENS.reader, body: next });
    expect(answer.json.requiredScope).toBe('admin');
    expect(answer.json.diff.settings.changed).toEqual([{ name: 'admin.tokens', fields: [] }]);
  });

  it('GET /admin/config/versions and /versions/{id} list and return kept versions', async () => {
    expect.assertions(5);
    await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('two') });
    const list = await h.call('GET', '/admin/config/versions', { token: TOKENS.reader });
    expect(list.status).toBe(200);
    expect(list.json.versions.map((v: { source: string; current: boolean }) => [v.source, v.current])).toEqual([
      ['admin', true],
      ['file', false],
    ]);
    const first = await h.call('GET', `/admin/config/versions/${list.json.versions[1].id}`, { token: TOKENS.reader });
    expect(first.json).toMatchObject({ id: '1', source: 'file', current: false, config: configWith('one') });
    const missing = await h.call('GET', '/admin/config/versions/999', { token: TOKENS.reader });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('WEIR_ERR_ADMIN_VERSION_NOT_FOUND');
  });

  it('POST /admin/config/rollback re-applies a kept version through the same apply, by id or by version', async () => {
    expect.assertions(7);
    const v1 = h.version;
    await h.call('POST', '/admin/config', { token: TOKENS.writer, body: configWith('two') });
    const v2 = h.version;
    const back = await h.call('POST', '/admin/config/rollback', { token: TOKENS.writer, body: { id: '1' } });
    expect(back.status).toBe(200);
    expect(back.json).toMatchObject({ changed: true, version: v1, previousVersion: v2, rolledBackTo: '1' });
    expect(h.version).toBe(v1);
    expect(h.history.list()[0]).toMatchObject({ version: v1, source: 'rollback', principal: 'writer' });
    const forward = await h.call('POST', '/admin/config/rollback', { token: TOKENS.writer, body: { version: v2 } });
    expect(forward.json).toMatchObject({ changed: true, version: v2 });
    const unknown = await h.call('POST', '/admin/config/rollback', { token: TOKENS.writer, body: { version: 'v-nope' } });
    expect(unknown.json.error.code).toBe('WEIR_ERR_ADMIN_VERSION_NOT_FOUND');
    const malformed = await h.call('POST', '/admin/config/rollback', { token: TOKENS.writer, body: { id: 1 } });
    expect(malformed.json.error.code).toBe('WEIR_ERR_BAD_REQUEST');
  });

  it('GET /admin/status reports the primary, the running config, the last apply and each worker', async () => {
    expect.assertions(1);
    const answer = await h.call('GET', '/admin/status', { token: TOKENS.reader });
    expect(answer.json).toEqual({
      primary: { pid: process.pid, version: '9.9.9', node: process.version, startedAt: expect.any(String), uptimeMs: expect.any(Number) },
      config: { version: h.version, hash: expect.any(String), source: 'file', principal: null },
      lastApply: expect.objectContaining({ version: h.version, source: 'file', outcome: 'applied' }),
      rollout: null,
      pull: null,
      jwks: [],
      certificates: [],
      workers: [
        { index: 0, pid: 101, state: 'ready', version: h.version, restarts: 0, uptimeMs: 1000, inFlight: null, candidateVersion: null, candidatePercent: null },
        { index: 1, pid: 102, state: 'ready', version: h.version, restarts: 2, uptimeMs: 500, inFlight: 3, candidateVersion: null, candidatePercent: 0 },
      ],
    });
  });

  it('GET /admin/openapi.json serves the document', async () => {
    expect.assertions(3);
    const answer = await h.call('GET', '/admin/openapi.json', { token: TOKENS.reader });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json).toMatchObject({ openapi: '3.1.0', info: { version: '9.9.9' } });
  });

  it('GET /metrics is 404 without a metrics source', async () => {
    expect.assertions(1);
    expect((await h.call('GET', '/metrics', { token: TOKENS.reader })).json.error.code).toBe('WEIR_ERR_ADMIN_NOT_FOUND');
  });

  it('answers 404 for unknown paths and 405 with Allow for wrong methods; a GET never mutates', async () => {
    expect.assertions(7);
    const unknown = await h.call('GET', '/admin/nope', { token: TOKENS.reader });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'WEIR_ERR_ADMIN_NOT_FOUND']);
    expect((await h.call('GET', '/admin/config/', { token: TOKENS.reader })).status).toBe(404);
    const wrong = await h.call('DELETE', '/admin/config', { token: TOKENS.admin });
    expect([wrong.status, wrong.json.error.code]).toEqual([405, 'WEIR_ERR_ADMIN_METHOD_NOT_ALLOWED']);
    expect(wrong.headers.allow).toBe('GET, POST');
    const getRollback = await h.call('GET', '/admin/config/rollback', { token: TOKENS.admin });
    expect([getRollback.status, getRollback.headers.allow]).toEqual([405, 'POST']);
    expect((await h.call('POST', '/admin/health')).status).toBe(405);
    expect(h.fleet.calls).toHaveLength(1);
  });

  it('refuses a write body that is not application/json with 415', async () => {
    expect.assertions(3);
    const text = await h.call('POST', '/admin/config', { token: TOKENS.writer, raw: JSON.stringify(configWith('two')), headers: { 'content-type': 'text/plain' } });
    expect([text.status, text.json.error.code]).toEqual([415, 'WEIR_ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE']);
    const none = await h.call('POST', '/admin/config', { token: TOKENS.writer, raw: JSON.stringify(configWith('two')) });
    expect(none.status).toBe(415);
    const charset = await h.call('POST', '/admin/config', { token: TOKENS.writer, raw: JSON.stringify(configWith('two')), headers: { 'content-type': 'application/json; charset=UTF-8' } });
    expect(charset.status).toBe(200);
  });
});
