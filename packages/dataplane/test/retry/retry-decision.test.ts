import {
  RetryPolicy,
  retryDecision,
  failureOfCode,
  isIdempotent,
  BODY_BUFFERED,
  BODY_NONE,
  BODY_STREAM_READ,
  BODY_STREAM_UNREAD,
  FAILURE_CONNECT,
  FAILURE_OTHER,
  FAILURE_RESET,
  FAILURE_STATUS,
  FAILURE_TIMEOUT,
  NO_RETRY,
  RETRY_5XX,
  RETRY_CONNECT_FAILURE,
  RETRY_GATEWAY_ERROR,
  RETRY_REASONS,
  RETRY_RESET,
  RETRY_RETRIABLE_STATUS,
  type RetryPolicyOptions,
} from '../../src/retry/index';

const NONE = { connectFailure: false, reset: false, serverError: false, gatewayError: false, retriableStatus: false };

function policy(overrides: Partial<RetryPolicyOptions> = {}): RetryPolicy {
  return new RetryPolicy({
    retries: 1,
    retryOn: { ...NONE, connectFailure: true, reset: true },
    retriableStatuses: [],
    perTryTimeoutMs: 0,
    backoff: { baseMs: 25, maxMs: 250 },
    retryNonIdempotent: false,
    maxReplayBodyBytes: 65_536,
    ...overrides,
  });
}

describe('isIdempotent (RFC 9110 section 9.2.2)', () => {
  it('knows the idempotent methods, case-sensitively', () => {
    const methods = ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE', 'POST', 'PATCH', 'CONNECT', 'get', 'PROPFIND'];
    expect(methods.filter(isIdempotent)).toEqual(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
  });
});

describe('failureOfCode', () => {
  it('maps upstream error codes to failure classes', () => {
    expect(failureOfCode('WEIR_ERR_UPSTREAM_CONNECT')).toBe(FAILURE_CONNECT);
    expect(failureOfCode('WEIR_ERR_UPSTREAM_CONNECT_TIMEOUT')).toBe(FAILURE_CONNECT);
    expect(failureOfCode('WEIR_ERR_UPSTREAM_TLS')).toBe(FAILURE_CONNECT);
    expect(failureOfCode('WEIR_ERR_UPSTREAM_RESET')).toBe(FAILURE_RESET);
    expect(failureOfCode('WEIR_ERR_UPSTREAM_TIMEOUT')).toBe(FAILURE_TIMEOUT);
    for (const code of ['WEIR_ERR_UPSTREAM_PROTOCOL', 'WEIR_ERR_UPSTREAM_IDLE_TIMEOUT', 'WEIR_ERR_UPSTREAM_FAILURE', 'WEIR_ERR_BAD_REQUEST'] as const) {
      expect(failureOfCode(code)).toBe(FAILURE_OTHER);
    }
  });
});

describe('RetryPolicy', () => {
  it('is null for routes that never retry', () => {
    expect(RetryPolicy.of({ ...policyOptions(), retries: 0 })).toBeNull();
    expect(RetryPolicy.of(policyOptions())).toBeInstanceOf(RetryPolicy);
  });

  it('knows whether anything can be retried after sending', () => {
    expect(policy({ retryOn: { ...NONE, connectFailure: true } }).afterSend).toBe(false);
    expect(policy({ retryOn: { ...NONE, reset: true } }).afterSend).toBe(true);
    expect(policy({ retryOn: { ...NONE, serverError: true } }).afterSend).toBe(true);
    expect(policy({ retryOn: { ...NONE, gatewayError: true } }).afterSend).toBe(true);
    expect(policy({ retryOn: { ...NONE, retriableStatus: true }, retriableStatuses: [409] }).afterSend).toBe(true);
    expect(policy({ retryOn: { ...NONE, retriableStatus: true }, retriableStatuses: [] }).afterSend).toBe(false);
  });

  it('screens response statuses cheaply', () => {
    const p = policy({ retryOn: { ...NONE, gatewayError: true, retriableStatus: true }, retriableStatuses: [409] });
    expect([200, 409, 500, 502, 503, 504, 505].map((s) => p.mayRetryStatus(s))).toEqual([false, true, false, true, true, true, false]);
    const all = policy({ retryOn: { ...NONE, serverError: true } });
    expect([404, 500, 599].map((s) => all.mayRetryStatus(s))).toEqual([false, true, true]);
  });

  function policyOptions(): RetryPolicyOptions {
    return {
      retries: 2,
      retryOn: NONE,
      retriableStatuses: [],
      perTryTimeoutMs: 0,
      backoff: { baseMs: 1, maxMs: 2 },
      retryNonIdempotent: false,
      maxReplayBodyBytes: 0,
    };
  }
});

describe('retryDecision: the safety rule', () => {
  it('labels reasons with the retryOn names', () => {
    expect(RETRY_REASONS[RETRY_CONNECT_FAILURE]).toBe('connect-failure');
    expect(RETRY_REASONS[RETRY_RESET]).toBe('reset');
    expect(RETRY_REASONS[RETRY_5XX]).toBe('5xx');
    expect(RETRY_REASONS[RETRY_GATEWAY_ERROR]).toBe('gateway-error');
    expect(RETRY_REASONS[RETRY_RETRIABLE_STATUS]).toBe('retriable-status');
  });

  it('never exceeds the retry count', () => {
    const p = policy({ retries: 2 });
    expect(retryDecision(p, 0, FAILURE_CONNECT, 0, true, BODY_NONE)).toBe(RETRY_CONNECT_FAILURE);
    expect(retryDecision(p, 1, FAILURE_CONNECT, 0, true, BODY_NONE)).toBe(RETRY_CONNECT_FAILURE);
    expect(retryDecision(p, 2, FAILURE_CONNECT, 0, true, BODY_NONE)).toBe(NO_RETRY);
  });

  describe('connect failures: nothing was sent', () => {
    it('retries every method, POST included', () => {
      const p = policy();
      expect(retryDecision(p, 0, FAILURE_CONNECT, 0, false, BODY_NONE)).toBe(RETRY_CONNECT_FAILURE);
      expect(retryDecision(p, 0, FAILURE_CONNECT, 0, false, BODY_STREAM_UNREAD)).toBe(RETRY_CONNECT_FAILURE);
      expect(retryDecision(p, 0, FAILURE_CONNECT, 0, false, BODY_BUFFERED)).toBe(RETRY_CONNECT_FAILURE);
    });

    it('but not once a streamed body was consumed', () => {
      expect(retryDecision(policy(), 0, FAILURE_CONNECT, 0, true, BODY_STREAM_READ)).toBe(NO_RETRY);
    });

    it('only when the route retries connect failures', () => {
      expect(retryDecision(policy({ retryOn: { ...NONE, reset: true } }), 0, FAILURE_CONNECT, 0, true, BODY_NONE)).toBe(NO_RETRY);
    });
  });

  describe('after sending', () => {
    it('retries a reset idempotent request (the keep-alive race), not a reset POST', () => {
      const p = policy();
      expect(retryDecision(p, 0, FAILURE_RESET, 0, true, BODY_NONE)).toBe(RETRY_RESET);
      expect(retryDecision(p, 0, FAILURE_RESET, 0, false, BODY_NONE)).toBe(NO_RETRY);
    });

    it('retries a non-idempotent request when the route says its upstream deduplicates', () => {
      expect(retryDecision(policy({ retryNonIdempotent: true }), 0, FAILURE_RESET, 0, false, BODY_BUFFERED)).toBe(RETRY_RESET);
    });

    it('replays only a buffered body', () => {
      const p = policy();
      expect(retryDecision(p, 0, FAILURE_RESET, 0, true, BODY_BUFFERED)).toBe(RETRY_RESET);
      expect(retryDecision(p, 0, FAILURE_RESET, 0, true, BODY_STREAM_UNREAD)).toBe(NO_RETRY);
      expect(retryDecision(p, 0, FAILURE_RESET, 0, true, BODY_STREAM_READ)).toBe(NO_RETRY);
    });

    it('does not retry resets the route did not ask for', () => {
      expect(retryDecision(policy({ retryOn: { ...NONE, connectFailure: true } }), 0, FAILURE_RESET, 0, true, BODY_NONE)).toBe(NO_RETRY);
    });

    it('never retries other failures', () => {
      const p = policy({ retryOn: { connectFailure: true, reset: true, serverError: true, gatewayError: true, retriableStatus: false } });
      expect(retryDecision(p, 0, FAILURE_OTHER, 0, true, BODY_NONE)).toBe(NO_RETRY);
    });
  });

  describe('per-try timeouts', () => {
    it('are retried under gateway-error or 5xx when a per-try timeout is set', () => {
      expect(retryDecision(policy({ perTryTimeoutMs: 100, retryOn: { ...NONE, gatewayError: true } }), 0, FAILURE_TIMEOUT, 0, true, BODY_NONE)).toBe(RETRY_GATEWAY_ERROR);
      expect(retryDecision(policy({ perTryTimeoutMs: 100, retryOn: { ...NONE, serverError: true } }), 0, FAILURE_TIMEOUT, 0, true, BODY_NONE)).toBe(RETRY_5XX);
      expect(retryDecision(policy({ perTryTimeoutMs: 100 }), 0, FAILURE_TIMEOUT, 0, true, BODY_NONE)).toBe(NO_RETRY);
    });

    it('are not retried without one: the request timeout is final', () => {
      expect(retryDecision(policy({ retryOn: { ...NONE, gatewayError: true, serverError: true } }), 0, FAILURE_TIMEOUT, 0, true, BODY_NONE)).toBe(NO_RETRY);
    });

    it('are not retried for POST', () => {
      expect(retryDecision(policy({ perTryTimeoutMs: 100, retryOn: { ...NONE, gatewayError: true } }), 0, FAILURE_TIMEOUT, 0, false, BODY_NONE)).toBe(NO_RETRY);
    });
  });

  describe('response statuses', () => {
    const p = policy({ retryOn: { ...NONE, gatewayError: true, retriableStatus: true }, retriableStatuses: [409, 503] });

    it('prefers the explicit status list, then gateway errors', () => {
      expect(retryDecision(p, 0, FAILURE_STATUS, 503, true, BODY_NONE)).toBe(RETRY_RETRIABLE_STATUS);
      expect(retryDecision(p, 0, FAILURE_STATUS, 409, true, BODY_NONE)).toBe(RETRY_RETRIABLE_STATUS);
      expect(retryDecision(p, 0, FAILURE_STATUS, 502, true, BODY_NONE)).toBe(RETRY_GATEWAY_ERROR);
      expect(retryDecision(p, 0, FAILURE_STATUS, 500, true, BODY_NONE)).toBe(NO_RETRY);
      expect(retryDecision(p, 0, FAILURE_STATUS, 200, true, BODY_NONE)).toBe(NO_RETRY);
    });

    it('retries any 5xx under 5xx', () => {
      const all = policy({ retryOn: { ...NONE, serverError: true } });
      expect([500, 503, 599, 404].map((s) => retryDecision(all, 0, FAILURE_STATUS, s, true, BODY_NONE))).toEqual([RETRY_5XX, RETRY_5XX, RETRY_5XX, NO_RETRY]);
    });

    it('does not retry a POST that got a 503 unless the route allows it', () => {
      expect(retryDecision(p, 0, FAILURE_STATUS, 502, false, BODY_NONE)).toBe(NO_RETRY);
      const dedup = policy({ retryOn: { ...NONE, gatewayError: true }, retryNonIdempotent: true });
      expect(retryDecision(dedup, 0, FAILURE_STATUS, 502, false, BODY_BUFFERED)).toBe(RETRY_GATEWAY_ERROR);
      expect(retryDecision(dedup, 0, FAILURE_STATUS, 502, false, BODY_STREAM_READ)).toBe(NO_RETRY);
    });
  });
});
