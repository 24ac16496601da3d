import type * as http from 'node:http';
import { Daemon } from './harness/daemon';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { parseErrorBody, send } from './harness/client';
import { closedPort, TestUpstream } from './harness/upstreams';

/**
 * Errors the proxy makes itself: an upstream that refuses connections is a 502
 * WEIR_ERR_UPSTREAM_CONNECT, one that never answers is a 504 WEIR_ERR_UPSTREAM_TIMEOUT after the
 * configured `timeouts.requestMs`, both in the documented JSON body shape.
 */
describe('proxy errors', () => {
  let silent: TestUpstream | null = null;
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  /** Responses the silent upstream holds; ended in afterAll so nothing leaks. */
  const held: http.ServerResponse[] = [];

  beforeAll(async () => {
    silent = await TestUpstream.start('silent', (req, res) => {
      req.resume();
      held.push(res);
    });
    const deadPort = await closedPort();
    config = new ConfigFile(
      proxyConfig({
        routes: [
          { name: 'dead', match: { path: { prefix: '/dead' } }, upstream: 'dead' },
          { name: 'slow', match: { path: { prefix: '/slow' } }, upstream: 'silent' },
        ],
        upstreams: [upstream('dead', `127.0.0.1:${deadPort}`), upstream('silent', silent.address, { requestMs: 300 })],
      }),
    );
    daemon = await Daemon.start({ configPath: config.path });
  });

  afterAll(async () => {
    if (daemon) await daemon.stop();
    for (const res of held) res.destroy();
    await silent?.close();
    config?.remove();
  });

  test('an upstream that refuses connections is a 502 WEIR_ERR_UPSTREAM_CONNECT', async () => {
    expect.assertions(3);
    const response = await send((daemon as Daemon).port, { path: '/dead' });
    expect(response.status).toBe(502);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(parseErrorBody(response)).toEqual({ error: { code: 'WEIR_ERR_UPSTREAM_CONNECT', status: 502, message: expect.any(String) } });
  });

  test('an upstream that never answers is a 504 WEIR_ERR_UPSTREAM_TIMEOUT after requestMs', async () => {
    expect.assertions(5);
    const hitsBefore = (silent as TestUpstream).hits;
    const started = Date.now();
    const response = await send((daemon as Daemon).port, { path: '/slow' });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(504);
    expect(parseErrorBody(response)).toEqual({ error: { code: 'WEIR_ERR_UPSTREAM_TIMEOUT', status: 504, message: expect.any(String) } });
    // The request reached the upstream: this is the response timeout, not a connect failure.
    expect((silent as TestUpstream).hits).toBe(hitsBefore + 1);
    // 300 ms configured; well under the 30 s default proves the setting is used.
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(5000);
  });
});
