/**
 * Proxy module: the request pipeline (DESIGN.md section 3), the undici round trip, streaming
 * and proxy-made error responses.
 */
export { ProxyHandler } from './proxy-handler';
export type { ProxyHandlerOptions, RuntimeSource } from './proxy-handler';
export { ProxyExchange } from './proxy-exchange';
export { ProxyResponse, H2ProxyResponse } from './proxy-response';
export type { ClientResponse } from './proxy-response';
export { copyRequestHeaders, REQUEST_HAS_BODY, VIA_ENTRY } from './copy-request-headers';
export { copyResponseHeaders } from './copy-response-headers';
export { upstreamErrorCode } from './upstream-error-code';
export { findHost } from './request-target';
export { routeRequest, redirectMetric, wantsHttps } from './route-request';
export type { RoutedRequest, RouteFailure } from './route-request';
export { prebuiltError, sendError } from './error-response';
export { GuardedRequest } from './guarded-request';
export { runGuard, declaredBodyLength } from './route-guard';
export type { GuardOwner } from './route-guard';
