import type * as http from 'node:http';
import { WeirError } from '@weir/errors';
import type { Logger } from '@weir/obs';
import { errorReply, type AdminReply } from './admin-reply';
import { AuthRateLimiter, type AuthRateLimiterOptions } from './auth-rate-limiter';
import { bearerToken } from './bearer-token';
import type { AdminPrincipal, TokenVerifier } from './token-verifier';

const MISSING_TOKEN_HEADERS = { 'www-authenticate': 'Bearer realm="weir-admin"' };
const INVALID_TOKEN_HEADERS = { 'www-authenticate': 'Bearer realm="weir-admin", error="invalid_token"' };

/**
 * Authenticates one admin request: the bearer token, then (only for a failure) the
 * failed-authentication throttle.
 *
 *     token valid                      -> the principal (whatever the throttle says)
 *     invalid or missing, throttled    -> 429 WEIR_ERR_ADMIN_RATE_LIMITED + Retry-After; not counted, not logged
 *     invalid or missing               -> 401 WEIR_ERR_ADMIN_UNAUTHORIZED; counted, `admin auth failed` logged
 *
 * Every presented token is verified, throttled or not, in time independent of its content
 * (TokenVerifier), so the 429/401 choice depends only on the address's past failures and a
 * 429 says nothing a 401 would not. Issue 15: checking the throttle first refused valid tokens,
 * and one local process sending a bad token every 6 s kept every operator on 127.0.0.1 out.
 * Why throttling failures only is safe is in AuthRateLimiter's comment.
 */
export class RequestAuthenticator {
  private readonly limiter: AuthRateLimiter;
  private readonly logger: Logger;

  constructor(logger: Logger, rateLimit?: AuthRateLimiterOptions) {
    this.logger = logger;
    this.limiter = new AuthRateLimiter(rateLimit);
  }

  /** The caller's principal, or the 429/401 reply. */
  authenticate(req: http.IncomingMessage, verifier: TokenVerifier): AdminPrincipal | AdminReply {
    const token = bearerToken(req.headers.authorization);
    const principal = token === null ? null : verifier.verify(token);
    if (principal !== null) return principal;
    const address = req.socket.remoteAddress ?? 'unknown';
    const wait = this.limiter.retryAfterSeconds(address);
    if (wait > 0) {
      return errorReply(new WeirError('WEIR_ERR_ADMIN_RATE_LIMITED', `too many failed authentications from ${address}; retry in ${wait} s`), {
        'retry-after': String(wait),
      });
    }
    this.limiter.fail(address);
    const reason = token === null ? (req.headers.authorization === undefined ? 'missing' : 'malformed') : 'unknown token';
    this.logger.warn({ remoteAddress: address, reason, method: req.method, path: req.url }, 'admin auth failed');
    const message = token === null ? 'send Authorization: Bearer <token>' : 'the bearer token is not valid';
    return errorReply(new WeirError('WEIR_ERR_ADMIN_UNAUTHORIZED', message), token === null ? MISSING_TOKEN_HEADERS : INVALID_TOKEN_HEADERS);
  }
}
