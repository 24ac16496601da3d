import { catalogue, type ErrorCode } from '@weir/errors';
import * as tracing from '@weir/tracing';
import type { SpanQueue, SpanWriter } from '@weir/tracing';

// Read once: the package's exports are getters, not worth a call per attribute.
const { attrKey, SpanKind, SpanStatusCode } = tracing;
const SPAN_ATTRIBUTES = tracing.SPAN_ATTRIBUTES;
const EVENT_ATTRIBUTES = tracing.EVENT_ATTRIBUTES;
const SERVER = SpanKind.SERVER;
const CLIENT = SpanKind.CLIENT;
const ERROR = SpanStatusCode.ERROR;
const UNSET = SpanStatusCode.UNSET;
import type { AttemptSpan, RequestTrace } from './request-trace';
import type { TraceScope } from './trace-scope';

/** What the exchange knows when an exported request ends; built only for those. */
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

/** Attribute keys of every request's spans, encoded once. */
const K_METHOD = attrKey('http.request.method');
const K_PATH = attrKey('url.path');
const K_SCHEME = attrKey('url.scheme');
const K_SERVER_ADDRESS = attrKey('server.address');
const K_SERVER_PORT = attrKey('server.port');
const K_CLIENT_ADDRESS = attrKey('client.address');
const K_PEER_ADDRESS = attrKey('network.peer.address');
const K_PROTOCOL = attrKey('network.protocol.version');
const K_VERSION = attrKey('weir.config.version');
const K_ARM = attrKey('weir.rollout.arm');
const K_STATUS = attrKey('http.response.status_code');
const K_USER_AGENT = attrKey('user_agent.original');
const K_ROUTE = attrKey('weir.route');
const K_UPSTREAM = attrKey('weir.upstream');
const K_RETRY_COUNT = attrKey('weir.retry.count');
const K_CACHE_STATUS = attrKey('weir.cache.status');
const K_ERROR_CODE = attrKey('weir.error.code');
const K_ERROR_TYPE = attrKey('error.type');
const K_ENDPOINT = attrKey('weir.endpoint');
const K_RESEND_COUNT = attrKey('http.request.resend_count');

/**
 * Writes the spans of one finished request (issue 18) into the export queue, straight from what
 * the exchange knows (no span objects): the SERVER span, named after the route, with the
 * OpenTelemetry HTTP semantic-convention attributes and Weir's own, and one CLIENT span per
 * upstream attempt, parented on the server span (the attempt's id is what the upstream saw as
 * its parent). Times are the exchange's `performance.now()` readings on the epoch. A full queue
 * drops the request's spans together (counted by the queue).
 */
export function writeRequestSpans(queue: SpanQueue, trace: RequestTrace, facts: RequestFacts, scope: TraceScope): void {
  const attempts = trace.attempts;
  const w = queue.open(scope.group, 1 + (attempts === null ? 0 : attempts.length));
  if (w === null) return;
  writeServerSpan(w, trace, facts, scope);
  if (attempts !== null) {
    for (let i = 0; i < attempts.length; i++) writeClientSpan(w, trace, facts, attempts[i] as AttemptSpan, i);
  }
  queue.commit();
}

function writeServerSpan(w: SpanWriter, trace: RequestTrace, facts: RequestFacts, scope: TraceScope): void {
  const origin = performance.timeOrigin;
  const mark = w.beginSpan(trace.traceId, trace.spanId, trace.parentId, facts.route ?? facts.method, SERVER, origin + facts.startedAt, origin + facts.endedAt);
  const target = facts.target;
  const q = target.indexOf('?');
  w.strAttr(SPAN_ATTRIBUTES, K_METHOD, facts.method);
  w.strAttr(SPAN_ATTRIBUTES, K_PATH, q === -1 ? target : target.slice(0, q));
  w.strAttr(SPAN_ATTRIBUTES, K_SCHEME, facts.secure ? 'https' : 'http');
  w.strAttr(SPAN_ATTRIBUTES, K_SERVER_ADDRESS, hostName(facts.host));
  w.strAttr(SPAN_ATTRIBUTES, K_CLIENT_ADDRESS, facts.clientAddress);
  w.strAttr(SPAN_ATTRIBUTES, K_PEER_ADDRESS, facts.peerAddress);
  w.strAttr(SPAN_ATTRIBUTES, K_PROTOCOL, facts.protocol);
  w.strAttr(SPAN_ATTRIBUTES, K_VERSION, scope.version);
  w.strAttr(SPAN_ATTRIBUTES, K_ARM, scope.arm);
  if (facts.status !== 0) w.numAttr(SPAN_ATTRIBUTES, K_STATUS, facts.status);
  if (facts.userAgent !== undefined) w.strAttr(SPAN_ATTRIBUTES, K_USER_AGENT, facts.userAgent);
  if (facts.route !== null) w.strAttr(SPAN_ATTRIBUTES, K_ROUTE, facts.route);
  if (facts.upstream !== null) w.strAttr(SPAN_ATTRIBUTES, K_UPSTREAM, facts.upstream);
  if (facts.retries !== 0) w.numAttr(SPAN_ATTRIBUTES, K_RETRY_COUNT, facts.retries);
  if (facts.cacheStatus !== null) w.strAttr(SPAN_ATTRIBUTES, K_CACHE_STATUS, facts.cacheStatus);
  const code = facts.code;
  if (code !== null) w.strAttr(SPAN_ATTRIBUTES, K_ERROR_CODE, code);
  const failed = endedInError(facts.status, code);
  const errorType = failed ? (code ?? String(facts.status)) : '';
  if (failed) w.strAttr(SPAN_ATTRIBUTES, K_ERROR_TYPE, errorType);
  const event = code === null ? undefined : DECISION_EVENTS[code];
  if (event !== undefined) {
    const e = w.beginEvent(event, origin + facts.endedAt);
    w.strAttr(EVENT_ATTRIBUTES, K_ERROR_CODE, code as string);
    w.endEvent(e);
  }
  const attempts = trace.attempts;
  if (attempts !== null) {
    for (let i = 1; i < attempts.length; i++) {
      const attempt = attempts[i] as AttemptSpan;
      const e = w.beginEvent('weir.retry', origin + attempt.startedAt);
      w.numAttr(EVENT_ATTRIBUTES, K_RESEND_COUNT, i);
      w.strAttr(EVENT_ATTRIBUTES, K_ENDPOINT, attempt.endpoint);
      w.endEvent(e);
    }
  }
  w.endSpan(mark, failed ? ERROR : UNSET, errorType, trace.parentId !== null);
}

function writeClientSpan(w: SpanWriter, trace: RequestTrace, facts: RequestFacts, attempt: AttemptSpan, index: number): void {
  const origin = performance.timeOrigin;
  const end = origin + (attempt.endedAt === 0 ? facts.endedAt : attempt.endedAt);
  const mark = w.beginSpan(trace.traceId, attempt.spanId, trace.spanId, facts.upstream ?? facts.method, CLIENT, origin + attempt.startedAt, end);
  const endpoint = attempt.endpoint;
  const colon = endpoint.lastIndexOf(':');
  w.strAttr(SPAN_ATTRIBUTES, K_METHOD, facts.method);
  w.strAttr(SPAN_ATTRIBUTES, K_SERVER_ADDRESS, colon === -1 ? endpoint : unbracket(endpoint.slice(0, colon)));
  w.numAttr(SPAN_ATTRIBUTES, K_SERVER_PORT, colon === -1 ? 0 : Number(endpoint.slice(colon + 1)));
  w.strAttr(SPAN_ATTRIBUTES, K_ENDPOINT, endpoint);
  if (facts.upstream !== null) w.strAttr(SPAN_ATTRIBUTES, K_UPSTREAM, facts.upstream);
  if (index > 0) w.numAttr(SPAN_ATTRIBUTES, K_RESEND_COUNT, index);
  if (attempt.status !== 0) w.numAttr(SPAN_ATTRIBUTES, K_STATUS, attempt.status);
  // OpenTelemetry HTTP client spans: 4xx and 5xx answers, and no answer at all, are errors.
  const failed = attempt.code !== null || attempt.status >= 400;
  const errorType = failed ? (attempt.code ?? String(attempt.status)) : '';
  if (failed) w.strAttr(SPAN_ATTRIBUTES, K_ERROR_TYPE, errorType);
  w.endSpan(mark, failed ? ERROR : UNSET, errorType, false);
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
