import { errorOf, exchange, startCountingSetup, type CountingSetup } from './strict-plane';

/**
 * Issue 15: an HTTP/1.1 request without `Host` got Node's bare 400 (no JSON body, no
 * `x-weir-error`), a request with two `Host` lines was forwarded (routed on the first, while an
 * upstream may read the last), and an `Expect` other than 100-continue got Node's bare 417. All
 * are now answered with the documented error shape before routing (RFC 9112 section 3.2,
 * RFC 9110 section 10.1.1) and never forwarded.
 */
describe('Host and Expect before routing', () => {
  let setup: CountingSetup;

  beforeAll(async () => {
    setup = await startCountingSetup();
  });

  afterAll(async () => {
    await setup.close();
  });

  it.each([
    ['HTTP/1.1 without Host', 'GET /c17 HTTP/1.1\r\n\r\n'],
    ['HTTP/1.1 without Host, absolute-form target', 'GET http://a.example/c17 HTTP/1.1\r\n\r\n'],
    // Forwarding these reached undici, which refused the second Host (400, keep-alive).
    ['two Host lines', 'GET /c17 HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n'],
    ['two Host lines, same value, any case', 'GET /c17 HTTP/1.1\r\nhost: a\r\nX-Other: 1\r\nHOST: a\r\n\r\n'],
    // A direct-response route never reaches undici: these were answered 200.
    ['two Host lines to a direct route', 'GET /direct HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n'],
    ['two Host lines on HTTP/1.0', 'GET /direct HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n'],
    ['the readiness path without Host', 'GET /__weir/ready HTTP/1.1\r\n\r\n'],
    ['Expect: 100-continue without Host', 'POST /c17 HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n'],
    ['an unknown expectation without Host', 'GET /c17 HTTP/1.1\r\nExpect: teapot\r\n\r\n'],
  ])('%s -> 400 WEIR_ERR_BAD_REQUEST, never forwarded', async (_name, request) => {
    expect.assertions(4);
    const before = setup.hits();
    const responses = await exchange(setup.plane.port, request);
    const response = responses[responses.length - 1];
    expect(response?.status).toBe(400);
    expect(response?.headers.get('x-weir-error')).toBe('WEIR_ERR_BAD_REQUEST');
    expect(errorOf(response)).toEqual({ code: 'WEIR_ERR_BAD_REQUEST', status: 400 });
    expect({ hits: setup.hits() - before, connection: response?.headers.get('connection') }).toEqual({ hits: 0, connection: 'close' });
  });

  it('answers an expectation other than 100-continue with 417 WEIR_ERR_EXPECTATION_FAILED', async () => {
    expect.assertions(4);
    const before = setup.hits();
    const [response] = await exchange(setup.plane.port, 'GET /c17 HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\nConnection: close\r\n\r\n');
    expect(response?.status).toBe(417);
    expect(response?.headers.get('x-weir-error')).toBe('WEIR_ERR_EXPECTATION_FAILED');
    expect(errorOf(response)).toEqual({ code: 'WEIR_ERR_EXPECTATION_FAILED', status: 417 });
    expect(setup.hits() - before).toBe(0);
  });

  it.each([
    ['HTTP/1.0 without Host', 'GET /c17 HTTP/1.0\r\n\r\n'],
    ['an empty Host (RFC 9110 section 7.2)', 'GET /c17 HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n'],
    ['an IPv6 literal with a port', 'GET /c17 HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n'],
    ['Host after other headers', 'GET /c17 HTTP/1.1\r\nAccept: */*\r\nhOsT: A.Example.\r\nConnection: close\r\n\r\n'],
  ])('forwards %s', async (_name, request) => {
    expect.assertions(3);
    const before = setup.hits();
    const [response] = await exchange(setup.plane.port, request);
    expect(response?.status).toBe(200);
    expect(response?.body).toBe('upstream');
    expect(setup.hits() - before).toBe(1);
  });
});
