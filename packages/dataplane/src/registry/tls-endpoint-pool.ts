import { Pool } from 'undici';
import type { Dispatcher } from 'undici';

/**
 * The pool of an https endpoint. undici derives each request's TLS server name from its `Host`
 * header and, when it differs from the one the connection was opened with, closes the
 * connection before sending (client.js `_resume`, "servername changed"). A proxy forwards
 * clients' `Host` values, so requests for two hosts alternating on one upstream would reconnect
 * every time. This pool stamps one constant name on every request it dispatches: the
 * connection's name never "changes", and the connector (`upstreamTlsConnector`) ignores it
 * anyway and uses the upstream's own server name.
 *
 * Costs one property store per request, on https upstreams only; plain upstreams use `Pool`.
 */
export class TlsEndpointPool extends Pool {
  private readonly pinnedName: string;

  /** @param pinnedName any constant, non-empty string; the endpoint's host is used. */
  constructor(origin: string, options: Pool.Options, pinnedName: string) {
    super(origin, options);
    this.pinnedName = pinnedName;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    (options as { servername?: string }).servername = this.pinnedName;
    return super.dispatch(options, handler);
  }
}
