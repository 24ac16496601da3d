import type { Endpoint } from '../types';

/** One endpoint; unhealthy or ejected ones are marked in words and colour, not only numbers. */
export function EndpointRow({ endpoint }: { endpoint: Endpoint }) {
  const unhealthy = endpoint.health === 'unhealthy';
  const ejected = endpoint.ejectedWorkers > 0;
  return (
    <tr class={unhealthy || ejected ? 'row-bad' : ''} data-testid="endpoint">
      <th scope="row">
        <code>{endpoint.address}</code>
      </th>
      <td>{endpoint.weight ?? 1}</td>
      <td>
        <span class={`tag ${unhealthy ? 'bad' : endpoint.health === 'healthy' ? 'good' : ''}`}>{unhealthy ? '✖ UNHEALTHY' : endpoint.health}</span>
      </td>
      <td>
        {ejected ? (
          <span class="tag bad">
            ⚠ EJECTED on {endpoint.ejectedWorkers} of {endpoint.workers} workers
          </span>
        ) : (
          <span class="muted">in rotation on {endpoint.workers} workers</span>
        )}
      </td>
      <td>{endpoint.inFlight ?? '–'}</td>
    </tr>
  );
}
