import { catalogue, type ErrorCode } from '@weir/errors';
import { SpanKind, SpanRecord, SpanStatusCode } from '@weir/tracing';
import type { AttemptSpan, RequestTrace } from './request-trace';
import type { TraceScope } from './trace-scope';

/** Span attributes (OpenTelemetry's `Attributes`, the scalar values Weir sets). */
type Attributes = Record<string, string | number | boolean>;

/** What the exchange knows when a recorded request ends; built only for recorded requests. */
export interface RequestFacts {
  readonly method: string;
  /** The request target as received (`req.url`); the query is not exported (it may hold secrets). */
  readonly target: string;
  /** `Host` (or the absolute-form authority), '' when absent. */
  readonly host: string;
  readonly secure: boolean;
  /** `1.1` or `2`. */
  readonly protocol: string;
  readonly clientAddress: string;
  readonly peerAddress: string;
  readonly userAgent: string | undefined;
  readonly status: number;
  readonly code: ErrorCode | null;
  /** null: no route matched. */
  readonly route: string | null;
  readonly upstream: string | null;
  readonly retries: number;
  readonly cacheStatus: string | null;
  /** `performance.now()` at arrival and at the end. */
  readonly startedAt: number;
  readonly endedAt: number;
}

/** Span events for the proxy's own decisions, by the error code that ended the request. */
const DECISION_EVENTS: Partial<Record<ErrorCode, string>> = {
  WEIR_ERR_BREAKER_OPEN: 'weir.breaker_open',
  WEIR_ERR_RATE_LIMITED: 'weir.rate_limited',
  WEIR_ERR_ROUTE_CONCURRENCY: 'weir.concurrency_limited',
  WEIR_ERR_UNAUTHORIZED: 'weir.plugin_rejected',
  WEIR_ERR_FORBIDDEN: 'weir.plugin_rejected',
  WEIR_ERR_BODY_TOO_LARGE: 'weir.body_too_large',
  WEIR_ERR_FAULT_INJECTED: 'weir.fault_injected',
};

/** Whether a request "ends in a 5xx or a proxy error" (`keepErrors`): not a client's mistake. */
export function endedInError(status: number, code: ErrorCode | null): boolean {
  return status >= 500 || (code !== null && catalogue[code].source !== 'downstream');
}

/**
 * The spans of one finished request (issue 18): the SERVER span, named after the route, with
 * the OpenTelemetry HTTP semantic-convention attributes and Weir's own, and one CLIENT span per
 * upstream attempt, parented on the server span (the attempt's id is what the upstream saw as
 * its parent). Times are the exchange's `performance.now()` readings on the epoch.
 */
export function requestSpans(trace: RequestTrace, facts: RequestFacts, scope: TraceScope): SpanRecord[] {
  const origin = performance.timeOrigin;
  const server = new SpanRecord(
    facts.route ?? facts.method,
    SpanKind.SERVER,
    trace.traceId,
    trace.spanId,
    trace.parentId,
    trace.parentId !== null,
    origin + facts.startedAt,
    origin + facts.endedAt,
    serverAttributes(facts, scope),
    scope.resource,
    scope.scope,
  );
  if (endedInError(facts.status, facts.code)) server.setStatus(SpanStatusCode.ERROR, facts.code ?? String(facts.status));
  const event = facts.code === null ? undefined : DECISION_EVENTS[facts.code];
  if (event !== undefined) server.addEvent(event, origin + facts.endedAt, { 'weir.error.code': facts.code as string });
  const spans = [server];
  const attempts = trace.attempts;
  if (attempts !== null) {
    for (let i = 0; i < attempts.length; i++) {
      const attempt = attempts[i] as AttemptSpan;
      if (i > 0) server.addEvent('weir.retry', origin + attempt.startedAt, { 'http.request.resend_count': i, 'weir.endpoint': attempt.endpoint });
      spans.push(clientSpan(trace, facts, attempt, i, scope));
    }
  }
  return spans;
}

function serverAttributes(facts: RequestFacts, scope: TraceScope): Attributes {
  const target = facts.target;
  const q = target.indexOf('?');
  const attributes: Attributes = {
    'http.request.method': facts.method,
    'url.path': q === -1 ? target : target.slice(0, q),
    'url.scheme': facts.secure ? 'https' : 'http',
    'server.address': hostName(facts.host),
    'client.address': facts.clientAddress,
    'network.peer.address': facts.peerAddress,
    'network.protocol.version': facts.protocol,
    'weir.config.version': scope.version,
    'weir.rollout.arm': scope.arm,
  };
  if (facts.status !== 0) attributes['http.response.status_code'] = facts.status;
  if (facts.userAgent !== undefined) attributes['user_agent.original'] = facts.userAgent;
  if (facts.route !== null) attributes['weir.route'] = facts.route;
  if (facts.upstream !== null) attributes['weir.upstream'] = facts.upstream;
  if (facts.retries !== 0) attributes['weir.retry.count'] = facts.retries;
  if (facts.cacheStatus !== null) attributes['weir.cache.status'] = facts.cacheStatus;
  if (facts.code !== null) attributes['weir.error.code'] = facts.code;
  if (endedInError(facts.status, facts.code)) attributes['error.type'] = facts.code ?? String(facts.status);
  return attributes;
}

function clientSpan(trace: RequestTrace, facts: RequestFacts, attempt: AttemptSpan, index: number, scope: TraceScope): SpanRecord {
  const origin = performance.timeOrigin;
  const colon = attempt.endpoint.lastIndexOf(':');
  const attributes: Attributes = {
    'http.request.method': facts.method,
    'server.address': colon === -1 ? attempt.endpoint : unbracket(attempt.endpoint.slice(0, colon)),
    'server.port': colon === -1 ? 0 : Number(attempt.endpoint.slice(colon + 1)),
    'weir.endpoint': attempt.endpoint,
  };
  if (facts.upstream !== null) attributes['weir.upstream'] = facts.upstream;
  if (index > 0) attributes['http.request.resend_count'] = index;
  if (attempt.status !== 0) attributes['http.response.status_code'] = attempt.status;
  const failed = attempt.code !== null || attempt.status >= 400;
  if (failed) attributes['error.type'] = attempt.code ?? String(attempt.status);
  const span = new SpanRecord(
    facts.upstream ?? facts.method,
    SpanKind.CLIENT,
    trace.traceId,
    attempt.spanId,
    trace.spanId,
    false,
    origin + attempt.startedAt,
    origin + (attempt.endedAt === 0 ? facts.endedAt : attempt.endedAt),
    attributes,
    scope.resource,
    scope.scope,
  );
  // OpenTelemetry HTTP client spans: 4xx and 5xx answers, and no answer at all, are errors.
  if (failed) span.setStatus(SpanStatusCode.ERROR, attempt.code ?? String(attempt.status));
  return span;
}

/** The host of a `Host` value, without the port (`[::1]:8080` -> `::1`). */
function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
