import { deepFreeze } from '@weir/runtime';

/**
 * A JWK Set (RFC 7517 section 5) as the `jwt` plugin reads it: `{ keys: [...] }`, each key an
 * object with a string `kty`. Structurally the `JwksSource` value of `@weir/plugins`.
 */
export interface JwkSet {
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}

/** What {@link parseJwkSet} made of a body. */
export type JwkSetParse = { readonly ok: true; readonly jwks: JwkSet } | { readonly ok: false; readonly message: string };

/**
 * Parses and checks a fetched JWKS body: a JSON object whose `keys` is a non-empty array of
 * objects, each with a non-empty string `kty`. Members other than `keys` are dropped; the
 * result is deeply frozen (it is shared with every reader and sent to the workers as is).
 *
 * An empty `keys` is refused although RFC 7517 allows it: taking it would make every token
 * fail, and a fetcher keeps the last good set when a refresh is refused, so a misconfigured or
 * half-deployed issuer endpoint does not lock everyone out. Key material is checked further
 * (per algorithm) by the plugin when it imports a key.
 */
export function parseJwkSet(text: string): JwkSetParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the body is not JSON' };
  }
  if (!isObject(value)) return { ok: false, message: 'the body is not a JSON object' };
  const keys = value['keys'];
  if (!Array.isArray(keys)) return { ok: false, message: '"keys" is not an array' };
  if (keys.length === 0) return { ok: false, message: '"keys" is empty' };
  for (let i = 0; i < keys.length; i++) {
    const key: unknown = keys[i];
    if (!isObject(key)) return { ok: false, message: `keys[${i}] is not an object` };
    const kty = key['kty'];
    if (typeof kty !== 'string' || kty === '') return { ok: false, message: `keys[${i}] has no string "kty"` };
  }
  return { ok: true, jwks: deepFreeze({ keys: keys as Record<string, unknown>[] }) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
