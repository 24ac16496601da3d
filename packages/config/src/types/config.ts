/**
 * The Weir config, as an operator writes it (JSON). This file is the TypeScript mirror of
 * `schema/weir.schema.json`; the schema is the source of truth for validation, these types are
 * what code reads after validation. Every field documents its default. Durations are integer
 * milliseconds and their names end in `Ms`.
 *
 * Forward compatibility: top-level keys starting with `x-` are accepted and ignored, and the
 * `admin` section is reserved for the admin API (issue 3). Any other unknown key is an error.
 *
 * Names (of listeners, routes, upstreams) are 1-128 characters of letters, digits, `.`, `_` and
 * `-`, starting with a letter or digit, and unique within their section. Durations (`...Ms`) are
 * 1 ms to 24 h unless a field says 0 is allowed.
 */
export interface WeirConfig {
  /** Optional URL or path of the JSON Schema, for editors. Ignored. */
  readonly $schema?: string;
  /**
   * Number of worker processes, 1-1024. Default `"auto"`: one per CPU core (`os.availableParallelism()`).
   * Changing it at runtime takes effect on the next start.
   */
  readonly workers?: number | 'auto';
  /** Process logs and access logs. */
  readonly logging?: LoggingConfig;
  /** Process-wide behaviour of the data plane. */
  readonly server?: ServerConfig;
  /** Where the proxy accepts traffic. At least one; no two bind the same address and port. */
  readonly listeners: readonly ListenerConfig[];
  /** Routes, matched per request (see RouteConfig for precedence). May be empty (all 404). */
  readonly routes: readonly RouteConfig[];
  /** Named groups of endpoints that routes forward to. Default: none. */
  readonly upstreams?: readonly UpstreamConfig[];
  /** Reserved for the admin API section (issue 3). */
  readonly admin?: Readonly<Record<string, unknown>>;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggingConfig {
  /** Minimum level of process logs (pino, JSON lines on stdout). Default `"info"`. */
  readonly level?: LogLevel;
  /** Access log, one JSON line per request, written asynchronously. Default: disabled. */
  readonly accessLog?: AccessLogConfig;
}

export interface AccessLogConfig {
  /** Default `false`. */
  readonly enabled?: boolean;
  /** `"stdout"` or an absolute file path (appended to). Default `"stdout"`. */
  readonly path?: string;
}

export interface ServerConfig {
  /**
   * On SIGTERM, how long in-flight requests may run before the worker exits anyway.
   * Default `30000`.
   */
  readonly drainTimeoutMs?: number;
}

export interface ListenerConfig {
  /** Unique name, referenced by routes' `listeners`. */
  readonly name: string;
  /**
   * IP address to bind: an IP literal, IPv6 without brackets (names are not resolved).
   * Default `"127.0.0.1"`. Use `"0.0.0.0"` or `"::"` (dual-stack) for all interfaces.
   */
  readonly address?: string;
  /** TCP port, 1-65535 (0 picks a free port: tests only). */
  readonly port: number;
  /** Limits protecting the listener from slow or large clients. */
  readonly limits?: ListenerLimitsConfig;
}

export interface ListenerLimitsConfig {
  /** Time allowed to receive the whole request header section. Default `10000`. */
  readonly headersTimeoutMs?: number;
  /** Time allowed to receive the whole request, body included; 0 disables. Default `0`
   * (bodies are streamed; the upstream `idleMs` guards stalled uploads). When set, it must be
   * at least `headersTimeoutMs` (Node refuses the opposite). */
  readonly requestTimeoutMs?: number;
  /** How long an idle client keep-alive connection stays open. Default `5000`. */
  readonly keepAliveTimeoutMs?: number;
  /** Largest request header section in bytes, 1024-1048576; larger gets 431. Default `16384`. */
  readonly maxHeaderBytes?: number;
  /** Requests served on one client connection before it is closed; 0 = unlimited. Default `0`. */
  readonly maxRequestsPerConnection?: number;
}

/**
 * A route: a match and exactly one action (`upstream`, `split` or `directResponse`).
 *
 * Precedence: the request's host picks a host bucket first, most specific first: an exact host,
 * then the longest matching `*.suffix` wildcard, then routes without `hosts`. Routes without
 * `hosts` also belong to every bucket. Within the bucket, routes are tried in config order and the
 * first whose path, methods and headers all match wins (Envoy's virtual host + first-match
 * order). No match is a 404 with code WEIR_ERR_NO_ROUTE.
 */
export interface RouteConfig {
  /** Unique name, used in metrics, logs and errors. */
  readonly name: string;
  /** Listener names this route serves (at least one when set). Default: every listener. */
  readonly listeners?: readonly string[];
  readonly match?: MatchConfig;
  /** Forward to one upstream (shorthand for a split with one entry). */
  readonly upstream?: string;
  /** Forward to upstream groups by weight (each request picks one group). */
  readonly split?: readonly SplitConfig[];
  /** Answer directly without an upstream. */
  readonly directResponse?: DirectResponseConfig;
  /** Per-route overrides of the upstream timeouts. */
  readonly timeouts?: RouteTimeoutsConfig;
}

export interface MatchConfig {
  /**
   * Host names (case-insensitive, port ignored). `example.com` is exact; `*.example.com` matches
   * any name ending in `.example.com` (one or more labels). Default: any host.
   */
  readonly hosts?: readonly string[];
  /** Path match on the request target's path (query excluded). Default: any path. */
  readonly path?: PathMatchConfig;
  /** Methods (upper case). Default: any method. */
  readonly methods?: readonly string[];
  /** Every listed header condition must hold. Default: none. */
  readonly headers?: readonly HeaderMatchConfig[];
}

/** Exactly one of `exact`, `prefix`, `regex`. */
export interface PathMatchConfig {
  /** The path equals this string. Starts with `/`; no `?`, `#` or whitespace. */
  readonly exact?: string;
  /**
   * The path starts with this string. A prefix ending in `/` matches only below it; a prefix
   * without a trailing slash also matches at a segment boundary (`/api` matches `/api`,
   * `/api/x`, `/api?q`, not `/apix`). Starts with `/`; no `?`, `#` or whitespace.
   */
  readonly prefix?: string;
  /**
   * ECMAScript regular expression, compiled without flags and anchored to the whole path
   * (`^(?:regex)$`). 1-1024 characters.
   */
  readonly regex?: string;
}

/** Header condition. With none of `exact`, `prefix`, `regex`: the header must be present. */
export interface HeaderMatchConfig {
  /** Header name (an RFC 9110 token), case-insensitive. */
  readonly name: string;
  readonly exact?: string;
  readonly prefix?: string;
  /**
   * ECMAScript regular expression, compiled without flags and anchored to the whole value
   * (`^(?:regex)$`). 1-1024 characters. At most one of `exact`, `prefix`, `regex`.
   */
  readonly regex?: string;
  /** `true`: the header must be absent (no value conditions allowed). Default `false`. */
  readonly absent?: boolean;
}

export interface SplitConfig {
  /** Name of an upstream; each upstream at most once per split. */
  readonly upstream: string;
  /** Relative weight, integer 1-10000. Default `1`. */
  readonly weight?: number;
}

export interface DirectResponseConfig {
  /** HTTP status, 200-599. */
  readonly status: number;
  /** Response body, at most 1 MiB of characters; none with status 204 or 304. Default: empty. */
  readonly body?: string;
  /**
   * Response headers. Names are tokens, case-insensitive, each at most once; hop-by-hop headers
   * (`connection`, `keep-alive`, `proxy-connection`, `te`, `trailer`, `transfer-encoding`,
   * `upgrade`) and `content-length` (computed from the body) are rejected. Values contain no CR,
   * LF or NUL. Default `content-type: text/plain; charset=utf-8` when a body is set.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteTimeoutsConfig {
  /** Overrides the upstream's `requestMs` for this route. */
  readonly requestMs?: number;
}

export interface UpstreamConfig {
  /** Unique name, referenced by routes. */
  readonly name: string;
  /** At least one endpoint; no address twice. */
  readonly endpoints: readonly EndpointConfig[];
  readonly timeouts?: UpstreamTimeoutsConfig;
  readonly pool?: PoolConfig;
}

export interface EndpointConfig {
  /**
   * `host:port` (IPv6 as `[::1]:port`), port 1-65535. Host is an IPv4 address, a bracketed IPv6
   * address or a DNS name.
   */
  readonly address: string;
  /** Relative weight for balancing, integer 1-10000. Default `1`. */
  readonly weight?: number;
}

export interface UpstreamTimeoutsConfig {
  /** TCP connect timeout; expiry is a 504 WEIR_ERR_UPSTREAM_CONNECT_TIMEOUT. Default `5000`. */
  readonly connectMs?: number;
  /**
   * Time from sending the request until the response headers arrive; expiry is a 504
   * WEIR_ERR_UPSTREAM_TIMEOUT. Default `30000`.
   */
  readonly requestMs?: number;
  /**
   * Longest silence while streaming a body in either direction; expiry aborts the exchange
   * (a 504 if no response was started). Default `60000`.
   */
  readonly idleMs?: number;
}

export interface PoolConfig {
  /** Most connections per endpoint per worker, 1-65535. Default `256`. */
  readonly connections?: number;
  /** How long an idle upstream keep-alive connection is kept. Default `4000` (below the
   * common 5 s server-side keep-alive, to avoid racing the upstream's close). */
  readonly keepAliveMs?: number;
}
