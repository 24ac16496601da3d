import { errorOf, exchange, startCountingSetup, type CountingSetup } from './strict-plane';

/**
 * Issue 15, "Lax request lines": `GET /c17` without a version (HTTP/0.9) and `GET /c17 HTTP/2.0`
 * on an HTTP/1.1 connection were forwarded upstream. A request line Weir does not speak over
 * HTTP/1.x is now answered with the documented error and never forwarded, whether Node's parser
 * hands the request over (HTTP/0.9, HTTP/2.0: `requestHeadError`) or fails it itself
 * (`clientError`: every other version).
 */
describe('request line strictness', () => {
  let setup: CountingSetup;

  beforeAll(async () => {
    setup = await startCountingSetup();
  });

  afterAll(async () => {
    await setup.close();
  });

  const BAD = ['WEIR_ERR_BAD_REQUEST', 400] as const;
  const VERSION = ['WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED', 505] as const;

  it.each([
    // Node hands these to the request handler (as 0.9 or 2.0).
    ['no version (HTTP/0.9)', 'GET /c17\r\n\r\n', BAD],
    ['no version, with headers', 'GET /c17\r\nHost: a\r\n\r\n', BAD],
    ['HTTP/0.9 spelled out', 'GET /c17 HTTP/0.9\r\nHost: a\r\n\r\n', BAD],
    ['HTTP/2.0', 'GET /c17 HTTP/2.0\r\nHost: a\r\n\r\n', VERSION],
    ['HTTP/2.0 without Host', 'GET /c17 HTTP/2.0\r\n\r\n', VERSION],
    // Node's parser fails these (clientError).
    ['HTTP/3.0', 'GET /c17 HTTP/3.0\r\nHost: a\r\n\r\n', VERSION],
    ['HTTP/2.1', 'GET /c17 HTTP/2.1\r\nHost: a\r\n\r\n', VERSION],
    ['HTTP/9.9', 'GET /c17 HTTP/9.9\r\nHost: a\r\n\r\n', VERSION],
    ['HTTP/1.2', 'GET /c17 HTTP/1.2\r\nHost: a\r\n\r\n', VERSION],
    ['HTTP/1.9', 'GET /c17 HTTP/1.9\r\nHost: a\r\n\r\n', VERSION],
    ['the HTTP/2 connection preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', VERSION],
    ['HTTP/0.8', 'GET /c17 HTTP/0.8\r\nHost: a\r\n\r\n', BAD],
    ['HTTP/1.10', 'GET /c17 HTTP/1.10\r\nHost: a\r\n\r\n', BAD],
    ['HTTP/10.0', 'GET /c17 HTTP/10.0\r\nHost: a\r\n\r\n', BAD],
    ['HTTP/2 without minor', 'GET /c17 HTTP/2\r\nHost: a\r\n\r\n', BAD],
    ['HTTP/1.1x', 'GET /c17 HTTP/1.1x\r\nHost: a\r\n\r\n', BAD],
    ['HTTP/3.0 followed by junk', 'GET /c17 HTTP/3.0 x\r\nHost: a\r\n\r\n', BAD],
    ['lower-case http/1.1', 'GET /c17 http/1.1\r\nHost: a\r\n\r\n', BAD],
    ['a space but no version', 'GET /c17 \r\nHost: a\r\n\r\n', BAD],
    ['bare LF line ends', 'GET /c17\n\n', BAD],
  ])('%s -> never forwarded, documented error', async (_name, request, [code, status]) => {
    expect.assertions(5);
    const before = setup.hits();
    const [response, ...rest] = await exchange(setup.plane.port, request);
    expect(response?.status).toBe(status);
    expect(response?.headers.get('x-weir-error')).toBe(code);
    expect(errorOf(response)).toEqual({ code, status });
    expect(response?.headers.get('connection')).toBe('close');
    expect({ hits: setup.hits() - before, more: rest.length }).toEqual({ hits: 0, more: 0 });
  });

  it('answers a bad request line pipelined after a good request, forwarding only the good one', async () => {
    expect.assertions(3);
    const before = setup.hits();
    const responses = await exchange(
      setup.plane.port,
      'GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/2.0\r\nHost: a\r\n\r\nGET /three HTTP/1.1\r\nHost: a\r\n\r\n',
    );
    expect(responses.map((r) => r.status)).toEqual([200, 505]);
    expect(responses[1]?.headers.get('x-weir-error')).toBe('WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED');
    expect(setup.hits() - before).toBe(1);
  });

  it('answers a request line Node rejects, pipelined after a good request, after the good response', async () => {
    expect.assertions(3);
    const before = setup.hits();
    const responses = await exchange(setup.plane.port, 'GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/3.0\r\nHost: a\r\n\r\n');
    // Answering the parse error at once (Node's way, and Weir's before) handed the 505 to /one.
    expect(responses.map((r) => [r.status, r.headers.get('x-weir-error') ?? null])).toEqual([
      [200, null],
      [505, 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED'],
    ]);
    expect(responses[0]?.body).toBe('upstream');
    expect(setup.hits() - before).toBe(1);
  });

  it('ignores bytes after a request that closes the connection, and still answers that request', async () => {
    expect.assertions(2);
    const before = setup.hits();
    // llhttp fails the bytes after an HTTP/1.0 request (HPE_CLOSED_CONNECTION) while /one is
    // still with the upstream; answering that error at once cut /one's response off.
    const responses = await exchange(setup.plane.port, 'GET /one HTTP/1.0\r\nHost: a\r\n\r\nGARBAGE\r\n\r\n');
    expect(responses.map((r) => [r.status, r.body])).toEqual([[200, 'upstream']]);
    expect(setup.hits() - before).toBe(1);
  });

  it('answers a versionless line pipelined after a good request with 400', async () => {
    expect.assertions(3);
    const before = setup.hits();
    const responses = await exchange(setup.plane.port, 'GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two\r\n\r\n');
    expect(responses.map((r) => r.status)).toEqual([200, 400]);
    expect(errorOf(responses[1])).toEqual({ code: 'WEIR_ERR_BAD_REQUEST', status: 400 });
    expect(setup.hits() - before).toBe(1);
  });

  it.each([
    ['HTTP/1.1', 'GET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'],
    ['HTTP/1.0', 'GET /ok HTTP/1.0\r\nHost: a\r\n\r\n'],
  ])('still forwards %s', async (_name, request) => {
    expect.assertions(3);
    const before = setup.hits();
    const [response] = await exchange(setup.plane.port, request);
    expect(response?.status).toBe(200);
    expect(response?.body).toBe('upstream');
    expect(setup.hits() - before).toBe(1);
  });
});
