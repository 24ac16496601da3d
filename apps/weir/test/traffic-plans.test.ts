import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { WeirConfig } from '@weir/config';
import { adminCall, testToken } from './harness/admin-client';
import { send } from './harness/client';
import { proxyConfig, upstream } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { pollSample } from './harness/metrics';
import { TestUpstream } from './harness/upstreams';

/**
 * Traffic plans through the built daemon with 2 workers (issue 19): overrides by header and
 * cookie, the split's distribution per request and sticky, stickiness across a weight change,
 * mirroring (one copy per request with its body; a black-hole mirror neither slows clients nor
 * grows without bound) and fault injection.
 */
const writer = testToken('ci', ['read', 'write']);
const daemons = daemonPerTest();

/** `n` GETs over `lanes` keep-alive connections; `headers(i)` per request. Returns the bodies. */
async function run(port: number, n: number, lanes: number, headers: (i: number) => http.OutgoingHttpHeaders = () => ({})): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: lanes });
  const bodies: string[] = new Array<string>(n);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      bodies[i] = (await send(port, { path: '/', headers: headers(i), agent })).body;
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    agent.destroy();
  }
  return bodies;
}

function share(bodies: readonly string[], name: string): number {
  return bodies.filter((b) => b === name).length / bodies.length;
}

describe('traffic plans through the daemon', () => {
  let v1: TestUpstream;
  let v2: TestUpstream;

  beforeAll(async () => {
    v1 = await TestUpstream.start('v1');
    v2 = await TestUpstream.start('v2');
  });
  afterAll(async () => {
    await v1.close();
    await v2.close();
  });

  const canary = (weight2: number, traffic: NonNullable<WeirConfig['routes'][number]['traffic']>): WeirConfig => ({
    ...proxyConfig({
      workers: 2,
      routes: [{ name: 'all', split: [{ upstream: 'v1', weight: 100 - weight2 }, { upstream: 'v2', weight: weight2 }], traffic }],
      upstreams: [upstream('v1', v1.address), upstream('v2', v2.address)],
    }),
    admin: { tokens: [writer.entry] },
  });

  test('overrides by header and by cookie win over the weights', async () => {
    const daemon = await daemons.start(
      canary(10, {
        overrides: [
          { header: { name: 'x-canary', value: 'always' }, upstream: 'v2' },
          { cookie: { name: 'canary', value: 'never' }, upstream: 'v1' },
          { header: { name: 'x-beta' }, upstream: 'v2' },
        ],
      }),
    );
    expect(new Set(await run(daemon.port, 60, 4, () => ({ 'x-canary': 'always' })))).toEqual(new Set(['v2']));
    expect(new Set(await run(daemon.port, 60, 4, () => ({ cookie: 'a=1; canary=never; b=2', 'x-beta': '1' })))).toEqual(new Set(['v1']));
    expect(new Set(await run(daemon.port, 60, 4, () => ({ 'x-beta': '' })))).toEqual(new Set(['v2']));
  }, 60_000);

  test('10,000 requests split 90/10 per request and sticky; a sticky user stays put, across workers', async () => {
    const daemon = await daemons.start(canary(10, { sticky: { kind: 'header', name: 'x-user' } }));
    // Per request (no key): binomial, sd = sqrt(.09/10000) = 0.3 points; bound 5 sd.
    const perRequest = await run(daemon.port, 10_000, 16);
    expect(Math.abs(share(perRequest, 'v2') - 0.1)).toBeLessThanOrEqual(0.015);
    // Sticky: 10,000 users, one request each.
    const sticky = await run(daemon.port, 10_000, 16, (i) => ({ 'x-user': `user-${i}` }));
    expect(Math.abs(share(sticky, 'v2') - 0.1)).toBeLessThanOrEqual(0.015);
    // The same 200 users again, on fresh keep-alive connections (both workers): same answers.
    const again = await run(daemon.port, 200, 8, (i) => ({ 'x-user': `user-${i}` }));
    expect(again).toEqual(sticky.slice(0, 200));
  }, 120_000);

  test('raising the canary weight moves users only onto it (no user moves back)', async () => {
    const daemon = await daemons.start(canary(10, { sticky: { kind: 'header', name: 'x-user' } }));
    const users = 2000;
    const before = await run(daemon.port, users, 8, (i) => ({ 'x-user': `u${i}` }));
    const applied = await adminCall(daemon, 'POST', '/admin/config', { token: writer.token, body: canary(20, { sticky: { kind: 'header', name: 'x-user' } }) });
    expect(applied.status).toBe(200);
    const after = await run(daemon.port, users, 8, (i) => ({ 'x-user': `u${i}` }));
    for (let i = 0; i < users; i++) if (before[i] === 'v2') expect(after[i]).toBe('v2');
    expect(share(after, 'v2')).toBeGreaterThan(share(before, 'v2') + 0.05);
  }, 60_000);

  test('mirroring delivers one copy of each request, body included, marked and with a shadow Host', async () => {
    const shadow = await TestUpstream.start('shadow');
    try {
      const config = canary(0 + 10, { mirror: { upstream: 'shadow' } });
      const daemon = await daemons.start({ ...config, upstreams: [...(config.upstreams ?? []), upstream('shadow', shadow.address)] });
      const answer = await send(daemon.port, { method: 'POST', path: '/orders', body: 'payload', headers: { host: 'shop.test' } });
      expect(['v1', 'v2']).toContain(answer.body);
      await pollUntil(() => shadow.hits === 1);
      const copy = shadow.requests[0]!;
      expect(copy.method).toBe('POST');
      expect(copy.url).toBe('/orders');
      expect(copy.headers['x-weir-mirror']).toBe('1');
      expect(copy.headers.host).toBe('shop.test-shadow');
      expect(copy.headers['content-length']).toBe('7');
      await run(daemon.port, 50, 4);
      await pollUntil(() => shadow.hits === 51);
      expect(shadow.hits).toBe(51);
    } finally {
      await shadow.close();
    }
  }, 60_000);

  test('a black-hole mirror does not slow clients down (median and p90 against an unmirrored route, same run); copies beyond maxInFlight are dropped', async () => {
    const held: http.ServerResponse[] = [];
    const blackHole = await TestUpstream.start('black-hole', (req, res) => {
      req.resume();
      held.push(res);
    });
    try {
      const base = canary(10, {});
      const daemon = await daemons.start({
        ...base,
        routes: [
          { name: 'plain', match: { path: { prefix: '/plain' } }, split: [{ upstream: 'v1', weight: 90 }, { upstream: 'v2', weight: 10 }] },
          { name: 'all', split: [{ upstream: 'v1', weight: 90 }, { upstream: 'v2', weight: 10 }], traffic: { mirror: { upstream: 'black-hole', maxInFlight: 5 } } },
        ],
        upstreams: [...(base.upstreams ?? []), upstream('black-hole', blackHole.address)],
      });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const timed = async (p: string): Promise<number> => {
        const t = performance.now();
        expect((await send(daemon.port, { path: p, agent })).status).toBe(200);
        return performance.now() - t;
      };
      const mirrored: number[] = [];
      const plain: number[] = [];
      for (let i = 0; i < 200; i++) {
        mirrored.push(await timed('/'));
        plain.push(await timed('/plain'));
      }
      agent.destroy();
      const at = (xs: number[], q: number): number => xs.sort((a, b) => a - b)[Math.floor(xs.length * q)] as number;
      // Copies never answered: a client that waited for its copy would never be answered, so
      // every percentile would show it. The median and p90 (not p99, the 2nd slowest of 200,
      // which one scheduling hiccup on a loaded 2-core CI machine decides) stay those of an
      // unmirrored request; the bench measures the tail under load (tools/bench, --traffic).
      expect(at(mirrored, 0.5)).toBeLessThan(at(plain, 0.5) + 10);
      expect(at(mirrored, 0.9)).toBeLessThan(at(plain, 0.9) + 25);
      // At most 5 copies in flight per worker: the black hole holds at most 10.
      expect(held.length).toBeLessThanOrEqual(10);
      const dropped = await pollSample(daemon, writer.token, 'weir_mirror_requests_total{route="all",outcome="dropped"}', (v) => v >= 190);
      expect(dropped).toBeGreaterThanOrEqual(190);
    } finally {
      for (const res of held) res.destroy();
      await blackHole.close();
    }
  }, 60_000);

  test('the access log says what the plan did: override and mirror', async () => {
    const shadow = await TestUpstream.start('shadow');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-traffic-log-'));
    const logPath = path.join(dir, 'access.log');
    try {
      const base = canary(10, { overrides: [{ header: { name: 'x-canary', value: 'always' }, upstream: 'v2' }], mirror: { upstream: 'shadow' } });
      const daemon = await daemons.start({
        ...base,
        logging: { level: 'info', accessLog: { enabled: true, path: logPath } },
        upstreams: [...(base.upstreams ?? []), upstream('shadow', shadow.address)],
      });
      expect((await send(daemon.port, { path: '/x', headers: { 'x-canary': 'always' } })).body).toBe('v2');
      let line: { upstream?: string; traffic?: string } | undefined;
      for (let i = 0; i < 500 && line === undefined; i++) {
        const text = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '';
        const found = text.split('\n').find((l) => l.includes('"path":"/x"'));
        if (found !== undefined) line = JSON.parse(found) as { upstream?: string; traffic?: string };
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(line).toMatchObject({ upstream: 'v2', traffic: 'override,mirrored' });
    } finally {
      await shadow.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('fault injection aborts the configured share with the configured status, and only that share', async () => {
    const daemon = await daemons.start(canary(10, { fault: { abort: { percent: 30, status: 503 } } }));
    const statuses: number[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 250; i++) statuses.push((await send(daemon.port, { path: '/', agent })).status);
      }),
    );
    agent.destroy();
    const aborted = statuses.filter((s) => s === 503).length / statuses.length;
    // 2,000 requests: sd = sqrt(.3*.7/2000) = 1 point; bound 5 sd.
    expect(Math.abs(aborted - 0.3)).toBeLessThanOrEqual(0.05);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    const injected = await pollSample(daemon, writer.token, 'weir_fault_injections_total{route="all",kind="abort"}', (v) => v > 0);
    expect(injected).toBe(statuses.filter((s) => s === 503).length);
  }, 60_000);

  test('fault injection delays the configured share, and only that share', async () => {
    const daemon = await daemons.start(canary(10, { fault: { delay: { percent: 50, ms: 150 } } }));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const slow: boolean[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 40; i++) {
          const t = performance.now();
          expect((await send(daemon.port, { path: '/', agent })).status).toBe(200);
          slow.push(performance.now() - t >= 140);
        }
      }),
    );
    agent.destroy();
    // 320 requests: sd = sqrt(.25/320) = 2.8 points; bound 5 sd.
    expect(Math.abs(slow.filter(Boolean).length / slow.length - 0.5)).toBeLessThanOrEqual(0.14);
    const delayed = await pollSample(daemon, writer.token, 'weir_fault_injections_total{route="all",kind="delay"}', (v) => v > 0);
    expect(Math.abs(delayed / slow.length - 0.5)).toBeLessThanOrEqual(0.14);
  }, 60_000);

  test('header-controlled faults: only requests asking get them; x-weir-fault: delay=300 delays', async () => {
    const daemon = await daemons.start(canary(10, { fault: { abort: { percent: 100, status: 500 }, headerControlled: true } }));
    expect((await send(daemon.port, { path: '/' })).status).toBe(200);
    const aborted = await send(daemon.port, { path: '/', headers: { 'x-weir-fault': 'abort=418' } });
    expect(aborted.status).toBe(418);
    expect(aborted.headers['x-weir-error']).toBe('WEIR_ERR_FAULT_INJECTED');
    const t = performance.now();
    expect((await send(daemon.port, { path: '/', headers: { 'x-weir-fault': 'delay=300' } })).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
  }, 60_000);
});

/** Polls `check` every 10 ms, at most 500 times. */
async function pollUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
