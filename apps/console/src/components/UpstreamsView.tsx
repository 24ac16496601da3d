import type { Api } from '../api';
import { UPSTREAMS_EVERY_MS, useResource, useTick } from '../live';
import type { Upstream } from '../types';
import { EndpointRow } from './EndpointRow';
import { LoadState } from './LoadState';
import { TableWrap } from './TableWrap';

function breakerTag(breaker: Upstream['breaker']) {
  if (breaker === null || breaker === undefined) return <span class="muted">no breaker</span>;
  const cls = breaker === 'open' ? 'bad' : breaker === 'half-open' ? 'warn' : 'good';
  return <span class={`tag ${cls}`}>{breaker === 'open' ? '✖ breaker OPEN' : `breaker ${breaker}`}</span>;
}

/** Upstreams from the running config, as the config states them (an older primary without `GET /admin/upstreams`). */
function fromConfig(config: { upstreams?: readonly { name: string; endpoints?: readonly { address: string; weight?: number }[] }[] }): Upstream[] {
  return (config.upstreams ?? []).map((u) => ({
    name: u.name,
    breaker: null,
    endpoints: (u.endpoints ?? []).map((e) => ({ address: e.address, weight: e.weight ?? 1, health: 'unknown', ejectedWorkers: 0, workers: 0, inFlight: null })),
  }));
}

/** Every upstream with its endpoints: health checks, outlier ejection, breaker and in-flight requests. */
export function UpstreamsView({ api, version }: { api: Api; version: string | null }) {
  // Read again every 2 s while shown: an endpoint going down changes no version and no status.
  const tick = useTick(UPSTREAMS_EVERY_MS);
  const live = useResource<{ upstreams: readonly Upstream[] }>(api, '/admin/upstreams', `${version ?? ''}|${tick}`);
  const config = useResource<Parameters<typeof fromConfig>[0]>(api, live.kind === 'missing' ? '/admin/config' : null, version);
  let upstreams: readonly Upstream[] | null = null;
  if (live.kind === 'ok') upstreams = live.body.upstreams;
  else if (live.kind === 'missing' && config.kind === 'ok') upstreams = fromConfig(config.body);
  if (upstreams === null) return live.kind === 'missing' ? <LoadState state={config} what="the upstreams" /> : <LoadState state={live} what="the upstreams" />;
  return (
    <section aria-labelledby="upstreams-title">
      <h2 id="upstreams-title">Upstreams</h2>
      {live.kind === 'missing' ? <p class="muted">This primary does not report endpoint state (GET /admin/upstreams): the configured endpoints are shown.</p> : null}
      {upstreams.length === 0 ? <p>The running config has no upstreams.</p> : null}
      {upstreams.map((u) => {
        const trouble = u.breaker === 'open' || u.endpoints.some((e) => e.health === 'unhealthy' || e.ejectedWorkers > 0);
        return (
          <div key={u.name} class={`card upstream ${trouble ? 'trouble' : ''}`} data-testid="upstream">
            <h3>
              <span class="upstream-name">{u.name}</span> {u.balancer !== undefined ? <span class="muted">{u.balancer}</span> : null} {breakerTag(u.breaker)}
            </h3>
            <TableWrap label={`Endpoints of ${u.name}`}>
              <table>
                <caption class="visually-hidden">Endpoints of {u.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Endpoint</th>
                    <th scope="col">Weight</th>
                    <th scope="col">Health check</th>
                    <th scope="col">Outlier ejection</th>
                    <th scope="col">In flight</th>
                  </tr>
                </thead>
                <tbody>
                  {u.endpoints.map((e) => (
                    <EndpointRow key={e.address} endpoint={e} />
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </div>
        );
      })}
    </section>
  );
}
