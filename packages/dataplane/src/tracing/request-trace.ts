import type { ErrorCode } from '@weir/errors';

/** One upstream attempt of a recorded request: a client span (issue 18). */
export class AttemptSpan {
  readonly spanId: string;
  /** `performance.now()` when the attempt was dispatched, and when it ended (0 = not yet). */
  readonly startedAt: number;
  endedAt: number;
  /** The endpoint's `host:port`. */
  readonly endpoint: string;
  /** The upstream's status, 0 when it never answered. */
  status: number;
  /** Why the attempt failed, null when it got an answer. */
  code: ErrorCode | null;

  constructor(spanId: string, startedAt: number, endpoint: string) {
    this.spanId = spanId;
    this.startedAt = startedAt;
    this.endedAt = 0;
    this.endpoint = endpoint;
    this.status = 0;
    this.code = null;
  }

  /** Records the attempt's outcome once (later calls are ignored). */
  end(at: number, status: number, code: ErrorCode | null): void {
    if (this.endedAt !== 0) return;
    this.endedAt = at;
    this.status = status;
    this.code = code;
  }
}

/**
 * A request's place in a trace: made by `WorkerTracer.begin` when propagation is on. Without
 * sampling this is all tracing allocates for a request (DESIGN.md: tracing costs nothing when
 * unsampled): the ids and the upstream `traceparent` value.
 */
export class RequestTrace {
  readonly traceId: string;
  /** Weir's server span (the upstream's parent when nothing is recorded). */
  readonly spanId: string;
  /** The caller's span id from a valid `traceparent`; null for a new trace. */
  readonly parentId: string | null;
  /** The sampled flag Weir sends upstream. */
  readonly sampled: boolean;
  /**
   * Spans are being recorded: sampled, or not sampled but kept if the request ends in an error
   * (`keepErrors`); only with an exporter.
   */
  readonly recording: boolean;
  /** The `tracestate` to forward (only with a valid incoming `traceparent`); null = none. */
  readonly traceState: string | null;
  /** Upstream attempts, when recording; null otherwise. */
  readonly attempts: AttemptSpan[] | null;

  constructor(traceId: string, spanId: string, parentId: string | null, sampled: boolean, recording: boolean, traceState: string | null) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentId = parentId;
    this.sampled = sampled;
    this.recording = recording;
    this.traceState = traceState;
    this.attempts = recording ? [] : null;
  }

  /** The current attempt (the last one started), or null. */
  lastAttempt(): AttemptSpan | null {
    const attempts = this.attempts;
    return attempts === null || attempts.length === 0 ? null : (attempts[attempts.length - 1] as AttemptSpan);
  }
}
