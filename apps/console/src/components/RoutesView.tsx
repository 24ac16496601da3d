import type { Api } from '../api';
import { compact } from '../format';
import { useResource } from '../live';
import type { RouteLike } from '../types';
import { LoadState } from './LoadState';
import { TableWrap } from './TableWrap';

/** Where a route sends its requests, in one line of text. */
function target(route: RouteLike): string {
  if (typeof route.upstream === 'string') return `upstream ${route.upstream}`;
  if (route.split !== undefined) return `split ${compact(route.split)}`;
  if (route.directResponse !== undefined) {
    const status = (route.directResponse as { status?: unknown } | null)?.status;
    return `direct response ${compact(status ?? '')}`;
  }
  for (const key of ['redirect', 'traffic', 'upstreams']) if (route[key] !== undefined) return `${key} ${compact(route[key])}`;
  return '–';
}

/** Every route of the running config (`GET /admin/config`), first match first. Values are text. */
export function RoutesView({ api, version }: { api: Api; version: string | null }) {
  const config = useResource<{ routes?: readonly RouteLike[] }>(api, '/admin/config', version);
  if (config.kind !== 'ok') return <LoadState state={config} what="the running config" />;
  const routes = config.body.routes ?? [];
  return (
    <section aria-labelledby="routes-title">
      <h2 id="routes-title">Routes</h2>
      <p class="muted">Version {version ?? '–'}: the first route that matches a request serves it.</p>
      <TableWrap label="Routes">
        <table data-testid="routes">
          <caption>{routes.length} routes, in match order</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Name</th>
              <th scope="col">Match</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {routes.map((r, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <th scope="row" class="route-name">
                  {compact(r.name)}
                </th>
                <td>
                  <code>{r.match === undefined ? 'everything' : compact(r.match)}</code>
                </td>
                <td>{target(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
