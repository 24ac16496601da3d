import { BoundedCache } from './bounded-cache';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyOptions, type KeyLike } from 'jose';
import { getHeader, removeHeader, setHeader } from '../header-list';
import { CONTINUE, type JwksSource, type Plugin, type PluginDeps, type PluginOutcome, type PluginReply, type PluginRequest } from '../plugin';
import type { JwtPluginSpec } from '../plugin-spec';
import { errorReply } from '../reply';
import { JwtKeySet, type JwkSetLike } from './jwt-key-set';

/** The token of an `Authorization: Bearer <token>` value (RFC 6750 section 2.1), else null. */
export function bearerToken(value: string): string | null {
  if (value.length < 8 || value.slice(0, 7).toLowerCase() !== 'bearer ') return null;
  const token = value.slice(7).trim();
  return token === '' ? null : token;
}

/** True for a header value node and undici accept as is (visible ASCII, space, tab). */
function isPlainHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c > 0x7e) return false;
  }
  return true;
}

/**
 * `jwt`: validates a bearer JWT (RFC 7519, RFC 8725) with `jose`'s `jwtVerify`.
 *
 * - Token: `Authorization: Bearer <token>` (scheme case-insensitive), or with another `header`
 *   that header's whole value. None (or another scheme): 401 WEIR_ERR_UNAUTHORIZED with
 *   `WWW-Authenticate: Bearer realm="weir"` (RFC 6750 section 3: no error code when the request
 *   had no token).
 * - Invalid: 401 WEIR_ERR_UNAUTHORIZED with `WWW-Authenticate: Bearer realm="weir",
 *   error="invalid_token"`. Invalid is any jose error: malformed, bad signature, `alg` outside
 *   `algorithms` (checked before any key is used), no key for `kid`/`alg`, `exp` passed or
 *   `nbf` ahead (both with `clockSkewSeconds` of tolerance, against `deps.now()`), `iss` not in
 *   `issuers`, no `aud` in `audiences` (when those are set). `exp` is optional, as in Envoy's
 *   jwt_authn without `require_expiration`. No keys fetched yet from `jwksUrl`: invalid too.
 *   No description is given: nothing about the token or the keys leaks.
 * - Keys: the inline JWK Set, built once; or `deps.jwks.get(jwksUrl)` read on every request,
 *   the key set rebuilt only when the source returns a different object (a refresh).
 * - Valid: `req.claims` is the payload, `req.principal` its `sub` (null without a string
 *   `sub`); each `forwardClaims` header is set to its claim (strings as they are, numbers and
 *   booleans as text) or removed when the claim is absent, of another type, or holds characters
 *   a header cannot carry, so a client can never supply it; with `stripToken` the token header
 *   is removed before forwarding.
 * - An error that is not jose's (a bug, a key jose refuses to use) rejects: the exchange
 *   answers 500, never 401.
 */
/** A token that passed verification: its claims, the key set that verified it, and when it holds. */
interface VerifiedToken {
  readonly keys: JwtKeySet;
  readonly payload: JWTPayload;
  /** ms since the epoch: `nbf` minus the skew (or -Infinity). */
  readonly from: number;
  /** ms since the epoch: `exp` plus the skew, at most VERIFIED_CACHE_MS after verification. */
  readonly until: number;
}

/** Verified tokens kept per plugin (a token is at most a few KiB). */
const VERIFIED_CACHE_SIZE = 1024;

/** Longest a verification is reused (Envoy's jwt_cache_config keeps them until `exp`; we cap it). */
const VERIFIED_CACHE_MS = 300_000;

export class JwtPlugin implements Plugin {
  readonly type = 'jwt';
  private readonly header: string;
  private readonly bearer: boolean;
  private readonly algorithms: string[];
  private readonly issuer: string[] | undefined;
  private readonly audience: string[] | undefined;
  private readonly clockTolerance: number;
  /** Flat `[claim, header, ...]`. */
  private readonly forwardClaims: readonly string[];
  private readonly stripToken: boolean;
  private readonly now: () => number;
  private readonly inline: JwtKeySet | null;
  private readonly jwksUrl: string | null;
  private readonly source: JwksSource;
  /** The set last read from the source and the keys built from it (null: not a usable set). */
  private lastSet: JwkSetLike | null = null;
  private lastKeys: JwtKeySet | null = null;
  /** Tokens verified recently, so a client sending the same token pays the signature check once. */
  private readonly verified = new BoundedCache<VerifiedToken>(VERIFIED_CACHE_SIZE);
  private readonly missing: PluginReply = errorReply('WEIR_ERR_UNAUTHORIZED', ['www-authenticate', 'Bearer realm="weir"']);
  private readonly invalid: PluginReply = errorReply('WEIR_ERR_UNAUTHORIZED', ['www-authenticate', 'Bearer realm="weir", error="invalid_token"']);

  constructor(spec: JwtPluginSpec, deps: PluginDeps) {
    this.header = spec.header.toLowerCase();
    this.bearer = this.header === 'authorization';
    this.algorithms = spec.algorithms.slice();
    this.issuer = spec.issuers.length === 0 ? undefined : spec.issuers.slice();
    this.audience = spec.audiences.length === 0 ? undefined : spec.audiences.slice();
    this.clockTolerance = spec.clockSkewSeconds;
    this.forwardClaims = spec.forwardClaims.flatMap((f) => [f.claim, f.header.toLowerCase()]);
    this.stripToken = spec.stripToken;
    this.now = deps.now;
    this.source = deps.jwks;
    this.jwksUrl = spec.jwksUrl;
    // A malformed inline set throws here, at assemble time (validation refuses it first).
    this.inline = spec.jwks === null ? null : new JwtKeySet(spec.jwks);
  }

  onRequest(req: PluginRequest): PluginOutcome | Promise<PluginOutcome> {
    const value = getHeader(req.headers, this.header);
    const token = value === null ? null : this.bearer ? bearerToken(value) : value.trim();
    if (token === null || token === '') return this.missing;
    const keys = this.keys();
    if (keys === null) return this.invalid;
    const hit = this.verified.get(token);
    if (hit !== undefined && hit.keys === keys) {
      const now = this.now();
      if (now >= hit.from && now < hit.until) {
        this.accept(req, hit.payload);
        return CONTINUE;
      }
    }
    return this.verify(req, token, keys);
  }

  /** The keys to verify with now, or null when the JWKS URL has no usable set (yet). */
  private keys(): JwtKeySet | null {
    if (this.inline !== null) return this.inline;
    const set = this.source.get(this.jwksUrl as string);
    if (set === null) return null;
    if (set !== this.lastSet) {
      this.lastSet = set;
      try {
        this.lastKeys = new JwtKeySet(set);
      } catch (err) {
        if (!(err instanceof errors.JOSEError)) throw err;
        this.lastKeys = null;
      }
    }
    return this.lastKeys;
  }

  private async verify(req: PluginRequest, token: string, keys: JwtKeySet): Promise<PluginOutcome> {
    const options: JWTVerifyOptions = {
      algorithms: this.algorithms,
      issuer: this.issuer,
      audience: this.audience,
      clockTolerance: this.clockTolerance,
      currentDate: new Date(this.now()),
    };
    let payload: JWTPayload;
    try {
      payload = await verifyWithKeys(token, keys, options);
    } catch (err) {
      if (err instanceof errors.JOSEError) return this.invalid;
      throw err;
    }
    this.remember(token, keys, payload);
    this.accept(req, payload);
    return CONTINUE;
  }

  /**
   * Caches a verified token until it expires (with the clock skew), at most
   * VERIFIED_CACHE_MS, and only for the key set that verified it: a rotation (a new set from
   * the JWKS URL) verifies again. `nbf` is kept so a cached token is still refused early.
   */
  private remember(token: string, keys: JwtKeySet, payload: JWTPayload): void {
    const now = this.now();
    const skewMs = this.clockTolerance * 1000;
    const exp = typeof payload.exp === 'number' ? payload.exp * 1000 + skewMs : Infinity;
    const from = typeof payload.nbf === 'number' ? payload.nbf * 1000 - skewMs : -Infinity;
    this.verified.set(token, { keys, payload, from, until: Math.min(exp, now + VERIFIED_CACHE_MS) });
  }

  private accept(req: PluginRequest, payload: JWTPayload): void {
    req.claims = payload;
    req.principal = typeof payload.sub === 'string' ? payload.sub : null;
    const headers = req.headers;
    const forward = this.forwardClaims;
    for (let i = 0; i < forward.length; i += 2) {
      const claim = payload[forward[i] as string];
      const header = forward[i + 1] as string;
      const text = typeof claim === 'string' ? claim : typeof claim === 'number' || typeof claim === 'boolean' ? String(claim) : null;
      if (text !== null && isPlainHeaderValue(text)) setHeader(headers, header, text);
      else removeHeader(headers, header);
    }
    if (this.stripToken) removeHeader(headers, this.header);
  }
}

/**
 * jwtVerify with the key set; when several keys match the token's header (no `kid`), each is
 * tried in turn, as jose documents for JWKSMultipleMatchingKeys.
 */
async function verifyWithKeys(token: string, keys: JwtKeySet, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, keys.getKey, options)).payload;
  } catch (err) {
    if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw err;
    for await (const key of err as AsyncIterable<KeyLike>) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (inner) {
        if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}
