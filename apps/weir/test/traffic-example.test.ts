import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { send } from './harness/client';
import { daemonPerTest } from './harness/daemon-per-test';
import { TestUpstream } from './harness/upstreams';

/**
 * `deploy/examples/traffic.json` as shipped (issue 19): only the listener port (0) and the
 * upstream addresses (test servers instead of 127.0.0.1:9001-9003) are changed.
 */
const EXAMPLE = path.resolve(__dirname, '../../../deploy/examples/traffic.json');
const daemons = daemonPerTest();

describe('deploy/examples/traffic.json', () => {
  const servers: Record<string, TestUpstream> = {};

  beforeAll(async () => {
    for (const name of ['v1', 'v2', 'shadow']) servers[name] = await TestUpstream.start(name);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  test('a sticky 90/10 canary with an X-Canary override, every request copied to shadow', async () => {
    const config = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as WeirConfig;
    const daemon = await daemons.start({
      ...config,
      listeners: config.listeners.map((l) => ({ ...l, port: 0 })),
      upstreams: (config.upstreams ?? []).map((u) => ({ ...u, endpoints: [{ address: (servers[u.name] as TestUpstream).address }] })),
    });
    expect((await send(daemon.port, { path: '/', headers: { 'x-canary': 'always' } })).body).toBe('v2');
    const first = (await send(daemon.port, { path: '/', headers: { 'x-user': 'alice' } })).body;
    for (let i = 0; i < 10; i++) expect((await send(daemon.port, { path: '/', headers: { 'x-user': 'alice' } })).body).toBe(first);
    const shadow = servers['shadow'] as TestUpstream;
    for (let i = 0; i < 500 && shadow.hits < 12; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(shadow.hits).toBe(12);
    expect(shadow.requests.every((r) => r.headers['x-weir-mirror'] === '1')).toBe(true);
  }, 60_000);
});
