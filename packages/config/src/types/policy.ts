/**
 * Edge policy of the Weir config (issue 9): request plugins, route limits (rate, concurrency,
 * body size), the client address behind trusted proxies, global limits on Redis and the request
 * path policy. Documented with examples in apps/weir/docs/config.md and gateway-recipes.md.
 */

/**
 * How the client address is found. Without `trustedProxies` it is the TCP peer's address.
 * With them, the forwarding header is read right to left: each hop whose address is in a
 * trusted CIDR is skipped, the first untrusted one is the client (nginx `real_ip_recursive on`,
 * Envoy `xff_num_trusted_hops` by CIDR). The peer itself must be trusted for the header to be
 * read at all. Every feature that keys on the client address (rate-limit keys, `ipFilter`,
 * hashing balancers, the access log) uses this one resolved address.
 */
export interface ClientAddressConfig {
  /** CIDRs (IPv4 or IPv6; a bare address is a /32 or /128) of proxies in front of Weir. Default none. */
  readonly trustedProxies?: readonly string[];
  /** Which header the trusted proxies write. Default `"x-forwarded-for"`. */
  readonly header?: 'x-forwarded-for' | 'forwarded';
}

/**
 * The request path policy, applied once before routing; the path routing sees is the path sent
 * upstream (RFC 3986 section 6.2.2). Always: percent-encoded unreserved characters are decoded
 * (`%41` -> `A`), hex digits of other escapes upper-cased, dot segments removed (a `..` above
 * the root is 400). The options below choose the rest.
 */
export interface PathsConfig {
  /** Collapse runs of `/` into one (`//a///b` -> `/a/b`). Default `true`. */
  readonly mergeSlashes?: boolean;
  /**
   * `%2F`, `%5C` (encoded `/` and `\`): `"reject"` answers 400 WEIR_ERR_BAD_REQUEST, `"keep"`
   * forwards them as they are (routing sees them as ordinary characters). Default `"reject"`.
   */
  readonly escapedSlashes?: 'reject' | 'keep';
}

/** Connection to Redis for `scope: "global"` rate limits. */
export interface GlobalLimitsConfig {
  /** Redis server, `host:port` (IPv4, bracketed IPv6 or a DNS name). */
  readonly redis: string;
  /** Redis ACL user. Default none. */
  readonly username?: string;
  /** Redis password (AUTH). Default none. */
  readonly password?: string;
  /** Redis database number 0-15. Default `0`. */
  readonly database?: number;
  /** Prefix of every key Weir writes. Default `"weir:rl:"`. */
  readonly keyPrefix?: string;
  /** Time allowed for one Redis command before it counts as a failure. Default `250`. */
  readonly timeoutMs?: number;
  /**
   * While Redis is unreachable: `"open"` admits requests as if the global limit were a host
   * limit of the same rate (each host enforces it alone), `"closed"` answers 429 (Retry-After 1).
   * Default `"open"` (as Envoy's rate-limit filter, `failure_mode_deny: false`).
   */
  readonly onRedisFailure?: 'open' | 'closed';
}

/** A route's limits, checked after its plugins and before any upstream work. */
export interface RouteLimitsConfig {
  /** Token-bucket rate limits; a request must pass all of them. Default none. */
  readonly rate?: readonly RateLimitConfig[];
  /**
   * Requests of this route in flight at once in this host (shared by the workers by static
   * division: each of N workers admits ceil(maxConcurrent / N)); more get 503
   * WEIR_ERR_ROUTE_CONCURRENCY. 1-1e6. Default: unlimited.
   */
  readonly maxConcurrent?: number;
  /**
   * Largest request body in bytes; a larger `Content-Length` gets 413 WEIR_ERR_BODY_TOO_LARGE
   * before anything is forwarded, and a chunked body that grows past it is cut (413 when no
   * response has started, else the connection is closed). An integer 0-1e12; `0` also means
   * unlimited, as in the spec. Default: unlimited.
   */
  readonly maxBodyBytes?: number;
}

/**
 * One token bucket: `rate` tokens per `per`, at most `burst` saved. Each request takes one
 * token; a request finding none gets 429 WEIR_ERR_RATE_LIMITED with `Retry-After` and the
 * `RateLimit` / `RateLimit-Policy` headers (draft-ietf-httpapi-ratelimit-headers).
 */
export interface RateLimitConfig {
  /**
   * Name in metrics and in `RateLimit-Policy`; a `name` (1-128 letters, digits, `.`, `_`, `-`).
   * Unique in the route, default names included. Default: the route's name, `-` and the limit's
   * index from 0 (`api-0`).
   */
  readonly name?: string;
  /** Tokens added per `per`, > 0 (fractions allowed: `0.5` per second is one every 2 s), at most 1e9. */
  readonly rate: number;
  /** Default `"second"`. */
  readonly per?: 'second' | 'minute' | 'hour';
  /** Bucket size, an integer 1-1e9: how many requests may arrive at once. Default: `rate` rounded up. */
  readonly burst?: number;
  /**
   * What one bucket counts. A `claim` key needs a `jwt` plugin on the same route. Default
   * `{"kind":"clientAddress"}`.
   */
  readonly key?: RateLimitKeyConfig;
  /**
   * `"host"`: the limit holds for this host across its workers (the primary leases tokens to
   * them). `"global"`: it holds across every Weir sharing the `globalLimits` Redis (which must then
   * be configured). Default `"host"`.
   */
  readonly scope?: 'host' | 'global';
}

/**
 * The bucket key: the resolved client address, a request header's value, a claim of the JWT
 * a `jwt` plugin of the route validated, or the route as a whole. A request without the header
 * or claim counts under the empty key (one shared bucket).
 */
export type RateLimitKeyConfig =
  | { readonly kind: 'clientAddress' }
  | { readonly kind: 'route' }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'claim'; readonly name: string };

/** A request plugin of a route; plugins run in the order listed, before the route's limits. */
export type PluginConfig =
  | RequestHeadersPluginConfig
  | ResponseHeadersPluginConfig
  | RewritePluginConfig
  | RedirectPluginConfig
  | RequestIdPluginConfig
  | CorsPluginConfig
  | IpFilterPluginConfig
  | BasicAuthPluginConfig
  | ApiKeyPluginConfig
  | JwtPluginConfig;

/** Header edits; names are case-insensitive, applied in the order remove, set, add. */
export interface HeaderEditsConfig {
  /** Replace every value of the header with this one (adds it when absent). */
  readonly set?: Readonly<Record<string, string>>;
  /** Append one more line of the header. */
  readonly add?: Readonly<Record<string, string>>;
  /** Remove every line of these headers. */
  readonly remove?: readonly string[];
}

/** Edits the request headers sent upstream (not hop-by-hop ones, not `Host`). */
export interface RequestHeadersPluginConfig extends HeaderEditsConfig {
  readonly type: 'requestHeaders';
}

/** Edits the response headers sent to the client (upstream responses and plugin answers). */
export interface ResponseHeadersPluginConfig extends HeaderEditsConfig {
  readonly type: 'responseHeaders';
}

/** Rewrites the path sent upstream (the query is kept). Exactly one of the three forms (checked by validation). */
export interface RewritePluginConfig {
  readonly type: 'rewrite';
  /** Remove this prefix (`/api` turns `/api/x` into `/x`, `/api` into `/`). */
  readonly stripPrefix?: string;
  /** Replace the prefix `from` with `to`. */
  readonly replacePrefix?: { readonly from: string; readonly to: string };
  /**
   * RE2 regex on the whole path (anchored like route regexes, at most
   * `server.regexMaxProgramSize` instructions); on a match the path becomes `replacement`, where
   * `$1`..`$9` are captures (each must exist in `pattern`) and `$$` is `$`; any other `$` is an
   * error. No match: unchanged.
   */
  readonly regex?: { readonly pattern: string; readonly replacement: string };
}

/** Answers with a redirect instead of forwarding. */
export interface RedirectPluginConfig {
  readonly type: 'redirect';
  /**
   * `Location`: an absolute `http(s)://` URL or an absolute path (`/...`, not `//...`). `{path}` is
   * replaced by the request's path with its query, `{host}` by its host; no other `{...}`.
   */
  readonly location: string;
  /** 301, 302, 303, 307 or 308. Default `302`. */
  readonly status?: 301 | 302 | 303 | 307 | 308;
}

/** Gives every request an id, sent upstream, returned to the client and written to the access log. */
export interface RequestIdPluginConfig {
  readonly type: 'requestId';
  /** Header carrying the id. Default `"x-request-id"`. */
  readonly header?: string;
  /**
   * Keep an id the client sent (1-200 visible ASCII characters); else always generate one.
   * Default `true`.
   */
  readonly propagate?: boolean;
  /**
   * A generated id (no valid id kept by `propagate`) is the request's W3C trace id (32 lowercase
   * hex characters, continued from `traceparent` or started by Weir, issue 18) instead of a
   * random UUID, so logs and traces share one key. Needs `tracing.propagation` (the default);
   * without it a UUID is generated. Default `false`.
   */
  readonly useTraceId?: boolean;
}

/** CORS (Fetch standard): preflights are answered by Weir, other responses get the headers. */
export interface CorsPluginConfig {
  readonly type: 'cors';
  /**
   * Allowed origins, `scheme://host[:port]` without a path (`https://app.example.com`, compared
   * lower-cased), or `["*"]` alone for any.
   */
  readonly allowOrigins: readonly string[];
  /** Methods a preflight may ask for (upper-cased by the build). Default `["GET","HEAD","POST"]`. */
  readonly allowMethods?: readonly string[];
  /** Request headers a preflight may ask for, beyond the CORS-safelisted ones. Default none. */
  readonly allowHeaders?: readonly string[];
  /** Response headers scripts may read. Default none. */
  readonly exposeHeaders?: readonly string[];
  /** `Access-Control-Allow-Credentials: true` (not with `"*"`). Default `false`. */
  readonly allowCredentials?: boolean;
  /** Preflight cache time (`Access-Control-Max-Age`), 0-86400. Default `600`. */
  readonly maxAgeSeconds?: number;
}

/**
 * Allows or denies by the resolved client address. With `allow`, only listed CIDRs pass; `deny`
 * refuses listed CIDRs (deny wins). Refused: 403 WEIR_ERR_FORBIDDEN.
 */
export interface IpFilterPluginConfig {
  readonly type: 'ipFilter';
  /** CIDRs (a bare address is a /32 or /128) allowed; at least one when set. At least one of `allow`, `deny`. */
  readonly allow?: readonly string[];
  /** CIDRs refused, even when `allow` lists them; at least one when set. */
  readonly deny?: readonly string[];
}

/** HTTP Basic authentication (RFC 7617); passwords stored as scrypt PHC strings (`weirctl hash-secret`). */
export interface BasicAuthPluginConfig {
  readonly type: 'basicAuth';
  /** Realm in `WWW-Authenticate`. Default `"weir"`. */
  readonly realm?: string;
  readonly users: readonly { readonly name: string; readonly passwordHash: string }[];
  /** Forward the user name upstream in this header. Default none. */
  readonly userHeader?: string;
}

/** API keys, stored as SHA-256 hex digests (`weirctl hash-secret --sha256`). */
export interface ApiKeyPluginConfig {
  readonly type: 'apiKey';
  /** Header carrying the key. Default `"x-api-key"`. */
  readonly header?: string;
  /** Also accept the key from this query parameter. Default: header only. */
  readonly query?: string;
  readonly keys: readonly { readonly name: string; readonly sha256: string }[];
  /** Forward the key's name upstream in this header. Default none. */
  readonly nameHeader?: string;
}

/** JWT bearer validation (RFC 7519, RFC 8725) with `jose`. */
export interface JwtPluginConfig {
  readonly type: 'jwt';
  /** Accepted `iss` values; default: any. */
  readonly issuers?: readonly string[];
  /** Accepted `aud` values (one must be present); default: any. */
  readonly audiences?: readonly string[];
  /**
   * Accepted `alg` values among HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512,
   * ES256, ES384, EdDSA. HS* need `oct` keys in inline `jwks` (never `jwksUrl`). Default: every
   * asymmetric one (HS* only when listed),
   * Default `["RS256","RS384","RS512","PS256","PS384","PS512","ES256","ES384","EdDSA"]`.
   */
  readonly algorithms?: readonly string[];
  /** Keys inline: a JWK Set `{ "keys": [...] }` (public keys; `oct` keys for HS*). */
  readonly jwks?: { readonly keys: readonly Readonly<Record<string, unknown>>[] };
  /** Or an `http(s)://` JWKS URL the primary fetches and refreshes (exactly one of `jwks`, `jwksUrl`). */
  readonly jwksUrl?: string;
  /** How often the primary refreshes `jwksUrl`, 1000-86400000 (only with `jwksUrl`). Default `300000`. */
  readonly jwksRefreshMs?: number;
  /** Allowed clock skew for `exp` and `nbf`, seconds, 0-3600. Default `60`. */
  readonly clockSkewSeconds?: number;
  /**
   * Header carrying the token: `authorization` reads `Bearer <token>`, any other header carries
   * the token as its whole value. Default `"authorization"`.
   */
  readonly header?: string;
  /** Claims forwarded upstream as headers (string, number and boolean claims only). */
  readonly forwardClaims?: readonly { readonly claim: string; readonly header: string }[];
  /** Remove the token header before forwarding. Default `false`. */
  readonly stripToken?: boolean;
}
