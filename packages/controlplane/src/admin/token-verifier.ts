import { timingSafeEqual } from 'node:crypto';
import type { AdminTokenConfig } from '@weir/config';
import type { AdminScope } from './admin-scope';
import { parseTokenHash, tokenDigest } from './token-hash';

/** Who made an authenticated call: the token's name and scopes. */
export interface AdminPrincipal {
  /** The token's `name`: the principal of the audit log and the version history. */
  readonly name: string;
  readonly scopes: readonly AdminScope[];
}

interface Entry {
  readonly principal: AdminPrincipal;
  readonly salt: string;
  readonly digest: Buffer;
}

/** Longest token looked at; anything longer is refused without hashing (ours are 48 characters). */
const MAX_TOKEN_LENGTH = 512;

/**
 * Checks presented bearer tokens against the configured hashes. Built once per config version
 * (hashes are parsed here, not per call).
 *
 * Every entry is compared, with `crypto.timingSafeEqual` on equal-length digests, and the loop
 * does not stop at the first match, so the time taken does not depend on which token matched or
 * how many leading bytes of a digest agree.
 */
export class TokenVerifier {
  private readonly entries: readonly Entry[];

  /** @param tokens configured tokens; a hash that does not parse is skipped (the schema rejects it). */
  constructor(tokens: readonly AdminTokenConfig[]) {
    const entries: Entry[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as AdminTokenConfig;
      const parsed = parseTokenHash(token.hash);
      if (parsed === null) continue;
      entries.push({ principal: Object.freeze({ name: token.name, scopes: Object.freeze(token.scopes.slice()) }), ...parsed });
    }
    this.entries = entries;
  }

  /** Number of usable tokens. */
  get size(): number {
    return this.entries.length;
  }

  /** The principal whose token this is, or null. */
  verify(presented: string): AdminPrincipal | null {
    if (presented.length === 0 || presented.length > MAX_TOKEN_LENGTH) return null;
    let found: AdminPrincipal | null = null;
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i] as Entry;
      const equal = timingSafeEqual(tokenDigest(entry.salt, presented), entry.digest);
      if (equal && found === null) found = entry.principal;
    }
    return found;
  }
}
