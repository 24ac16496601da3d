/**
 * The plugin interface: what the data plane calls, at two fixed phases, for a route's plugins.
 *
 * A route's plugins are built once per runtime (`buildPluginChain`, at assemble time) into a
 * `PluginChain`; a route without plugins has `null` and pays nothing. Per request the exchange
 * hands the chain a `PluginRequest` (its own view of the request, implemented by the exchange
 * itself so no object is allocated for it) after routing and after the upstream header list was
 * built, and before limits and any upstream work:
 *
 *   request phase:  plugin 1 .. n   each returns CONTINUE, a reply (ends the chain), or a
 *                                   promise of either (JWT verification is asynchronous)
 *   response phase: plugin n .. 1   each may edit the status line's headers in place, for
 *                                   upstream responses and for replies made by a plugin
 *
 * Plugins never see the exchange, undici or node:http: adding one never touches the proxy.
 */
import type { ErrorCode } from '@weir/errors';

/** The request as plugins see and edit it. */
export interface PluginRequest {
  /** Upper-case method. */
  readonly method: string;
  /** The request host (from `Host` / `:authority`, port included as sent), or '' when absent. */
  readonly host: string;
  /** The resolved client address (after trusted proxies). */
  readonly clientAddress: string;
  /** The request came over TLS. */
  readonly secure: boolean;
  /**
   * The origin-form target sent upstream: normalised path plus `?query`. A rewrite plugin
   * assigns it; the routing decision already made is not revisited.
   */
  path: string;
  /**
   * The upstream request's header list, flat `[name, value, ...]` as received (names in their
   * received case), already without hop-by-hop fields, with X-Forwarded-* and Via set. Plugins
   * edit it with the helpers of `header-list.ts`.
   */
  readonly headers: string[];
  /**
   * Response headers every response to this request gets (upstream ones and replies), flat
   * `[name, value, ...]`: CORS and request-id plugins push here. Null until a plugin adds one
   * (`addResponseHeader`).
   */
  responseHeaders: string[] | null;
  /** The request id a `requestId` plugin set (for the access log); null otherwise. */
  requestId: string | null;
  /**
   * The request's W3C trace id (continued from `traceparent` or started by Weir, issue 18);
   * null when `tracing.propagation` is off. A `requestId` plugin with `useTraceId` takes it.
   */
  readonly traceId: string | null;
  /** Claims of a JWT a `jwt` plugin validated (rate-limit keys by claim read them); else null. */
  claims: Readonly<Record<string, unknown>> | null;
  /** The principal an auth plugin established (basic-auth user, API-key name, JWT `sub`); else null. */
  principal: string | null;
}

/** A plugin's own answer instead of forwarding (a redirect, a CORS preflight, an auth refusal). */
export interface PluginReply {
  readonly status: number;
  /** Flat `[name, value, ...]`; `content-length` is added by the sender. */
  readonly headers: readonly string[];
  /** Empty for none. */
  readonly body: string | Buffer;
  /**
   * Set when the reply is an error of the catalogue: the exchange then sends the catalogue's JSON
   * body and `x-weir-error` with `headers` added (for `WWW-Authenticate`), and ignores `body`
   * and `status` (the catalogue's status is used).
   */
  readonly code: ErrorCode | null;
}

/** What the request phase of one plugin decides. */
export type PluginOutcome = PluginReply | typeof CONTINUE;

/** The request goes on to the next plugin (and after the last, to limits and the upstream). */
export const CONTINUE = null;

/** The response as the response phase sees it. */
export interface PluginResponse {
  readonly status: number;
  /** Flat `[name, value, ...]`, edited in place before the status line is written. */
  readonly headers: string[];
}

/** One built plugin. Instances are per runtime and shared by all its requests: no per-request state. */
export interface Plugin {
  /** The config `type` (`"jwt"`, `"cors"`, ...), for metrics and errors. */
  readonly type: string;
  /** Request phase; absent = nothing to do. */
  onRequest?(req: PluginRequest): PluginOutcome | Promise<PluginOutcome>;
  /** Response phase; absent = nothing to do. `req` is the same request the request phase saw. */
  onResponse?(req: PluginRequest, res: PluginResponse): void;
}

/**
 * Keys from JWKS URLs, fetched by the primary and handed to every worker (`weir:jwks`). A JWT
 * plugin with a `jwksUrl` reads its key set here on each verification, so a refresh reaches
 * requests without a new config version.
 */
export interface JwksSource {
  /** The last JWK Set fetched from `url`, or null when none has been fetched yet (then: 401). */
  get(url: string): { readonly keys: readonly Readonly<Record<string, unknown>>[] } | null;
}

/** What building plugins needs besides their specs. */
export interface PluginDeps {
  readonly jwks: JwksSource;
  /** Wall clock in ms since the epoch (JWT `exp`/`nbf`); tests inject one. */
  readonly now: () => number;
}
