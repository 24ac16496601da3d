/**
 * The metric catalogue: every metric Weir exports, in one file (STYLE.md rule 4). Code creates
 * metrics only from these entries, so names, help and labels cannot drift between workers, the
 * primary's aggregation and `apps/weir/docs/metrics.md`; a test checks the doc table against
 * this file in both directions.
 *
 * Naming follows Prometheus practice: `weir_` prefix, base units (seconds, bytes), counters end
 * in `_total`. Label values are bounded: route and upstream names come from the config, status
 * is the numeric HTTP status, code is a WEIR_ERR_* code. Never put a request's own data (path,
 * client address) in a label.
 */

/** The Prometheus metric types Weir uses. */
export type MetricKind = 'counter' | 'gauge' | 'histogram';

/**
 * How the primary combines the values of one series across workers (prom-client's
 * AggregatorRegistry `aggregator`): `sum` for counts, `max` for info gauges that are 1 in every
 * worker.
 */
export type MetricAggregation = 'sum' | 'max';

/** One catalogue entry. */
export interface MetricDefinition {
  /** Full Prometheus name. */
  readonly name: string;
  /** The `# HELP` text: what is counted, and when. */
  readonly help: string;
  readonly type: MetricKind;
  /** Label names, in order. Empty for a single series. */
  readonly labels: readonly string[];
  /** Cross-worker aggregation. */
  readonly aggregator: MetricAggregation;
  /** Histograms only: bucket upper bounds, ascending (`+Inf` is implicit). */
  readonly buckets?: readonly number[];
  /**
   * Which process records it. Default `"worker"` (aggregated by the primary across workers);
   * `"primary"`: the control plane's own, appended after the aggregate.
   */
  readonly recordedBy?: 'worker' | 'primary';
}

/**
 * Latency buckets for a proxy, in seconds: from 0.5 ms (a keep-alive hop on loopback) to 30 s
 * (the default upstream request timeout), about 2-2.5x apart so p50/p99 estimates stay within a
 * bucket's width across the whole range. 15 bounds plus `+Inf`.
 */
export const requestDurationBuckets: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
]);

/**
 * Apply-latency buckets, in seconds: from 5 ms (a small config on an idle machine) to 60 s (a
 * 20,000-route config while workers are busy, above the default 10 s prepare timeout so a
 * timed-out apply still lands in a bucket). 12 bounds plus `+Inf`.
 */
export const applyDurationBuckets: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60]);

export const metricCatalogue = {
  requestsTotal: {
    name: 'weir_requests_total',
    help: 'Requests completed by the data plane, by route, upstream, response status and rollout arm. route is "" when no route matched; upstream is "" for direct responses and unrouted requests; status 499 means the client went away first; arm is "candidate" for requests a rollout sent to the candidate config, else "stable".',
    type: 'counter',
    labels: ['route', 'upstream', 'status', 'arm'],
    aggregator: 'sum',
  },
  requestDurationSeconds: {
    name: 'weir_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, in seconds, by route, upstream and rollout arm (stable or candidate).',
    type: 'histogram',
    labels: ['route', 'upstream', 'arm'],
    aggregator: 'sum',
    buckets: requestDurationBuckets,
  },
  upstreamErrorsTotal: {
    name: 'weir_upstream_errors_total',
    help: 'Failed attempts to get a response from an upstream, by upstream and WEIR_ERR_* code (a retried request counts each failed attempt).',
    type: 'counter',
    labels: ['upstream', 'code'],
    aggregator: 'sum',
  },
  requestsInFlight: {
    name: 'weir_requests_in_flight',
    help: 'Requests being served right now (received, response not yet finished).',
    type: 'gauge',
    labels: [],
    aggregator: 'sum',
  },
  downstreamConnections: {
    name: 'weir_downstream_connections',
    help: 'Client connections open right now on the proxy listeners.',
    type: 'gauge',
    labels: [],
    aggregator: 'sum',
  },
  configInfo: {
    name: 'weir_config_info',
    help: 'Always 1, labelled with the config version being served.',
    type: 'gauge',
    labels: ['version'],
    aggregator: 'max',
  },
  // --- upstream resilience (issue 4): retries, circuit breakers, outlier ejection ------------
  upstreamRetriesTotal: {
    name: 'weir_upstream_retries_total',
    help: 'Retries sent to an upstream, by upstream and the retryOn condition that caused them (connect-failure, reset, 5xx, gateway-error, retriable-status).',
    type: 'counter',
    labels: ['upstream', 'reason'],
    aggregator: 'sum',
  },
  upstreamRetriesDeniedTotal: {
    name: 'weir_upstream_retries_denied_total',
    help: 'Retries the retry policy and safety rule allowed but a limit refused, by upstream and limit (budget: the retry budget is spent; max-retries: circuitBreaker.maxRetries; breaker-open: the failure-ratio breaker is open; timeout: the wait does not fit the route total timeout or Retry-After is too long).',
    type: 'counter',
    labels: ['upstream', 'reason'],
    aggregator: 'sum',
  },
  circuitBreakerState: {
    name: 'weir_circuit_breaker_state',
    help: 'State of the upstream failure-ratio circuit breaker: 0 closed, 1 half-open, 2 open (the maximum over workers: the worst state any worker is in). Only upstreams with a failureRatio breaker have a series.',
    type: 'gauge',
    labels: ['upstream'],
    aggregator: 'max',
  },
  circuitBreakerOpensTotal: {
    name: 'weir_circuit_breaker_opens_total',
    help: 'Times the upstream failure-ratio circuit breaker opened (from closed, or again from half-open after a failed probe).',
    type: 'counter',
    labels: ['upstream'],
    aggregator: 'sum',
  },
  outlierEjectionsTotal: {
    name: 'weir_outlier_ejections_total',
    help: 'Endpoints ejected by passive outlier detection, by upstream and detector (consecutive-5xx, consecutive-gateway-failure, consecutive-local-origin-failure, success-rate). Each worker detects and ejects on its own.',
    type: 'counter',
    labels: ['upstream', 'reason'],
    aggregator: 'sum',
  },
  // --- TLS and HTTP/2 listeners (issue 8) ----------------------------------------------------
  tlsCertificateExpirySeconds: {
    name: 'weir_tls_certificate_expiry_seconds',
    help: 'Seconds until the notAfter time of each certificate of the served config, by certificate name (negative once expired). Alert well before it reaches 0.',
    type: 'gauge',
    labels: ['certificate'],
    aggregator: 'max',
  },
  tlsHandshakeErrorsTotal: {
    name: 'weir_tls_handshake_errors_total',
    help: 'TLS handshakes on proxy listeners that failed (no shared protocol version or cipher, a client certificate missing or refused, a handshake timeout, a client that hung up mid-handshake).',
    type: 'counter',
    labels: [],
    aggregator: 'sum',
  },
  http2GoawaysTotal: {
    name: 'weir_http2_goaways_total',
    help: 'HTTP/2 client connections the proxy closed with GOAWAY for abuse, by reason (rapid_reset: more stream resets than http2.maxResets in http2.resetWindowMs; protocol_error: a protocol violation nghttp2 refused, such as a CONTINUATION flood or a header list over the limit).',
    type: 'counter',
    labels: ['reason'],
    aggregator: 'sum',
  },
  // --- upgrade tunnels (issue 8): WebSocket and other Upgrade requests ------------------------
  tunnelsOpen: {
    name: 'weir_tunnels_open',
    help: 'Upgrade tunnels (WebSocket) open right now, by route: the upstream answered 101 and bytes flow both ways.',
    type: 'gauge',
    labels: ['route'],
    aggregator: 'sum',
  },
  tunnelsTotal: {
    name: 'weir_tunnels_total',
    help: 'Upgrade tunnels that ended, by route and outcome (closed: a side closed its connection; error: a connection failed or was reset; idle-timeout: no bytes either way for upgrades.idleTimeoutMs; max-lifetime: open for upgrades.maxLifetimeMs; drain: still open when the drain timeout ended).',
    type: 'counter',
    labels: ['route', 'outcome'],
    aggregator: 'sum',
  },
  tunnelBytesTotal: {
    name: 'weir_tunnel_bytes_total',
    help: 'Bytes carried by upgrade tunnels after the 101 response, by route and direction (upstream: read from clients and sent to upstreams; downstream: read from upstreams and sent to clients).',
    type: 'counter',
    labels: ['route', 'direction'],
    aggregator: 'sum',
  },
  // --- edge policy (issue 9): plugins and route limits ---------------------------------------
  policyRejectionsTotal: {
    name: 'weir_policy_rejections_total',
    help: 'Requests a route\'s plugins or limits refused, by route and code (WEIR_ERR_RATE_LIMITED, WEIR_ERR_ROUTE_CONCURRENCY, WEIR_ERR_BODY_TOO_LARGE before forwarding, WEIR_ERR_UNAUTHORIZED, WEIR_ERR_FORBIDDEN).',
    type: 'counter',
    labels: ['route', 'code'],
    aggregator: 'sum',
  },
  // --- traffic plans (issue 19): mirrors, fault injection, overrides --------------------------
  mirrorRequestsTotal: {
    name: 'weir_mirror_requests_total',
    help: 'Mirrored copies of requests (traffic.mirror), by route and outcome (ok: the mirror answered below 500; error: it answered 500 or more, failed or timed out; dropped: maxInFlight copies were already in flight; skipped: the request body was larger than maxBodyBytes or unannounced).',
    type: 'counter',
    labels: ['route', 'outcome'],
    aggregator: 'sum',
  },
  faultInjectionsTotal: {
    name: 'weir_fault_injections_total',
    help: 'Requests a route\'s traffic.fault delayed or aborted, by route and kind (delay, abort).',
    type: 'counter',
    labels: ['route', 'kind'],
    aggregator: 'sum',
  },
  trafficOverridesTotal: {
    name: 'weir_traffic_overrides_total',
    help: 'Requests a traffic.overrides entry (header or cookie) sent to its split entry, by route.',
    type: 'counter',
    labels: ['route'],
    aggregator: 'sum',
  },
  // --- response cache (issue 10) ----------------------------------------------------------------
  cacheRequestsTotal: {
    name: 'weir_cache_requests_total',
    help: 'Requests of cached routes by what the cache did (hit: served from a fresh entry; miss: forwarded, nothing usable stored; stale: a stored entry needed the origin; bypass: not handled by the cache; collapsed: waited on another request\'s fetch; revalidated: a 304 refreshed an entry; stale_if_error: a stale entry served because the origin failed; stored: responses stored).',
    type: 'counter',
    labels: ['route', 'result'],
    aggregator: 'sum',
  },
  cacheStoredBytes: {
    name: 'weir_cache_stored_bytes',
    help: 'Bytes held by each route\'s response cache (bodies, headers and per-entry overhead), summed over workers; each worker holds at most the route\'s cache.maxBytes.',
    type: 'gauge',
    labels: ['route'],
    aggregator: 'sum',
  },
  // --- tracing (issue 18) -------------------------------------------------------------------
  tracingSpansExportedTotal: {
    name: 'weir_tracing_spans_exported_total',
    help: 'Spans of proxied requests the OTLP collector accepted.',
    type: 'counter',
    labels: [],
    aggregator: 'sum',
  },
  tracingSpansDroppedTotal: {
    name: 'weir_tracing_spans_dropped_total',
    help: 'Spans of proxied requests that never reached the collector, by reason (queue_full: tracing.export.maxQueueSpans were already waiting; export_failed: the collector refused or did not answer, after retries; shutdown: still queued when a drain or a changed export setting stopped the queue).',
    type: 'counter',
    labels: ['reason'],
    aggregator: 'sum',
  },
  tracingQueueSpans: {
    name: 'weir_tracing_queue_spans',
    help: 'Spans waiting to be exported, summed over workers.',
    type: 'gauge',
    labels: [],
    aggregator: 'sum',
  },
  // --- control plane: recorded by the primary itself, never by workers ----------------------
  // (`aggregator` is how they would combine; the primary appends them to the aggregated output.)
  configAppliesTotal: {
    name: 'weir_config_applies_total',
    help: 'Config applies by source (default, file, admin, rollback, bundle, state) and outcome (applied: every worker committed; unchanged: same content as the running config; rejected: invalid, or refused or not acknowledged by a worker).',
    type: 'counter',
    labels: ['source', 'outcome'],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  configApplyDurationSeconds: {
    name: 'weir_config_apply_duration_seconds',
    help: 'Time from an apply request to every worker committed (validation, spec build, two-phase apply), in seconds, for applies that changed the running config.',
    type: 'histogram',
    labels: [],
    aggregator: 'sum',
    recordedBy: 'primary',
    buckets: applyDurationBuckets,
  },
  configFileRejectionsTotal: {
    name: 'weir_config_file_rejections_total',
    help: 'Contents of the config file (on SIGHUP or a watched change) that were not applied, by WEIR_ERR_* code: unreadable, not JSON, invalid, or refused by a worker.',
    type: 'counter',
    labels: ['code'],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  bundlePullsTotal: {
    name: 'weir_bundle_pulls_total',
    help: 'Polls of the bundle puller, by outcome: applied (a new bundle verified and applied, or its rollout started), unchanged (304, or the same bytes again), rejected (a bundle failed verification; see weir_bundle_rejections_total), failed (the source could not be read, or the apply failed for a transient reason; the puller backs off).',
    type: 'counter',
    labels: ['outcome'],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  bundleRejectionsTotal: {
    name: 'weir_bundle_rejections_total',
    help: 'Bundles the puller rejected, by reason: the WEIR_ERR_BUNDLE_* code (unknown key, bad signature, tampered, expired, revision, config invalid, ...). Each distinct bundle is counted once.',
    type: 'counter',
    labels: ['reason'],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  rateLimitRedisErrorsTotal: {
    name: 'weir_rate_limit_redis_errors_total',
    help: 'Failed calls from the primary to the globalLimits Redis (unreachable, timed out, refused); global limits answer by globalLimits.onRedisFailure for a second after each.',
    type: 'counter',
    labels: [],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  rateLimitLeasesTotal: {
    name: 'weir_rate_limit_leases_total',
    help: 'Token leases the primary answered to workers, by scope (host, global) and outcome (granted: at least one token; refused: none, the bucket is empty).',
    type: 'counter',
    labels: ['scope', 'outcome'],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  jwksFetchesTotal: {
    name: 'weir_jwks_fetches_total',
    help: 'JWKS fetches of the primary for jwt plugins, by outcome (updated: a new key set went to the workers; unchanged; error: the last good key set stays).',
    type: 'counter',
    labels: ['outcome'],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  bundleRevision: {
    name: 'weir_bundle_revision',
    help: 'Revision of the last bundle the puller applied (or started a rollout with), kept across restarts; 0 before the first.',
    type: 'gauge',
    labels: [],
    aggregator: 'max',
    recordedBy: 'primary',
  },
  bundleLastSuccessTimestampSeconds: {
    name: 'weir_bundle_last_success_timestamp_seconds',
    help: 'Unix time of the last poll that left the newest good bundle running (applied, or unchanged); 0 before the first. Alert on time() minus this.',
    type: 'gauge',
    labels: [],
    aggregator: 'max',
    recordedBy: 'primary',
  },
  workerRestartsTotal: {
    name: 'weir_worker_restarts_total',
    help: 'Worker processes that exited unexpectedly and were (or are about to be) restarted, since the primary started.',
    type: 'counter',
    labels: [],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  rolloutState: {
    name: 'weir_rollout_state',
    help: 'The running rollout: 0 none, 1 running, 2 paused.',
    type: 'gauge',
    labels: [],
    aggregator: 'max',
    recordedBy: 'primary',
  },
  rolloutCandidatePercent: {
    name: 'weir_rollout_candidate_percent',
    help: 'Share of requests the running rollout sends to the candidate config, in percent (0 without a rollout).',
    type: 'gauge',
    labels: [],
    aggregator: 'max',
    recordedBy: 'primary',
  },
  rolloutTransitionsTotal: {
    name: 'weir_rollout_transitions_total',
    help: 'Rollout transitions, by event: started, advanced, paused, resumed, promoted, aborted.',
    type: 'counter',
    labels: ['event'],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  workerWatchdogReplacementsTotal: {
    name: 'weir_worker_watchdog_replacements_total',
    help: 'Workers the watchdog replaced because their event loop left its heartbeat unanswered for server.watchdogTimeoutMs.',
    type: 'counter',
    labels: [],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  workers: {
    name: 'weir_workers',
    help: 'Worker slots by state (starting, syncing, ready, backoff, stopped); ready workers serve traffic.',
    type: 'gauge',
    labels: ['state'],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
  // --- active health checks (issue 4): run once per host, by the primary ---------------------
  endpointHealthy: {
    name: 'weir_upstream_endpoint_healthy',
    help: 'Active health of an upstream endpoint as the primary last judged it: 1 healthy, 0 unhealthy. Only endpoints of upstreams with a healthCheck have a series.',
    type: 'gauge',
    labels: ['upstream', 'endpoint'],
    aggregator: 'max',
    recordedBy: 'primary',
  },
  healthChecksTotal: {
    name: 'weir_health_checks_total',
    help: 'Active health checks completed, by upstream, endpoint and result (success: an expected status; failure: another status, a connection error or a timeout).',
    type: 'counter',
    labels: ['upstream', 'endpoint', 'result'],
    aggregator: 'sum',
    recordedBy: 'primary',
  },
} as const satisfies Record<string, MetricDefinition>;

/** Every catalogue entry, in catalogue order. */
export const metricDefinitions: readonly MetricDefinition[] = Object.freeze(Object.values(metricCatalogue));
