import * as net from 'node:net';
import { AdminCallError, httpError, transportError } from '../src/admin-call-error';
import { AdminClient } from '../src/admin-client';
import { errorReply, StubAdminServer } from './support/stub-admin-server';
import { rolloutFixture } from './support/rollout-fixture';

async function failure(promise: Promise<unknown>): Promise<AdminCallError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AdminCallError)) throw new Error(`expected an AdminCallError, got ${String(err)}`);
  return err;
}

describe('AdminClient', () => {
  let stub: StubAdminServer;
  let client: AdminClient;
  beforeEach(async () => {
    stub = await StubAdminServer.start();
    client = new AdminClient({ url: `${stub.url}/`, token: 'sekret', userAgent: 'weirctl/test' });
  });
  afterEach(async () => {
    await client.close();
    await stub.close();
  });

  it('sends the bearer token and JSON bodies, and the If-Match header as given', async () => {
    expect.assertions(6);
    stub.on('POST', '/admin/config', { status: 200, body: { changed: true, version: 'v-2', hash: 'h', previousVersion: 'v-1', durationMs: 3 } });
    const result = await client.applyConfig('\uFEFF{"routes":[]}', '"v-1"');
    expect(result).toMatchObject({ changed: true, version: 'v-2' });
    const [req] = stub.requests;
    expect(req?.headers['authorization']).toBe('Bearer sekret');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['if-match']).toBe('"v-1"');
    expect(req?.headers['user-agent']).toBe('weirctl/test');
    expect(req?.body).toBe('{"routes":[]}');
  });

  it('reads the running version from the ETag', async () => {
    expect.assertions(1);
    stub.on('GET', '/admin/config', { status: 200, body: { routes: [] }, headers: { etag: '"v-abc"' } });
    expect(await client.getConfig()).toEqual({ config: { routes: [] }, version: 'v-abc' });
  });

  it('calls every rollout endpoint with the documented method, path and body', async () => {
    expect.assertions(2);
    const r = rolloutFixture();
    stub.on('POST', '/admin/rollouts', { status: 201, body: r });
    stub.on('GET', '/admin/rollouts', { status: 200, body: { current: r, rollouts: [r] } });
    stub.on('GET', '/admin/rollouts/7', { status: 200, body: r });
    for (const verb of ['promote', 'pause', 'resume', 'abort']) stub.on('POST', `/admin/rollouts/7/${verb}`, { status: 200, body: r });
    await client.startRollout({ config: {} });
    await client.listRollouts();
    await client.getRollout('7', 30);
    await client.promoteRollout('7', true);
    await client.promoteRollout('7');
    await client.pauseRollout('7');
    await client.resumeRollout('7');
    await client.abortRollout('7');
    expect(stub.requests.map((q) => `${q.method} ${q.path}${q.query.size > 0 ? `?${q.query.toString()}` : ''} ${q.body}`)).toEqual([
      'POST /admin/rollouts {"config":{}}',
      'GET /admin/rollouts ',
      'GET /admin/rollouts/7?wait=30 ',
      'POST /admin/rollouts/7/promote {"full":true}',
      'POST /admin/rollouts/7/promote {}',
      'POST /admin/rollouts/7/pause {}',
      'POST /admin/rollouts/7/resume {}',
      'POST /admin/rollouts/7/abort {}',
    ]);
    expect(stub.requests.filter((q) => q.method === 'POST').every((q) => q.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('maps an error answer to kind http with the status, code and details', async () => {
    expect.assertions(1);
    stub.on('POST', '/admin/config/validate', errorReply(400, 'WEIR_ERR_CONFIG_INVALID', 'bad', [{ pointer: '/listeners/0/port', message: 'too big' }]));
    const err = await failure(client.validateConfig('{}'));
    expect({ kind: err.kind, status: err.status, code: err.code, details: err.details }).toEqual({
      kind: 'http',
      status: 400,
      code: 'WEIR_ERR_CONFIG_INVALID',
      details: [{ pointer: '/listeners/0/port', message: 'too big' }],
    });
  });

  it('reports an answer of the wrong shape or not JSON as WEIRCTL_ERR_UNEXPECTED_ANSWER', async () => {
    expect.assertions(2);
    stub.on('GET', '/admin/status', { status: 200, raw: '<html>' });
    stub.on('GET', '/admin/rollouts/7', { status: 200, body: { id: 7 } });
    expect((await failure(client.getStatus())).code).toBe('WEIRCTL_ERR_UNEXPECTED_ANSWER');
    expect((await failure(client.getRollout('7'))).code).toBe('WEIRCTL_ERR_UNEXPECTED_ANSWER');
  });

  it('times out a request that gets no answer (kind timeout)', async () => {
    expect.assertions(2);
    const slow = new AdminClient({ url: stub.url, token: 't', requestTimeoutMs: 100 });
    stub.on('GET', '/admin/status', () => new Promise(() => undefined));
    const err = await failure(slow.getStatus());
    await slow.close();
    expect(err.kind).toBe('timeout');
    expect(err.code).toBe('WEIRCTL_ERR_TIMEOUT');
  });

  it('reports a closed port as unreachable', async () => {
    expect.assertions(2);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const nobody = new AdminClient({ url: `http://127.0.0.1:${port}`, token: 't' });
    const err = await failure(nobody.getStatus());
    await nobody.close();
    expect(err.kind).toBe('unreachable');
    expect(err.code).toBe('WEIRCTL_ERR_UNREACHABLE');
  });
});

describe('error mapping', () => {
  it('reads the code out of wrapped transport errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(transportError(refused, 'x').message).toBe('cannot reach x: connect ECONNREFUSED');
    const aggregate = new AggregateError([refused], '');
    expect(transportError(aggregate, 'x').message).toBe('cannot reach x: ECONNREFUSED');
    expect(transportError(new Error('odd'), 'x').kind).toBe('unreachable');
  });

  it('keeps a non-JSON error body short, and says when to retry', () => {
    expect(httpError(502, 'Bad Gateway').message).toBe('HTTP 502: Bad Gateway');
    expect(httpError(429, JSON.stringify({ error: { code: 'WEIR_ERR_ADMIN_RATE_LIMITED', message: 'slow down' } }), '60')).toMatchObject({
      code: 'WEIR_ERR_ADMIN_RATE_LIMITED',
      message: 'slow down (retry after 60 s)',
    });
  });
});
