import { createDataplaneMetrics } from '@weir/obs';
import { closedPort, startUpstream, type TestUpstream } from '../helpers/servers';
import { send, startPlane, type TestPlane } from '../helpers/plane';
import { directRoute, forwardRoute, makeSpec, match, upstream } from '../helpers/spec';

describe('proxy metrics with @weir/obs', () => {
  const metrics = createDataplaneMetrics();
  let up: TestUpstream;
  let plane: TestPlane;

  beforeAll(async () => {
    up = await startUpstream((_req, res) => res.end('ok'));
    const dead = await closedPort();
    plane = await startPlane(
      makeSpec({
        version: 'v-metrics',
        upstreams: [upstream('up', [up.port]), upstream('dead', [dead])],
        routes: [
          directRoute('hello', 200, 'hi', { match: match({ path: { kind: 'exact', value: '/hello' } }) }),
          forwardRoute('dead', 'dead', { match: match({ path: { kind: 'exact', value: '/dead' } }) }),
          forwardRoute('up', 'up', { match: match({ path: { kind: 'prefix', value: '/up' } }) }),
        ],
      }),
      { metrics },
    );
  });

  afterAll(async () => {
    await plane.close();
    await up.close();
  });

  it('counts requests by route, upstream and status, upstream errors, and the version served', async () => {
    expect.assertions(6);
    await send(plane.port, { path: '/up/a' });
    await send(plane.port, { path: '/hello' });
    await send(plane.port, { path: '/nope' });
    await send(plane.port, { path: '/dead' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('weir_requests_total{route="up",upstream="up",status="200",arm="stable"} 1');
    expect(text).toContain('weir_requests_total{route="hello",upstream="",status="200",arm="stable"} 1');
    expect(text).toContain('weir_requests_total{route="",upstream="",status="404",arm="stable"} 1');
    expect(text).toContain('weir_upstream_errors_total{upstream="dead",code="WEIR_ERR_UPSTREAM_CONNECT"} 1');
    expect(text).toContain('weir_requests_in_flight 0');
    expect(text).toContain('weir_config_info{version="v-metrics"} 1');
  });
});
