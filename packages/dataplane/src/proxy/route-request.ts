import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { RequestMetricHandle } from '@weir/obs';
import type { RouteRuntime, RouteTarget, WorkerRuntime } from '../assemble/index';
import { normaliseTarget, parseAbsoluteTarget } from '../server/index';
import { findHost } from './request-target';

/** Router headers argument for listeners without header matchers (see `ListenerRoutes`). */
const NO_HEADERS: IncomingHttpHeaders = Object.freeze({}) as IncomingHttpHeaders;

/**
 * What `routeRequest` leaves besides the route, written into the caller (the exchange) so that
 * routing allocates nothing of its own.
 */
export interface RoutedRequest {
  /** The origin-form target sent upstream: path and query. */
  path: string;
  /** The authority of an absolute-form target, which replaces `Host` upstream; else null. */
  hostOverride: string | null;
  /** The request came on a TLS listener. */
  secure: boolean;
}

/** Why a request has no route: an unparsable target (400) or no match (404). */
export type RouteFailure = 'WEIR_ERR_BAD_REQUEST' | 'WEIR_ERR_NO_ROUTE';

/**
 * Routes a request on listener `listener` of `runtime`: splits the target (an absolute-form
 * target, RFC 9112 section 3.2.2, gives the host), normalises the path (`server.paths`: an
 * invalid or escaping path is a 400), matches the listener's router on host, path,
 * method and, only where a route needs them, headers. Shared by the proxy exchange and the
 * tunnel exchange, so an upgrade is routed exactly like any request.
 */
export function routeRequest(runtime: WorkerRuntime, listener: string, req: IncomingMessage, out: RoutedRequest): RouteRuntime | RouteFailure {
  const url = req.url as string;
  let target = url;
  let hostOverride: string | null = null;
  if (url.charCodeAt(0) !== 0x2f) {
    const absolute = parseAbsoluteTarget(url);
    if (absolute === null) return 'WEIR_ERR_BAD_REQUEST';
    target = absolute.target;
    hostOverride = absolute.host;
  }
  // One path policy, applied once: what routing matches is what goes upstream (issue 9).
  const policy = runtime.policy;
  const normal = normaliseTarget(target, policy.mergeSlashes, policy.rejectEscapedSlashes);
  if (normal === null) return 'WEIR_ERR_BAD_REQUEST';
  target = normal;
  out.path = target;
  out.hostOverride = hostOverride;
  const routes = runtime.listeners.get(listener);
  if (routes === undefined) return 'WEIR_ERR_NO_ROUTE';
  out.secure = routes.secure;
  const q = target.indexOf('?');
  const route = routes.router.match(
    hostOverride ?? findHost(req.rawHeaders),
    q === -1 ? target : target.slice(0, q),
    req.method as string,
    routes.needsHeaders ? req.headers : NO_HEADERS,
  );
  return route === null ? 'WEIR_ERR_NO_ROUTE' : route;
}

/** The metric handle a redirect to HTTPS counts in: the route's own, or its first target's. */
export function redirectMetric(route: RouteRuntime): RequestMetricHandle | null {
  if (route.metric !== null) return route.metric;
  return route.targets.length === 0 ? null : (route.targets[0] as RouteTarget).metric;
}

/** A route's redirect applies: it has one and the request came over plain HTTP. */
export function wantsHttps(route: RouteRuntime, out: RoutedRequest): boolean {
  return route.httpsRedirect !== null && !out.secure;
}

