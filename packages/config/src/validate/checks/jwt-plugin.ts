import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { jsonPointer } from '../json-pointer';
import type { JwtPluginConfig, WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/** Private members of RSA, EC and OKP JWKs (RFC 7518 section 6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

const KEY_TYPES: ReadonlySet<string> = new Set(['RSA', 'EC', 'OKP', 'oct']);

/**
 * A `jwt` plugin's keys match its algorithms (RFC 8725 section 3.1, "perform algorithm
 * verification"):
 *
 * - exactly one of `jwks` (inline) and `jwksUrl`; `jwksRefreshMs` only with `jwksUrl`;
 * - an HS* algorithm verifies with a shared secret, so it needs inline `oct` keys: a `jwksUrl`
 *   publishes public keys only, and fetching secrets over the network is the mistake RFC 8725
 *   warns about. An `oct` key without an HS* algorithm is refused too: a secret in the config
 *   that nothing uses is a sign the algorithms list is wrong;
 * - every inline key has a known `kty`; RSA, EC and OKP keys parse as public keys (node:crypto)
 *   and carry no private member (`d`, ...): a private key in a config is a leak;
 * - `forwardClaims` headers are distinct (case-insensitive).
 */
export function checkJwtPlugins(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    for (const [j, plugin] of (route.plugins ?? []).entries()) {
      if (plugin.type === 'jwt') checkJwt(plugin, ['routes', i, 'plugins', j], report);
    }
  }
}

function checkJwt(jwt: JwtPluginConfig, at: readonly (string | number)[], report: Report): void {
  if ((jwt.jwks === undefined) === (jwt.jwksUrl === undefined)) {
    const found = jwt.jwks === undefined ? 'none' : '"jwks" and "jwksUrl"';
    report(jsonPointer(...at), `set exactly one of "jwks" (keys inline) or "jwksUrl" (found ${found})`);
  }
  if (jwt.jwksRefreshMs !== undefined && jwt.jwksUrl === undefined) {
    report(jsonPointer(...at, 'jwksRefreshMs'), 'only applies to "jwksUrl": remove it, inline keys change with the config');
  }
  const hmac = (jwt.algorithms ?? []).filter((alg) => alg.startsWith('HS'));
  if (hmac.length > 0 && jwt.jwksUrl !== undefined) {
    report(jsonPointer(...at, 'jwksUrl'), `${hmac.join(', ')} verify with shared secrets, which a JWKS URL never publishes: give "oct" keys in "jwks" instead`);
  }
  const forwarded = new Map<string, number>();
  for (const [k, forward] of (jwt.forwardClaims ?? []).entries()) {
    const name = forward.header.toLowerCase();
    const first = forwarded.get(name);
    if (first === undefined) forwarded.set(name, k);
    else report(jsonPointer(...at, 'forwardClaims', k, 'header'), `header "${forward.header}" is already used at ${jsonPointer(...at, 'forwardClaims', first)}`);
  }
  const keys = jwt.jwks?.keys;
  if (keys === undefined) return;
  let secrets = 0;
  for (const [k, key] of keys.entries()) {
    const where = jsonPointer(...at, 'jwks', 'keys', k);
    const kty = key['kty'];
    if (typeof kty !== 'string' || !KEY_TYPES.has(kty)) {
      report(where, `"kty" must be one of "RSA", "EC", "OKP", "oct" (found ${JSON.stringify(kty) ?? 'none'})`);
      continue;
    }
    if (kty === 'oct') {
      secrets++;
      if (typeof key['k'] !== 'string' || !/^[A-Za-z0-9_-]{22,}$/.test(key['k'])) {
        report(where, 'an "oct" key needs "k": the secret in base64url, at least 16 bytes');
      } else if (hmac.length === 0) {
        report(where, 'an "oct" (shared secret) key is only used by HS256, HS384 or HS512: list the one it signs with in "algorithms"');
      }
      continue;
    }
    const secret = PRIVATE_MEMBERS.find((member) => key[member] !== undefined);
    if (secret !== undefined) {
      report(where, `holds the private member "${secret}": give the public key only (never put a private key in the config)`);
      continue;
    }
    try {
      createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
    } catch (err) {
      report(where, `is not a valid ${kty} public key: ${(err as Error).message}`);
    }
  }
  if (hmac.length > 0 && secrets === 0) {
    report(jsonPointer(...at, 'jwks'), `${hmac.join(', ')} need an "oct" key (the shared secret) in "jwks"`);
  }
}
