/**
 * The snapshot spec: the only contract between the control plane and the data plane.
 *
 * `buildSpec(config)` produces it in the primary: plain data, every default filled in, names
 * resolved, with a version id and a content hash. It crosses IPC as msgpackr bytes; workers
 * `assemble` their runtime from it and never see the config. A spec is immutable once built.
 */
export interface Spec {
  /** Spec format version; a worker rejects a spec whose format it does not know. */
  readonly format: 1;
  /** Version id shown to operators (`v-` + first 12 hex digits of `hash` unless given). */
  readonly version: string;
  /** sha256 (hex) over the canonical encoding of every field except `version` and `hash`. */
  readonly hash: string;
  /** Worker count; 0 means one per core (the primary resolves it). */
  readonly workers: number;
  readonly logging: LoggingSpec;
  readonly server: ServerSpec;
  readonly listeners: readonly ListenerSpec[];
  /** Routes in config order. */
  readonly routes: readonly RouteSpec[];
  /** Upstreams in config order. */
  readonly upstreams: readonly UpstreamSpec[];
}

export type LogLevelSpec = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggingSpec {
  readonly level: LogLevelSpec;
  readonly accessLog: { readonly enabled: boolean; readonly path: string };
}

export interface ServerSpec {
  readonly drainTimeoutMs: number;
}

export interface ListenerSpec {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly limits: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxHeaderBytes: number;
    readonly maxRequestsPerConnection: number;
  };
}

export interface RouteSpec {
  readonly name: string;
  /** Listener names; empty = every listener. */
  readonly listeners: readonly string[];
  readonly match: MatchSpec;
  readonly action: ActionSpec;
}

export interface MatchSpec {
  /** Lower-cased host patterns; empty = any host. Wildcards keep their `*.` prefix. */
  readonly hosts: readonly string[];
  readonly path: PathMatchSpec;
  /** Upper-cased methods; empty = any. */
  readonly methods: readonly string[];
  readonly headers: readonly HeaderMatchSpec[];
}

export type PathMatchSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'regex'; readonly value: string };

export type HeaderMatchSpec =
  | { readonly name: string; readonly kind: 'present' }
  | { readonly name: string; readonly kind: 'absent' }
  | { readonly name: string; readonly kind: 'exact' | 'prefix' | 'regex'; readonly value: string };

export type ActionSpec = ForwardActionSpec | DirectActionSpec;

export interface ForwardActionSpec {
  readonly kind: 'forward';
  /** At least one entry; weights are positive integers. */
  readonly split: readonly { readonly upstream: string; readonly weight: number }[];
  /** Route override of the upstream's requestMs; 0 = use the upstream's. */
  readonly requestTimeoutMs: number;
}

export interface DirectActionSpec {
  readonly kind: 'direct';
  readonly status: number;
  /**
   * Header pairs, names lower-cased, sorted by name then value (content-type defaulted). Sorted
   * rather than in config order because the config holds them in a JSON object, whose key order
   * must not change the spec hash; header order carries no meaning in HTTP across names.
   */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

export interface UpstreamSpec {
  readonly name: string;
  readonly endpoints: readonly EndpointSpec[];
  readonly timeouts: { readonly connectMs: number; readonly requestMs: number; readonly idleMs: number };
  readonly pool: { readonly connections: number; readonly keepAliveMs: number };
}

export interface EndpointSpec {
  /** `host:port` as written (IPv6 bracketed). */
  readonly address: string;
  /** Host without brackets. */
  readonly host: string;
  readonly port: number;
  readonly weight: number;
}
