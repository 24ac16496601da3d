/**
 * The error catalogue: every error Weir raises has one entry here, with a stable code, the HTTP
 * status it maps to, where it comes from and (for upstream errors) whether a retry may help.
 *
 * Codes are a public contract: operators alert on them and tests assert on them. Never rename a
 * code; add a new one. `apps/weir/docs/errors.md` documents every entry and a test fails when
 * the two disagree (after fastify's test/internals/errors.test.js).
 */

/** Where an error came from. */
export type ErrorSource = 'downstream' | 'upstream' | 'internal' | 'config';

export interface CatalogueEntry {
  /** HTTP status used when this error ends a request or an admin call. */
  readonly status: number;
  readonly source: ErrorSource;
  /** For upstream errors: may another attempt (on another endpoint) succeed? */
  readonly retryable: boolean;
  /** One-line description, also the default message. */
  readonly description: string;
}

export const catalogue = {
  // --- downstream: the client's request cannot be served as sent -------------------------
  WEIR_ERR_NO_ROUTE: { status: 404, source: 'downstream', retryable: false, description: 'No route matches the request.' },
  WEIR_ERR_BAD_REQUEST: { status: 400, source: 'downstream', retryable: false, description: 'The request is malformed.' },
  WEIR_ERR_HEADERS_TOO_LARGE: { status: 431, source: 'downstream', retryable: false, description: 'The request header section is larger than the listener allows.' },
  WEIR_ERR_REQUEST_TIMEOUT: { status: 408, source: 'downstream', retryable: false, description: 'The client did not send the request in time.' },
  WEIR_ERR_CLIENT_BODY_TIMEOUT: { status: 408, source: 'downstream', retryable: false, description: 'The client stopped sending the request body for longer than the upstream idle timeout.' },
  WEIR_ERR_CLIENT_ABORTED: { status: 499, source: 'downstream', retryable: false, description: 'The client closed the connection before the response was complete.' },
  WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED: { status: 505, source: 'downstream', retryable: false, description: 'The request line names an HTTP version other than HTTP/1.0 and HTTP/1.1.' },
  WEIR_ERR_EXPECTATION_FAILED: { status: 417, source: 'downstream', retryable: false, description: 'The Expect header names an expectation other than 100-continue.' },
  WEIR_ERR_METHOD_NOT_IMPLEMENTED: { status: 501, source: 'downstream', retryable: false, description: 'The request method is CONNECT, which the proxy does not tunnel.' },
  WEIR_ERR_UPGRADE_REFUSED: { status: 403, source: 'downstream', retryable: false, description: 'The request asks for a protocol upgrade (Upgrade header) that the matched route does not allow.' },
  WEIR_ERR_UNAUTHORIZED: { status: 401, source: 'downstream', retryable: false, description: 'The route requires authentication (basic auth, API key or JWT) and the request had no valid credentials.' },
  WEIR_ERR_FORBIDDEN: { status: 403, source: 'downstream', retryable: false, description: 'A plugin of the route refused the request (client address not allowed).' },
  WEIR_ERR_RATE_LIMITED: { status: 429, source: 'downstream', retryable: false, description: 'A rate limit of the route is exhausted for this request\'s key; Retry-After says when to try again.' },
  WEIR_ERR_BODY_TOO_LARGE: { status: 413, source: 'downstream', retryable: false, description: 'The request body is larger than the route\'s limits.maxBodyBytes.' },
  WEIR_ERR_ROUTE_CONCURRENCY: { status: 503, source: 'downstream', retryable: false, description: 'The route already has limits.maxConcurrent requests in flight.' },
  WEIR_ERR_FAULT_INJECTED: { status: 503, source: 'downstream', retryable: false, description: 'The route\'s traffic.fault aborted the request on purpose (resilience testing); the status is the configured abort status.' },

  // --- upstream: the proxy could not get a good response --------------------------------
  WEIR_ERR_UPSTREAM_CONNECT: { status: 502, source: 'upstream', retryable: true, description: 'Could not connect to the upstream endpoint.' },
  WEIR_ERR_UPSTREAM_CONNECT_TIMEOUT: { status: 504, source: 'upstream', retryable: true, description: 'Connecting to the upstream endpoint timed out.' },
  WEIR_ERR_UPSTREAM_TLS: { status: 502, source: 'upstream', retryable: true, description: 'The TLS handshake with the upstream endpoint failed (certificate refused, name mismatch, or no common protocol).' },
  WEIR_ERR_UPSTREAM_TIMEOUT: { status: 504, source: 'upstream', retryable: false, description: 'The upstream did not send response headers in time.' },
  WEIR_ERR_UPSTREAM_IDLE_TIMEOUT: { status: 504, source: 'upstream', retryable: false, description: 'The upstream stopped sending the response body.' },
  WEIR_ERR_UPSTREAM_RESET: { status: 502, source: 'upstream', retryable: false, description: 'The upstream closed or reset the connection.' },
  WEIR_ERR_UPSTREAM_PROTOCOL: { status: 502, source: 'upstream', retryable: false, description: 'The upstream sent an invalid HTTP response.' },
  WEIR_ERR_UPSTREAM_FAILURE: { status: 502, source: 'upstream', retryable: false, description: 'The upstream request failed.' },
  WEIR_ERR_NO_ENDPOINT: { status: 503, source: 'upstream', retryable: false, description: 'The upstream has no endpoint to send the request to.' },
  WEIR_ERR_BREAKER_OPEN: { status: 503, source: 'upstream', retryable: false, description: 'The upstream circuit breaker is open after too many failures.' },
  WEIR_ERR_UPSTREAM_OVERFLOW: { status: 503, source: 'upstream', retryable: false, description: 'An upstream concurrency limit (requests, pending requests or connections) is reached.' },

  // --- admin: the admin API refused a call (nothing changed) ----------------------------
  WEIR_ERR_ADMIN_UNAUTHORIZED: { status: 401, source: 'downstream', retryable: false, description: 'The admin API needs a valid bearer token.' },
  WEIR_ERR_ADMIN_FORBIDDEN: { status: 403, source: 'downstream', retryable: false, description: 'The admin token lacks the scope this call needs.' },
  WEIR_ERR_ADMIN_NOT_FOUND: { status: 404, source: 'downstream', retryable: false, description: 'No admin endpoint has this path.' },
  WEIR_ERR_ADMIN_VERSION_NOT_FOUND: { status: 404, source: 'downstream', retryable: false, description: 'No kept config version has this id.' },
  WEIR_ERR_ADMIN_CACHE_ROUTE_NOT_FOUND: { status: 404, source: 'downstream', retryable: false, description: 'The running config has no route of this name with a response cache.' },
  WEIR_ERR_ADMIN_METHOD_NOT_ALLOWED: { status: 405, source: 'downstream', retryable: false, description: 'The admin endpoint does not accept this method.' },
  WEIR_ERR_ADMIN_PRECONDITION_FAILED: { status: 412, source: 'downstream', retryable: false, description: 'The running config version is not the one If-Match names.' },
  WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE: { status: 413, source: 'downstream', retryable: false, description: 'The admin request body is larger than admin.maxBodyBytes.' },
  WEIR_ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE: { status: 415, source: 'downstream', retryable: false, description: 'Admin request bodies must be application/json.' },
  WEIR_ERR_ADMIN_BAD_HOST: { status: 421, source: 'downstream', retryable: false, description: 'The Host header names a host the admin API does not answer for.' },
  WEIR_ERR_ADMIN_RATE_LIMITED: { status: 429, source: 'downstream', retryable: false, description: 'Too many failed authentications from this address.' },

  // --- config: a config or spec was rejected --------------------------------------------
  WEIR_ERR_CONFIG_PARSE: { status: 400, source: 'config', retryable: false, description: 'The config is not valid JSON.' },
  WEIR_ERR_CONFIG_INVALID: { status: 400, source: 'config', retryable: false, description: 'The config does not satisfy the schema or its semantic checks.' },
  WEIR_ERR_CONFIG_READ: { status: 500, source: 'config', retryable: false, description: 'The config file could not be read.' },
  WEIR_ERR_SPEC_CORRUPT: { status: 500, source: 'internal', retryable: false, description: 'A snapshot spec failed to decode or its hash does not match.' },
  WEIR_ERR_STATE_IO: { status: 500, source: 'internal', retryable: false, description: 'The state directory could not be created, read or written.' },

  // --- bundles: a signed config bundle was rejected (the running config stays) -------------
  WEIR_ERR_BUNDLE_MALFORMED: { status: 400, source: 'config', retryable: false, description: 'The bundle is not a well-formed bundle file (JSON envelope, base64 fields, signature entries or payload shape).' },
  WEIR_ERR_BUNDLE_TAMPERED: { status: 400, source: 'config', retryable: false, description: 'The bundle payload does not match its recorded sha256 digest: it was changed after signing.' },
  WEIR_ERR_BUNDLE_UNKNOWN_KEY: { status: 403, source: 'config', retryable: false, description: 'No signature of the bundle is by a trusted key id.' },
  WEIR_ERR_BUNDLE_BAD_SIGNATURE: { status: 403, source: 'config', retryable: false, description: 'A signature by a trusted key id does not verify over the bundle payload.' },
  WEIR_ERR_BUNDLE_THRESHOLD: { status: 403, source: 'config', retryable: false, description: 'The bundle has fewer valid signatures by distinct trusted keys than the threshold requires.' },
  WEIR_ERR_BUNDLE_EXPIRED: { status: 400, source: 'config', retryable: false, description: 'The bundle is past its expiresAt time.' },
  WEIR_ERR_BUNDLE_REVISION: { status: 409, source: 'config', retryable: false, description: 'The bundle revision is not newer than the current one (a replay or a rollback).' },
  WEIR_ERR_BUNDLE_CONFIG_INVALID: { status: 400, source: 'config', retryable: false, description: 'The config inside a correctly signed bundle fails validation.' },
  WEIR_ERR_BUNDLE_KEY_INVALID: { status: 400, source: 'config', retryable: false, description: 'A bundle key or trust setting is invalid: a malformed key file, key id or key length, a duplicate key id, or a threshold outside 1 to the number of keys.' },
  WEIR_ERR_BUNDLE_SOURCE: { status: 502, source: 'config', retryable: false, description: 'The bundle puller could not fetch the bundle from its source: unreachable, timed out, an unexpected HTTP status, or a download larger than pull.maxBytes.' },

  // --- internal: the apply protocol and the process itself ------------------------------
  WEIR_ERR_APPLY_REJECTED: { status: 422, source: 'internal', retryable: false, description: 'A worker rejected the new snapshot during prepare.' },
  WEIR_ERR_APPLY_TIMEOUT: { status: 504, source: 'internal', retryable: false, description: 'Not every worker acknowledged prepare in time.' },
  WEIR_ERR_CACHE_PURGE_TIMEOUT: { status: 504, source: 'internal', retryable: false, description: 'Not every worker acknowledged a cache purge in time; the purge may be partial.' },
  WEIR_ERR_APPLY_BUSY: { status: 409, source: 'internal', retryable: false, description: 'Another apply is in progress.' },
  WEIR_ERR_ROLLOUT_CONFLICT: { status: 409, source: 'config', retryable: false, description: 'A rollout is running: it must end (promoted or aborted) before another rollout or a direct apply.' },
  WEIR_ERR_ROLLOUT_UNSUPPORTED: { status: 400, source: 'config', retryable: false, description: 'The candidate cannot be rolled out: it changes more than routes and upstreams, or equals the running config.' },
  WEIR_ERR_ROLLOUT_NOT_FOUND: { status: 404, source: 'downstream', retryable: false, description: 'No rollout has this id.' },
  WEIR_ERR_ROLLOUT_STATE: { status: 409, source: 'downstream', retryable: false, description: 'The rollout is not in a state that allows this action (it ended, or is already paused or running).' },
  WEIR_ERR_NO_WORKERS: { status: 503, source: 'internal', retryable: false, description: 'No worker is running to apply a snapshot to.' },
  WEIR_ERR_LISTEN: { status: 500, source: 'internal', retryable: false, description: 'A listener could not be opened.' },
  WEIR_ERR_DRAINING: { status: 503, source: 'internal', retryable: false, description: 'The process is shutting down.' },
  WEIR_ERR_NOT_READY: { status: 503, source: 'internal', retryable: false, description: 'The worker has no committed config yet.' },
  WEIR_ERR_INTERNAL: { status: 500, source: 'internal', retryable: false, description: 'An unexpected internal error.' },
} as const satisfies Record<string, CatalogueEntry>;

/** Every stable error code. */
export type ErrorCode = keyof typeof catalogue;

/** All codes, in catalogue order. */
export const errorCodes: readonly ErrorCode[] = Object.keys(catalogue) as ErrorCode[];
