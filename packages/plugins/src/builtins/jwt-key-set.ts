import { createLocalJWKSet, errors, importJWK, type FlattenedJWSInput, type JSONWebKeySet, type JWK, type JWTHeaderParameters, type KeyLike } from 'jose';

/** A JWK Set as the spec and the JWKS source hold it. */
export interface JwkSetLike {
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}

type VerificationKey = KeyLike | Uint8Array;

/** True when the `oct` key `jwk` may verify a token with this header (jose's LocalJWKSet rules). */
function secretMatches(jwk: JWK, alg: string, kid: string | undefined): boolean {
  if (kid !== undefined && jwk.kid !== kid) return false;
  if (typeof jwk.alg === 'string' && jwk.alg !== alg) return false;
  if (typeof jwk.use === 'string' && jwk.use !== 'sig') return false;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return false;
  return true;
}

/**
 * The verification keys of one JWK Set, built once per set (inline: per plugin; from a JWKS
 * URL: each time the source hands out a new set).
 *
 * Asymmetric keys (RSA, EC, OKP) are jose's `createLocalJWKSet`, which picks by `kid`, `alg`,
 * `kty`, `crv`, `use` and `key_ops` and refuses private keys. jose's local set does not take
 * `oct` keys, so HS256/384/512 secrets are picked here by the same rules and imported with
 * jose's `importJWK` (once per key and algorithm). An HS* token is therefore only ever checked
 * against `oct` keys, never against a public key used as an HMAC secret (RFC 8725 section 2.1).
 *
 * `getKey` is the jose key function (created once here, not per request). With several
 * matching keys it throws jose's JWKSMultipleMatchingKeys, iterable over the candidates, as
 * jose's own local set does; the JWT plugin then tries each.
 */
export class JwtKeySet {
  readonly getKey: (header: JWTHeaderParameters, token: FlattenedJWSInput) => Promise<VerificationKey>;
  private readonly asymmetric: (header: JWTHeaderParameters, token: FlattenedJWSInput) => Promise<KeyLike>;
  private readonly secrets: readonly JWK[];
  private readonly imported = new Map<JWK, Map<string, Promise<VerificationKey>>>();

  /** Throws jose's JWKSInvalid for a value that is not a JWK Set. */
  constructor(set: JwkSetLike) {
    if (set === null || typeof set !== 'object' || !Array.isArray(set.keys)) throw new errors.JWKSInvalid('JSON Web Key Set malformed');
    const keys = set.keys as readonly JWK[];
    this.secrets = keys.filter((k) => k !== null && typeof k === 'object' && k.kty === 'oct');
    this.asymmetric = createLocalJWKSet({ keys: keys.filter((k) => k === null || typeof k !== 'object' || k.kty !== 'oct') } as JSONWebKeySet);
    this.getKey = (header, token) => this.resolve(header, token);
  }

  private resolve(header: JWTHeaderParameters, token: FlattenedJWSInput): Promise<VerificationKey> {
    const alg = header.alg;
    if (typeof alg !== 'string' || !alg.startsWith('HS')) return this.asymmetric(header, token);
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const candidates = this.secrets.filter((jwk) => secretMatches(jwk, alg, kid));
    if (candidates.length === 0) return Promise.reject(new errors.JWKSNoMatchingKey());
    if (candidates.length === 1) return this.importSecret(candidates[0] as JWK, alg);
    const multiple = new errors.JWKSMultipleMatchingKeys();
    const importSecret = (jwk: JWK): Promise<VerificationKey> => this.importSecret(jwk, alg);
    multiple[Symbol.asyncIterator] = async function* candidatesOf() {
      for (const jwk of candidates) {
        try {
          yield (await importSecret(jwk)) as KeyLike;
        } catch {
          // A malformed candidate is skipped, as jose's LocalJWKSet does.
        }
      }
    };
    return Promise.reject(multiple);
  }

  private importSecret(jwk: JWK, alg: string): Promise<VerificationKey> {
    let byAlg = this.imported.get(jwk);
    if (byAlg === undefined) {
      byAlg = new Map();
      this.imported.set(jwk, byAlg);
    }
    let key = byAlg.get(alg);
    if (key === undefined) {
      key = importJWK(jwk, alg);
      byAlg.set(alg, key);
    }
    return key;
  }
}
