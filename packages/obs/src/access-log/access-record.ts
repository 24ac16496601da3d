/**
 * One access-log line. The data plane's per-request state object can satisfy this interface
 * structurally and be passed as is, so logging a request allocates no record of its own.
 */
export interface AccessRecord {
  /** When the request was received, epoch milliseconds (the coarse clock is fine). Written as ISO 8601. */
  readonly time: number;
  readonly method: string;
  /** The request target as the data plane passes it (path, with the query if it keeps one). */
  readonly path: string;
  /** The Host (or :authority) the client sent, `""` if none. */
  readonly host: string;
  /** Status sent to the client; 499 when the client went away first. */
  readonly status: number;
  /** Route name, `""` when no route matched. */
  readonly route: string;
  /** Upstream name, `""` for direct responses and unrouted requests. */
  readonly upstream: string;
  /** Endpoint address (`host:port`) of the last attempt, `""` if none was tried. */
  readonly endpoint: string;
  /** Time from receiving the request to finishing the response, in ms (written to 3 decimals). */
  readonly durationMs: number;
  /** Response body bytes sent to the client. */
  readonly bytesSent: number;
  /** Client IP address (after trusted proxies, `clientAddress`). */
  readonly remoteAddress: string;
  /** The request id a `requestId` plugin gave the request; absent or null otherwise. */
  readonly requestId?: string | null | undefined;
  /** Who an auth plugin authenticated (basic-auth user, API-key name, JWT `sub`); absent or null otherwise. */
  readonly principal?: string | null | undefined;
  /**
   * What the route's traffic plan did besides the weighted pick (`upstream` is the split entry
   * chosen), comma-separated: `override`, `mirrored`, `fault-delay`, `fault-abort`; absent or
   * null when nothing.
   */
  readonly traffic?: string | null | undefined;
  /** The W3C trace id of the request (continued or started by Weir); absent or null without propagation. */
  readonly traceId?: string | null | undefined;
  /** Weir's span id for the request (the server span; the upstream's parent); absent or null without propagation. */
  readonly spanId?: string | null | undefined;
  /** WEIR_ERR_* code when the proxy itself failed the request; absent, `null` or `""` otherwise. */
  readonly code?: string | null | undefined;
}
