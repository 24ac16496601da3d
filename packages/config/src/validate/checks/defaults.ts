/**
 * The schema defaults that semantic checks need to reason about an omitted field. They mirror
 * `weir.schema.json` (`default` keywords); a test fails when the two disagree.
 */
export const configDefaults = {
  /** `listeners[].address` */
  listenerAddress: '127.0.0.1',
  /** `listeners[].limits.headersTimeoutMs` */
  headersTimeoutMs: 10000,
  /** `admin.listen.address` */
  adminAddress: '127.0.0.1',
  /** `admin.listen.port` */
  adminPort: 9901,
  /** `pull.intervalMs` */
  pullIntervalMs: 30000,
  /** `pull.maxBackoffMs` */
  pullMaxBackoffMs: 300000,
  /** `upstreams[].outlierDetection.baseEjectionMs` */
  baseEjectionMs: 30000,
  /** `upstreams[].outlierDetection.maxEjectionMs` */
  maxEjectionMs: 300000,
  /** `routes[].retry.backoff.baseMs` */
  backoffBaseMs: 25,
  /** `routes[].retry.backoff.maxMs` */
  backoffMaxMs: 250,
  /** `server.regexMaxProgramSize` */
  regexMaxProgramSize: 100,
  /** `listeners[].tls.minVersion` */
  tlsMinVersion: 'TLSv1.2',
  /** `listeners[].tls.maxVersion` */
  tlsMaxVersion: 'TLSv1.3',
  /** `listeners[].tls.alpn` */
  tlsAlpn: ['h2', 'http/1.1'],
  /** `listeners[].protocol` */
  listenerProtocol: 'http1',
  /** `routes[].cache.maxBytes` */
  cacheMaxBytes: 67108864,
  /** `routes[].cache.maxObjectBytes` */
  cacheMaxObjectBytes: 1048576,
} as const;
