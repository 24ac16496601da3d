/**
 * Edge policy in the spec (issue 9): the config's `plugins`, route `limits`, `clientAddress` and
 * `server.paths` with every default filled in. See `@weir/config`'s types/policy.ts for the
 * meaning of each field; here only what the build resolved is documented.
 */

export interface ClientAddressSpec {
  /** Canonical CIDR strings (`10.0.0.0/8`, `::1/128`); empty = the TCP peer is the client. */
  readonly trustedProxies: readonly string[];
  readonly header: 'x-forwarded-for' | 'forwarded';
}

export interface PathsSpec {
  readonly mergeSlashes: boolean;
  readonly escapedSlashes: 'reject' | 'keep';
}

export interface RouteLimitsSpec {
  readonly rate: readonly RateLimitSpec[];
  /** 0 = unlimited. Host-wide; each worker admits ceil(maxConcurrent / workers). */
  readonly maxConcurrent: number;
  /** 0 = unlimited. */
  readonly maxBodyBytes: number;
}

export interface RateLimitSpec {
  /** Unique within the route (default `<route>-<index>`). */
  readonly name: string;
  /** Tokens per second (the config's `rate` / `per`). */
  readonly ratePerSecond: number;
  /** The config's `per` as seconds (1, 60, 3600), for `RateLimit-Policy: w=`. */
  readonly windowSeconds: number;
  /** The config's `rate` (tokens per window), for `RateLimit-Policy: q=`. */
  readonly quota: number;
  readonly burst: number;
  readonly key: RateLimitKeySpec;
  readonly scope: 'host' | 'global';
  /**
   * The bucket's identity across workers and hosts: the first 16 hex digits of sha256 over the
   * canonical JSON of `[route name, limit name, rate, per, burst, scope]` (`rateLimitId`). Two
   * configs with the same limit share buckets; a change of rate, window, burst or scope starts
   * fresh ones. The key is not part of it.
   */
  readonly id: string;
}

export type RateLimitKeySpec =
  | { readonly kind: 'clientAddress' }
  | { readonly kind: 'route' }
  /** `name` lower-cased. */
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'claim'; readonly name: string };

/** Header edits with lower-cased names. */
export interface HeaderEditsSpec {
  readonly set: readonly { readonly name: string; readonly value: string }[];
  readonly add: readonly { readonly name: string; readonly value: string }[];
  readonly remove: readonly string[];
}

export type PluginSpec =
  | ({ readonly type: 'requestHeaders' } & HeaderEditsSpec)
  | ({ readonly type: 'responseHeaders' } & HeaderEditsSpec)
  | RewritePluginSpec
  | { readonly type: 'redirect'; readonly location: string; readonly status: 301 | 302 | 303 | 307 | 308 }
  | { readonly type: 'requestId'; readonly header: string; readonly propagate: boolean; readonly useTraceId: boolean }
  | CorsPluginSpec
  | { readonly type: 'ipFilter'; readonly allow: readonly string[]; readonly deny: readonly string[] }
  | BasicAuthPluginSpec
  | ApiKeyPluginSpec
  | JwtPluginSpec;

export type RewritePluginSpec =
  | { readonly type: 'rewrite'; readonly kind: 'stripPrefix'; readonly from: string; readonly to: '' }
  | { readonly type: 'rewrite'; readonly kind: 'replacePrefix'; readonly from: string; readonly to: string }
  | { readonly type: 'rewrite'; readonly kind: 'regex'; readonly pattern: string; readonly replacement: string };

export interface CorsPluginSpec {
  readonly type: 'cors';
  /** Exact origins; `["*"]` = any. */
  readonly allowOrigins: readonly string[];
  /** Upper-cased. */
  readonly allowMethods: readonly string[];
  /** Lower-cased. */
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds: number;
}

export interface BasicAuthPluginSpec {
  readonly type: 'basicAuth';
  readonly realm: string;
  /** `passwordHash`: a scrypt PHC string (`$scrypt$ln=..,r=..,p=..$salt$hash`, base64 without padding). */
  readonly users: readonly { readonly name: string; readonly passwordHash: string }[];
  /** Lower-cased; null = not forwarded. */
  readonly userHeader: string | null;
}

export interface ApiKeyPluginSpec {
  readonly type: 'apiKey';
  /** Lower-cased. */
  readonly header: string;
  /** null = header only. */
  readonly query: string | null;
  /** `sha256`: lower-case hex. */
  readonly keys: readonly { readonly name: string; readonly sha256: string }[];
  readonly nameHeader: string | null;
}

export interface JwtPluginSpec {
  readonly type: 'jwt';
  readonly issuers: readonly string[];
  readonly audiences: readonly string[];
  readonly algorithms: readonly string[];
  /** Inline JWK Set, or null when the keys come from `jwksUrl`. */
  readonly jwks: { readonly keys: readonly Readonly<Record<string, unknown>>[] } | null;
  /** Fetched by the primary and sent to the workers (`weir:jwks`); null with inline keys. */
  readonly jwksUrl: string | null;
  readonly jwksRefreshMs: number;
  readonly clockSkewSeconds: number;
  /** Lower-cased; `authorization` means `Bearer <token>`, any other header its whole value. */
  readonly header: string;
  /** Header names lower-cased. */
  readonly forwardClaims: readonly { readonly claim: string; readonly header: string }[];
  readonly stripToken: boolean;
}
