import { createHash, randomBytes } from 'node:crypto';

/**
 * Admin tokens and their stored form.
 *
 * A token is `weir_` + 32 random bytes in base64url (256 bits; the prefix lets secret scanners
 * and people recognise one). The config stores only `sha256$<salt>$<hex>`: a per-token random
 * salt and sha256(salt + token).
 *
 * Why salted sha256 and not scrypt or argon2: slow hashes protect low-entropy passwords against
 * guessing. A 256-bit random token cannot be guessed whatever the hash costs, so a slow hash
 * would only add a CPU lever for unauthenticated clients (every bad token costs a hash) and
 * latency to every call. The salt still makes equal tokens hash differently and defeats
 * precomputed tables. This is the choice GitHub and others make for API tokens.
 */

/** Prefix of every generated token. */
export const TOKEN_PREFIX = 'weir_';

/** `sha256$<salt>$<hex>`, the pattern the config schema enforces. */
export const TOKEN_HASH_PATTERN = /^sha256\$([A-Za-z0-9_-]{16,64})\$([0-9a-f]{64})$/;

/** A parsed token hash: the salt (as written) and the 32-byte digest. */
export interface ParsedTokenHash {
  readonly salt: string;
  readonly digest: Buffer;
}

/** A new random token: `weir_` + 43 base64url characters. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** sha256(salt + token), the digest stored in the hash. */
export function tokenDigest(salt: string, token: string): Buffer {
  return createHash('sha256').update(salt, 'utf8').update(token, 'utf8').digest();
}

/** The config form of `token`: `sha256$<salt>$<hex>`, with a fresh 16-byte salt unless given. */
export function hashToken(token: string, salt: string = randomBytes(16).toString('base64url')): string {
  return `sha256$${salt}$${tokenDigest(salt, token).toString('hex')}`;
}

/** Parse a stored hash; null when it does not have the `sha256$<salt>$<hex>` form. */
export function parseTokenHash(hash: string): ParsedTokenHash | null {
  const match = TOKEN_HASH_PATTERN.exec(hash);
  if (match === null) return null;
  return { salt: match[1] as string, digest: Buffer.from(match[2] as string, 'hex') };
}
