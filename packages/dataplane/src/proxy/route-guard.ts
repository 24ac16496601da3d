import type { ErrorCode } from '@weir/errors';
import { CONTINUE, type PluginOutcome, type PluginReply } from '@weir/plugins';
import type { RouteRuntime } from '../assemble/index';
import { rateLimitHeaders, type RateDenial, type RouteLimits } from '../limits/index';
import type { GuardedRequest } from './guarded-request';

/**
 * What the guard reports to (the exchange). Exactly one of `guardPassed`, `guardRefused`,
 * `guardReplied` or `crash` is called per request, unless the exchange finished meanwhile (the
 * client left while a plugin or a lease was awaited): then none is.
 */
export interface GuardOwner {
  /** The exchange already ended (client gone): an asynchronous step stops here. */
  readonly finished: boolean;
  /** Every plugin continued and every limit admitted the request. */
  guardPassed(): void;
  /** A limit refused it: answer the error `code` with `headers` added. */
  guardRefused(code: ErrorCode, headers: readonly string[] | null): void;
  /** A plugin answered it. */
  guardReplied(reply: PluginReply): void;
  /** A plugin or the limiter threw: a bug, answered 500. */
  crash(err: unknown): void;
}

/**
 * Runs a route's request plugins, then its limits (DESIGN.md section 3, step 3): body size by
 * the announced `Content-Length`, rate limits, the concurrency gate. Synchronous as long as
 * every step is; a JWT verification or a lease from the primary continues asynchronously (only
 * those paths allocate closures).
 */
export function runGuard(owner: GuardOwner, route: RouteRuntime, g: GuardedRequest, declaredLength: number): void {
  const chain = route.plugins;
  if (chain === null) {
    checkLimits(owner, route.limits, g, declaredLength);
    return;
  }
  const outcome = chain.runRequest(g);
  if (outcome instanceof Promise) {
    outcome.then(
      (o) => afterPlugins(owner, route.limits, g, declaredLength, o),
      (err: unknown) => {
        if (!owner.finished) owner.crash(err);
      },
    );
    return;
  }
  afterPlugins(owner, route.limits, g, declaredLength, outcome);
}

function afterPlugins(owner: GuardOwner, limits: RouteLimits | null, g: GuardedRequest, declaredLength: number, outcome: PluginOutcome): void {
  if (owner.finished) return;
  if (outcome !== CONTINUE) {
    owner.guardReplied(outcome);
    return;
  }
  checkLimits(owner, limits, g, declaredLength);
}

function checkLimits(owner: GuardOwner, limits: RouteLimits | null, g: GuardedRequest, declaredLength: number): void {
  if (limits === null) {
    owner.guardPassed();
    return;
  }
  if (limits.maxBodyBytes > 0 && declaredLength > limits.maxBodyBytes) {
    owner.guardRefused('WEIR_ERR_BODY_TOO_LARGE', null);
    return;
  }
  const rate = limits.rate;
  if (rate !== null) {
    const denial = rate.check(g);
    if (denial instanceof Promise) {
      denial.then(
        (d) => afterRate(owner, limits, g, d),
        (err: unknown) => {
          if (!owner.finished) owner.crash(err);
        },
      );
      return;
    }
    if (denial !== null) {
      owner.guardRefused('WEIR_ERR_RATE_LIMITED', rateLimitHeaders(denial));
      return;
    }
  }
  enterGate(owner, limits, g);
}

function afterRate(owner: GuardOwner, limits: RouteLimits, g: GuardedRequest, denial: RateDenial | null): void {
  if (owner.finished) return;
  if (denial !== null) {
    owner.guardRefused('WEIR_ERR_RATE_LIMITED', rateLimitHeaders(denial));
    return;
  }
  enterGate(owner, limits, g);
}

function enterGate(owner: GuardOwner, limits: RouteLimits, g: GuardedRequest): void {
  const gate = limits.concurrency;
  if (gate !== null) {
    if (!gate.tryEnter()) {
      owner.guardRefused('WEIR_ERR_ROUTE_CONCURRENCY', null);
      return;
    }
    g.gate = gate;
  }
  owner.guardPassed();
}

/**
 * The request's announced body length: its `Content-Length` when that is the only framing,
 * else -1 (chunked, HTTP/2 without it, or none). The head check already refused malformed or
 * conflicting values.
 */
export function declaredBodyLength(raw: readonly string[]): number {
  let length = -1;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return -1;
    if (name.length === 14 && name.toLowerCase() === 'content-length') length = Number(raw[i + 1]);
  }
  return Number.isSafeInteger(length) ? length : -1;
}
