import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EndpointHealth } from '@weir/cluster/primary';
import type { HealthCheckConfig, WeirConfig } from '@weir/config';
import { HealthChecker, httpProbe, healthCheckKey, realHealthTimers, type HealthCheckEvent } from '@weir/controlplane';
import { ControlPlaneMetrics, HealthCheckMetrics, type Registry } from '@weir/obs';
import { buildSpec } from '@weir/runtime';
import { CapturedLog } from '../support/captured-log';
import { ManualTimers } from '../support/manual-timers';

/** A loopback upstream whose /healthz answers `status` (changeable), counting the checks. */
class Upstream {
  status = 200;
  checks = 0;
  lastHost = '';
  readonly server: Server = createServer((req, res) => {
    this.checks++;
    this.lastHost = req.headers.host ?? '';
    res.writeHead(req.url === '/healthz' ? this.status : 404).end('x');
  });
  get address(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

class Publisher {
  readonly calls: { updates: EndpointHealth[]; replace: boolean }[] = [];
  publishHealth(updates: readonly EndpointHealth[], replace = false): void {
    this.calls.push({ updates: updates.slice(), replace });
  }
}

function config(addresses: readonly string[], check: HealthCheckConfig | undefined, routeName = 'r'): WeirConfig {
  return {
    listeners: [{ name: 'l', port: 0 }],
    routes: [{ name: routeName, upstream: 'api' }],
    upstreams: [
      { name: 'api', endpoints: addresses.map((address) => ({ address })), ...(check === undefined ? {} : { healthCheck: check }) },
      { name: 'other', endpoints: [{ address: '127.0.0.1:1' }] },
    ],
  };
}

describe('HealthChecker', () => {
  let upstreams: Upstream[] = [];
  let checker: HealthChecker | null = null;
  let timers: ManualTimers;
  let publisher: Publisher;
  let events: HealthCheckEvent[];
  let waiting: { count: number; resolve: () => void } | null;
  let registry: Registry;

  /** Fires the due checks and resolves once `count` more checks completed. */
  function checks(count: number, advanceMs: number): Promise<void> {
    const target = events.length + count;
    const done = new Promise<void>((resolve) => (waiting = { count: target, resolve }));
    timers.advance(advanceMs);
    return done;
  }

  async function start(n: number): Promise<Upstream[]> {
    upstreams = Array.from({ length: n }, () => new Upstream());
    await Promise.all(upstreams.map((u) => u.listen()));
    return upstreams;
  }

  beforeEach(() => {
    timers = new ManualTimers();
    publisher = new Publisher();
    events = [];
    waiting = null;
    registry = new ControlPlaneMetrics().registry;
    checker = new HealthChecker({
      publisher,
      logger: new CapturedLog().logger,
      timers,
      random: () => 0,
      metrics: new HealthCheckMetrics(registry),
      onCheck: (event) => {
        events.push(event);
        if (waiting !== null && events.length >= waiting.count) waiting.resolve();
      },
    });
  });

  afterEach(async () => {
    checker?.close();
    await Promise.all(upstreams.map((u) => u.close()));
    upstreams = [];
  });

  it('follows flapping health through the thresholds, publishing only changes', async () => {
    expect.assertions(8);
    const [u] = await start(1);
    const c = checker as HealthChecker;
    c.reconcile(buildSpec(config([u!.address], { intervalMs: 1000, healthyThreshold: 2, unhealthyThreshold: 3 })));
    expect(publisher.calls).toEqual([{ updates: [{ upstream: 'api', address: u!.address, healthy: false }], replace: true }]);
    await checks(1, 0); // first check at once (jitter 0): one pass lets a new endpoint in
    expect(c.table()[0]?.healthy).toBe(true);
    u!.status = 503;
    await checks(1, 1000);
    await checks(1, 1000);
    expect(c.table()[0]?.healthy).toBe(true);
    await checks(1, 1000);
    expect(c.table()[0]?.healthy).toBe(false);
    u!.status = 200;
    await checks(1, 1000);
    expect(c.table()[0]?.healthy).toBe(false);
    await checks(1, 1000);
    expect(publisher.calls.slice(1).map((call) => call.updates[0]?.healthy)).toEqual([true, false, true]);
    expect(events.map((e) => e.changed)).toEqual([true, false, false, true, false, true]);
    expect(u!.lastHost).toBe(u!.address);
  });

  it('counts checks and health in metrics, and drops the series of removed endpoints', async () => {
    expect.assertions(3);
    const [u] = await start(1);
    const c = checker as HealthChecker;
    c.reconcile(buildSpec(config([u!.address], { intervalMs: 1000 })));
    await checks(1, 0);
    const text = await registry.metrics();
    expect(text).toContain(`weir_upstream_endpoint_healthy{upstream="api",endpoint="${u!.address}"} 1`);
    expect(text).toContain(`weir_health_checks_total{upstream="api",endpoint="${u!.address}",result="success"} 1`);
    c.reconcile(buildSpec(config([u!.address], undefined)));
    expect(await registry.metrics()).not.toContain(u!.address);
  });

  it('keeps health across an unrelated change, resets it when the check changes meaning', async () => {
    expect.assertions(5);
    const [a, b] = await start(2);
    const c = checker as HealthChecker;
    const check: HealthCheckConfig = { intervalMs: 1000, initialState: 'healthy', unhealthyThreshold: 1 };
    c.reconcile(buildSpec(config([a!.address, b!.address], check)));
    b!.status = 500;
    await checks(2, 0);
    expect(c.table().map((h) => h.healthy)).toEqual([true, false]);
    // A route renamed: same upstream settings, same state, no new first check.
    c.reconcile(buildSpec(config([a!.address, b!.address], { ...check, intervalMs: 2000 }, 'renamed')));
    expect(c.table().map((h) => h.healthy)).toEqual([true, false]);
    expect(timers.delays).toEqual([1000, 1000]);
    // A different path means a different check: fresh state, per initialState, checked at once.
    c.reconcile(buildSpec(config([a!.address, b!.address], { ...check, path: '/other' })));
    expect(c.table().map((h) => h.healthy)).toEqual([true, true]);
    expect(publisher.calls.at(-1)?.replace).toBe(true);
  });

  it('stops checking removed endpoints and everything on close', async () => {
    expect.assertions(3);
    const [a, b] = await start(2);
    const c = checker as HealthChecker;
    c.reconcile(buildSpec(config([a!.address, b!.address], { intervalMs: 1000 })));
    expect(timers.delays).toHaveLength(2);
    c.reconcile(buildSpec(config([a!.address], { intervalMs: 1000 })));
    expect(c.size).toBe(1);
    c.close();
    expect(timers.delays).toEqual([]);
  });

  it('counts refused connections as failures', async () => {
    expect.assertions(2);
    const [u] = await start(1);
    const address = u!.address;
    await u!.close();
    upstreams = [];
    (checker as HealthChecker).reconcile(buildSpec(config([address], { initialState: 'healthy', unhealthyThreshold: 1 })));
    await checks(1, 0);
    expect(events[0]?.result.error).toBe('ECONNREFUSED');
    expect(events[0]?.healthy).toBe(false);
  });

  it('keys health by upstream, address and the settings that give it meaning', () => {
    const spec = buildSpec(config(['127.0.0.1:9'], { path: '/h', timeoutMs: 100, expectedStatuses: [[200, 204], [301, 302]] }));
    const upstream = spec.upstreams[0]!;
    expect(healthCheckKey(upstream, upstream.endpoints[0]!)).toBe('api|127.0.0.1:9|/h|100|200-204,301-302');
    expect(healthCheckKey(spec.upstreams[1]!, spec.upstreams[1]!.endpoints[0]!)).toBe('other|127.0.0.1:1|unchecked');
  });
});

describe('httpProbe', () => {
  it('times out a check that gets no answer', async () => {
    expect.assertions(1);
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer(() => undefined);
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const result = await httpProbe({ host: '127.0.0.1', port, hostHeader: `127.0.0.1:${port}`, path: '/healthz', timeoutMs: 50 }, realHealthTimers);
      expect(result).toEqual({ status: 0, error: 'timeout' });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
