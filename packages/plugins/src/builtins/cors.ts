import { addHeader, addResponseHeader, getHeader, headerNameIs, setHeader } from '../header-list';
import { CONTINUE, type Plugin, type PluginOutcome, type PluginReply, type PluginRequest, type PluginResponse } from '../plugin';
import type { CorsPluginSpec } from '../plugin-spec';
import { plainReply } from '../reply';

/** True when some `Vary` line of `list` names `Origin` (or is `*`). */
function variesOnOrigin(list: readonly string[]): boolean {
  for (let i = 0; i < list.length - 1; i += 2) {
    if (!headerNameIs(list[i] as string, 'vary')) continue;
    const value = (list[i + 1] as string).toLowerCase();
    if (value.includes('origin') || value.includes('*')) return true;
  }
  return false;
}

/**
 * `cors` (Fetch standard, "CORS protocol"): Weir answers preflights itself and adds the CORS
 * response headers to every other response of an allowed origin. List it first: a preflight
 * carries no credentials, so an auth plugin before it would refuse it, and a refusal by a later
 * plugin then still carries the CORS headers (a page can read its 401).
 *
 * - Preflight = `OPTIONS` with `Origin` and `Access-Control-Request-Method`. Allowed origin:
 *   204 with `Access-Control-Allow-Origin` (the origin, or `*` for `["*"]`), `-Allow-Methods`,
 *   `-Allow-Headers` (when any), `-Max-Age`, `-Allow-Credentials: true` (when set, never with
 *   `*`) and `Vary: Origin` (unless `*`). The lists are the configured ones whatever the
 *   preflight asks for: the browser compares (as Envoy's and Kong's CORS filters do).
 *   Disallowed origin: 204 without any `Access-Control-*` header, so the browser refuses the
 *   actual request. The preflight never reaches the upstream (as Kong, without
 *   `preflight_continue`; Envoy would forward it).
 * - Any other request: the request phase adds, to the headers of every response
 *   (`req.responseHeaders`, which upstream responses, plugin replies and error answers all
 *   get), `Vary: Origin` unless origins are `*` (a shared cache must not serve one origin's
 *   answer to another) and, for an allowed origin, `Access-Control-Allow-Origin`,
 *   `-Expose-Headers` (when any) and `-Allow-Credentials` (when set). The response phase then
 *   makes those the only lines of their names (an upstream's own `Access-Control-Allow-Origin`
 *   would otherwise make two, which browsers refuse) and adds them, with `Vary: Origin`, to a
 *   reply made before this plugin's request phase ran. Responses to a disallowed origin carry
 *   no CORS header of Weir's (the upstream's are left alone).
 */
export class CorsPlugin implements Plugin {
  readonly type = 'cors';
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  private readonly credentials: boolean;
  private readonly exposeHeaders: string;
  /** The preflight reply for `*` (the same for every origin), else null. */
  private readonly anyOriginPreflight: PluginReply | null;
  /** Preflight headers after `Access-Control-Allow-Origin: <origin>` (allowed origin, not `*`). */
  private readonly preflightTail: readonly string[];
  /** The preflight reply for a disallowed origin. */
  private readonly refusedPreflight: PluginReply;

  constructor(spec: CorsPluginSpec) {
    this.anyOrigin = spec.allowOrigins.includes('*');
    this.origins = new Set(spec.allowOrigins);
    // The Fetch standard refuses `Access-Control-Allow-Credentials` with a `*` origin.
    this.credentials = spec.allowCredentials && !this.anyOrigin;
    this.exposeHeaders = spec.exposeHeaders.join(', ');
    const tail: string[] = ['access-control-allow-methods', spec.allowMethods.join(', ')];
    if (spec.allowHeaders.length !== 0) tail.push('access-control-allow-headers', spec.allowHeaders.join(', '));
    tail.push('access-control-max-age', String(spec.maxAgeSeconds));
    if (this.credentials) tail.push('access-control-allow-credentials', 'true');
    if (!this.anyOrigin) tail.push('vary', 'Origin');
    this.preflightTail = tail;
    this.anyOriginPreflight = this.anyOrigin ? plainReply(204, ['access-control-allow-origin', '*', ...tail]) : null;
    this.refusedPreflight = plainReply(204, this.anyOrigin ? [] : ['vary', 'Origin']);
  }

  /** True when `origin` may read responses. */
  allows(origin: string): boolean {
    return this.anyOrigin || this.origins.has(origin);
  }

  onRequest(req: PluginRequest): PluginOutcome {
    const headers = req.headers;
    const origin = getHeader(headers, 'origin');
    if (origin !== null && req.method === 'OPTIONS' && getHeader(headers, 'access-control-request-method') !== null) return this.preflight(origin);
    if (!this.anyOrigin) addResponseHeader(req, 'vary', 'Origin');
    if (origin !== null && this.allows(origin)) {
      addResponseHeader(req, 'access-control-allow-origin', this.anyOrigin ? '*' : origin);
      if (this.exposeHeaders !== '') addResponseHeader(req, 'access-control-expose-headers', this.exposeHeaders);
      if (this.credentials) addResponseHeader(req, 'access-control-allow-credentials', 'true');
    }
    return CONTINUE;
  }

  private preflight(origin: string): PluginReply {
    if (this.anyOriginPreflight !== null) return this.anyOriginPreflight;
    if (!this.origins.has(origin)) return this.refusedPreflight;
    const tail = this.preflightTail;
    const replyHeaders = new Array<string>(tail.length + 2);
    replyHeaders[0] = 'access-control-allow-origin';
    replyHeaders[1] = origin;
    for (let i = 0; i < tail.length; i++) replyHeaders[i + 2] = tail[i] as string;
    return { status: 204, headers: replyHeaders, body: '', code: null };
  }

  onResponse(req: PluginRequest, res: PluginResponse): void {
    const headers = req.headers;
    const origin = getHeader(headers, 'origin');
    // Preflights are answered by onRequest with all their headers (or by an earlier plugin's refusal).
    if (origin !== null && req.method === 'OPTIONS' && getHeader(headers, 'access-control-request-method') !== null) return;
    if (origin === null || !this.allows(origin)) return;
    const out = res.headers;
    if (!this.anyOrigin && !variesOnOrigin(out)) addHeader(out, 'vary', 'Origin');
    setHeader(out, 'access-control-allow-origin', this.anyOrigin ? '*' : origin);
    if (this.exposeHeaders !== '') setHeader(out, 'access-control-expose-headers', this.exposeHeaders);
    if (this.credentials) setHeader(out, 'access-control-allow-credentials', 'true');
  }
}
