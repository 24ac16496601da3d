import type * as http from 'node:http';
import * as net from 'node:net';
import { Daemon } from './harness/daemon';
import { ConfigFile, proxyConfig, upstream } from './harness/config-file';
import { send } from './harness/client';
import { TestUpstream } from './harness/upstreams';

/**
 * SIGTERM drains: listeners stop accepting, a request already in flight finishes normally, and
 * the daemon exits 0. The upstream holds the in-flight request until the test releases it, so
 * the order of events is controlled by the test, not by a timer.
 */
describe('drain on SIGTERM', () => {
  let slow: TestUpstream | null = null;
  let config: ConfigFile | null = null;
  let daemon: Daemon | null = null;
  const held: http.ServerResponse[] = [];
  let arrived: () => void = () => undefined;

  beforeAll(async () => {
    slow = await TestUpstream.start('slow', (req, res) => {
      req.resume();
      held.push(res);
      arrived();
    });
    config = new ConfigFile(proxyConfig({ routes: [{ name: 'all', upstream: 'slow' }], upstreams: [upstream('slow', slow.address)], drainTimeoutMs: 20_000 }));
    daemon = await Daemon.start({ configPath: config.path });
  });

  afterAll(async () => {
    for (const res of held) res.destroy();
    if (daemon) await daemon.stop();
    await slow?.close();
    config?.remove();
  });

  test('an in-flight request completes, new connections are refused, and the daemon exits 0', async () => {
    expect.assertions(6);
    const d = daemon as Daemon;
    const port = d.port;

    const reachedUpstream = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const inFlight = send(port, { path: '/slow' });
    await reachedUpstream;

    const draining = d.nextLog((line) => line.msg === 'draining', 10_000);
    d.signal('SIGTERM');
    await draining;

    expect(await refusedWithin(port, 10_000)).toBe('ECONNREFUSED');
    // Still draining: the in-flight request holds the worker up.
    expect(d.hasExited).toBe(false);

    const res = held[0] as http.ServerResponse;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('finished after drain started');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body).toBe('finished after drain started');

    const exit = await d.waitForExit(20_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(d.logs.some((line) => line.msg === 'stopped')).toBe(true);
  }, 60_000);
});

/**
 * Connect repeatedly until the port refuses, returning the error code of the last attempt.
 * Listeners close when the workers see the drain, a moment after the primary logs it; bounded by
 * `timeoutMs`. A connection accepted in that moment is closed straight away.
 */
async function refusedWithin(port: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = 'timeout';
  while (Date.now() < deadline) {
    last = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    if (last === 'ECONNREFUSED') return last;
  }
  return last;
}
