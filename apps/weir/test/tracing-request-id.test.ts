import type { WeirConfig } from '@weir/config';
import { send } from './harness/client';
import { proxyConfig, upstream } from './harness/config-file';
import { daemonPerTest } from './harness/daemon-per-test';
import { TestUpstream } from './harness/upstreams';

/**
 * Issue 18: "the request-id plugin can use the trace id". With `useTraceId` the `requestId`
 * plugin's new id is the request's W3C trace id: the upstream's `x-request-id` equals the trace
 * id of the `traceparent` it received, for a continued trace and for one Weir started.
 */
const daemons = daemonPerTest();
const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/;

function traceIdOf(value: string | string[] | undefined): string {
  const m = TRACEPARENT.exec(String(value));
  if (m === null) throw new Error(`not a traceparent: ${String(value)}`);
  return m[1] as string;
}

describe('requestId with useTraceId', () => {
  let origin: TestUpstream;
  beforeAll(async () => {
    origin = await TestUpstream.start('origin');
  });
  afterAll(async () => {
    await origin.close();
  });

  test('the id the upstream and the client see is the trace id', async () => {
    expect.assertions(6);
    const config: WeirConfig = proxyConfig({
      workers: 1,
      routes: [{ name: 'all', upstream: 'origin', plugins: [{ type: 'requestId', propagate: false, useTraceId: true }] }],
      upstreams: [upstream('origin', origin.address)],
    });
    const daemon = await daemons.start(config);

    const continued = await send(daemon.port, { headers: { traceparent: `00-${PARENT_TRACE}-00f067aa0ba902b7-01`, 'x-request-id': 'theirs' } });
    expect(continued.status).toBe(200);
    const seen = origin.requests.at(-1)!;
    expect(seen.headers['x-request-id']).toBe(PARENT_TRACE);
    expect(continued.headers['x-request-id']).toBe(PARENT_TRACE);

    const started = await send(daemon.port);
    const fresh = origin.requests.at(-1)!;
    expect(started.status).toBe(200);
    expect(fresh.headers['x-request-id']).toBe(traceIdOf(fresh.headers['traceparent']));
    expect(fresh.headers['x-request-id']).not.toBe(PARENT_TRACE);
  });
});
