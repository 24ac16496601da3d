/**
 * The Weir config, as an operator writes it (JSON). This file is the TypeScript mirror of
 * `schema/weir.schema.json`; the schema is the source of truth for validation, these types are
 * what code reads after validation. Every field documents its default. Durations are integer
 * milliseconds and their names end in `Ms`.
 *
 * Forward compatibility: top-level keys starting with `x-` are accepted and ignored. Any other
 * unknown key is an error.
 *
 * Names (of listeners, routes, upstreams, certificates) are 1-128 characters of letters, digits,
 * `.`, `_` and `-`, starting with a letter or digit, and unique within their section. Durations
 * (`...Ms`) are 1 ms to 24 h unless a field says 0 is allowed.
 */
import type { RouteConfig } from './route';
import type { UpstreamConfig } from './upstream';
import type { AdminConfig } from './admin';
import type { PullConfig } from './pull';
import type { CertificateConfig, Http2Config, HttpsRedirectConfig, ListenerTlsConfig } from './edge';
import type { ClientAddressConfig, GlobalLimitsConfig, PathsConfig } from './policy';
import type { TracingConfig } from './tracing';

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
  /** Certificates and keys listeners serve by SNI (see `CertificateConfig`). */
  readonly certificates?: readonly CertificateConfig[];
  /**
   * The admin REST API of the primary (apps/weir/docs/admin-api.md). Default: enabled on
   * `127.0.0.1:9901`, with a generated admin token when `tokens` is empty. Workers never see
   * this section (only a digest of it, so a change to it alone is still a new config version).
   */
  readonly admin?: AdminConfig;
  /**
   * The primary's state directory: committed config versions, kept across restarts
   * (apps/weir/docs/operations.md, "State directory"). Control plane only: workers never see it,
   * and a change to it alone is not a new config version for them.
   */
  readonly state?: StateConfig;
  /**
   * The bundle puller: take the config from a signed bundle at a URL (apps/weir/docs/bundles.md).
   * Default: none. Primary only: workers never see this section (only a digest of it, like
   * `admin`), and a bundle's own `pull` section is replaced by the running one's.
   */
  readonly pull?: PullConfig;
  /** How the client address is resolved behind trusted proxies. Default: the TCP peer. */
  readonly clientAddress?: ClientAddressConfig;
  /** Redis for `scope: "global"` rate limits; required when a route has one. Default none. */
  readonly globalLimits?: GlobalLimitsConfig;
  /** Trace context and OpenTelemetry spans (issue 18). Default: propagation only, no spans. */
  readonly tracing?: TracingConfig;
}

/** Where the primary persists committed configs, and how many it keeps. */
export interface StateConfig {
  /**
   * Directory of the committed config history. Read once at start, from the config file (a
   * config that itself comes from the state directory cannot move it); `--state-dir` overrides
   * it. Default: systemd's `$STATE_DIRECTORY`, else `/var/lib/weir` when run as root, else
   * `$XDG_STATE_HOME/weir` (`~/.local/state/weir`).
   */
  readonly dir?: string;
  /** Committed versions kept for rollback, 1-1000, the running one included. Default `20`. */
  readonly historySize?: number;
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
  /**
   * Largest RE2 program (instructions) a config regex may compile to; validation rejects larger
   * patterns with their JSON pointer. Matching one value costs at most its length times this,
   * and the listener's `maxHeaderBytes` bounds the length. 1-10000 (Envoy's `max_program_size`
   * has the same default). Read by validation only. Default `100`.
   */
  readonly regexMaxProgramSize?: number;
  /**
   * Worker watchdog: the primary pings every worker over IPC about every second; a worker whose
   * event loop has not answered for this long (outside an apply, when a worker may be busy
   * assembling a large config) is replaced by a fresh worker, which gets the committed version,
   * and then killed. `0` turns the watchdog off; otherwise 1000-600000. Default `5000`.
   */
  readonly watchdogTimeoutMs?: number;
  /** The request path policy (normalisation before routing). */
  readonly paths?: PathsConfig;
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
  /** TLS: the listener serves HTTPS (h2 and HTTP/1.1 by ALPN). Default: plain HTTP. */
  readonly tls?: ListenerTlsConfig;
  /**
   * Plain listeners only: `"http1"` (HTTP/1.1) or `"h2c"` (HTTP/2 with prior knowledge, no
   * HTTP/1.1 on that port). Default `"http1"`.
   */
  readonly protocol?: 'http1' | 'h2c';
  /** HTTP/2 limits (TLS listeners offering h2, and h2c listeners). */
  readonly http2?: Http2Config;
  /** Plain listeners only: answer every request with a redirect to HTTPS instead of routing it. */
  readonly httpsRedirect?: HttpsRedirectConfig;
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
  /**
   * Open client connections per worker on this listener; a connection beyond it is closed at
   * once (Node `server.maxConnections`). 0 = unlimited. Default `0`.
   */
  readonly maxConnections?: number;
}
