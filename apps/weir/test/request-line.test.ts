import { Daemon } from './harness/daemon';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { headerValues, rawRequest, type RawResponse } from './harness/raw-http';
import { TestUpstream } from './harness/upstreams';

/**
 * Issue 15, "Lax request lines", against the built daemon: `GET /c17` without an HTTP version
 * (HTTP/0.9 style) and `GET /c17 HTTP/2.0` on an HTTP/1.1 connection were forwarded upstream,
 * and an HTTP/1.1 request without `Host` got Node's bare 400 without the JSON body and
 * `x-weir-error` header that docs/errors.md promises. Each request below is written by hand on a
 * fresh connection; none of the refused ones may reach the upstream.
 */
describe('request line and Host strictness (issue 15)', () => {
  let origin: TestUpstream | null = null;
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  beforeAll(async () => {
    origin = await TestUpstream.start('origin');
    config = new ConfigFile(proxyConfig({ routes: [{ name: 'all', upstream: 'origin' }], upstreams: [upstream('origin', origin.address)] }));
    daemon = await Daemon.start({ configPath: config.path });
  });

  afterAll(async () => {
    if (daemon) await daemon.stop();
    await origin?.close();
    config?.remove();
  });

  /** The parsed error body, or the raw text when it is not JSON (so a failure shows it). */
  const body = (response: RawResponse): unknown => {
    try {
      return JSON.parse(response.body.toString('utf8')) as unknown;
    } catch {
      return response.body.toString('latin1');
    }
  };

  test.each([
    ['no HTTP version (HTTP/0.9 style)', 'WEIR_ERR_BAD_REQUEST', 400, ['GET /c17']],
    ['HTTP/2.0 on an HTTP/1.1 connection', 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED', 505, ['GET /c17 HTTP/2.0', 'Host: weir.test']],
    ['HTTP/3.0', 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED', 505, ['GET /c17 HTTP/3.0', 'Host: weir.test']],
    ['HTTP/1.2', 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED', 505, ['GET /c17 HTTP/1.2', 'Host: weir.test']],
    ['HTTP/1.1 without Host', 'WEIR_ERR_BAD_REQUEST', 400, ['GET /c17 HTTP/1.1']],
    ['two Host headers', 'WEIR_ERR_BAD_REQUEST', 400, ['GET /c17 HTTP/1.1', 'Host: a.weir.test', 'Host: b.weir.test']],
    ['an expectation other than 100-continue', 'WEIR_ERR_EXPECTATION_FAILED', 417, ['GET /c17 HTTP/1.1', 'Host: weir.test', 'Expect: teapot']],
  ])('%s -> %s %d, not forwarded', async (_name, code, status, head) => {
    expect.assertions(6);
    const hitsBefore = (origin as TestUpstream).hits;
    const response = await rawRequest((daemon as Daemon).port, head);
    expect(response.status).toBe(status);
    expect(headerValues(response, 'x-weir-error')).toEqual([code]);
    expect(headerValues(response, 'content-type')).toEqual(['application/json']);
    expect(body(response)).toEqual({ error: { code, status, message: expect.any(String) } });
    // Refused before routing, and the connection closes: the client's framing is suspect.
    expect(headerValues(response, 'connection').map((v) => v.toLowerCase())).toEqual(['close']);
    expect((origin as TestUpstream).hits).toBe(hitsBefore);
  });

  test('HTTP/1.0 without Host is still forwarded', async () => {
    expect.assertions(3);
    const hitsBefore = (origin as TestUpstream).hits;
    const response = await rawRequest((daemon as Daemon).port, ['GET /c17 HTTP/1.0']);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('origin');
    expect((origin as TestUpstream).hits).toBe(hitsBefore + 1);
  });

  test('HTTP/1.1 with one Host is still forwarded', async () => {
    expect.assertions(3);
    const hitsBefore = (origin as TestUpstream).hits;
    const response = await rawRequest((daemon as Daemon).port, ['GET /c17 HTTP/1.1', 'Host: weir.test', 'Connection: close']);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('origin');
    expect((origin as TestUpstream).hits).toBe(hitsBefore + 1);
  });
});
