import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { send } from './harness/client';
import { daemonPerTest } from './harness/daemon-per-test';
import { TestUpstream, type SeenRequest } from './harness/upstreams';

/**
 * `deploy/examples/api-gateway.json` as shipped (issue 9): only the listener port (0) and the
 * upstream address (a test server instead of 127.0.0.1:9001) are changed. /api/ admits a burst
 * of 5 per client address, /private/ wants user demo with password demo, and both give every
 * request an id.
 */
const EXAMPLE = path.resolve(__dirname, '../../../deploy/examples/api-gateway.json');
const daemons = daemonPerTest();

describe('deploy/examples/api-gateway.json', () => {
  let service: TestUpstream;

  beforeAll(async () => {
    service = await TestUpstream.start('service');
  });
  afterAll(async () => {
    await service.close();
  });

  const example = (): WeirConfig => {
    const config = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as WeirConfig;
    return {
      ...config,
      listeners: config.listeners.map((l) => ({ ...l, port: 0 })),
      upstreams: (config.upstreams ?? []).map((u) => ({ ...u, endpoints: [{ address: service.address }] })),
    };
  };

  test('limits /api/ to a burst of 5 per client, guards /private/ with basic auth, ids every request', async () => {
    const daemon = await daemons.start(example());
    // 15 at once: the burst of 5 passes (plus what 5/s refills meanwhile), the rest get 429.
    const statuses = (await Promise.all(Array.from({ length: 15 }, () => send(daemon.port, { path: '/api/items' })))).map((r) => r.status);
    const admitted = statuses.filter((s) => s === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(5);
    expect(admitted).toBeLessThanOrEqual(8);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 429)).toBe(true);
    const seen = service.requests[0] as SeenRequest;
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const anonymous = await send(daemon.port, { path: '/private/report' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm="private"/);
    const demo = await send(daemon.port, { path: '/private/report', headers: { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` } });
    expect(demo.status).toBe(200);
    expect(demo.headers['x-request-id']).toBeDefined();
  }, 60_000);
});
