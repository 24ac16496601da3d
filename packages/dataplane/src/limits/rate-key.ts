import { createHash } from 'node:crypto';
import type { RateLimitKeySpec } from '@weir/runtime';

/** Longest key kept as it is; longer ones (a huge header value) are replaced by their digest. */
const MAX_KEY_LENGTH = 128;

/** The request facts a rate-limit key is read from. */
export interface KeySource {
  readonly clientAddress: string;
  /** Node's flat raw header list. */
  readonly rawHeaders: readonly string[];
  readonly claims: Readonly<Record<string, unknown>> | null;
}

/**
 * The bucket key of one request for one limit: the client address, a header's first value, a
 * JWT claim (strings, numbers and booleans; anything else or absent is the empty key), or the
 * empty key for `route`. Keys longer than 128 characters become `#` + a sha256 digest, so a
 * bucket table holds bounded keys whatever clients send.
 */
export function rateKey(spec: RateLimitKeySpec, source: KeySource): string {
  switch (spec.kind) {
    case 'clientAddress':
      return source.clientAddress;
    case 'route':
      return '';
    case 'header':
      return bounded(headerValue(source.rawHeaders, spec.name));
    case 'claim': {
      const claims = source.claims;
      if (claims === null) return '';
      const value = claims[spec.name];
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? bounded(String(value)) : '';
    }
  }
}

function headerValue(raw: readonly string[], lowerName: string): string {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return raw[i + 1] as string;
  }
  return '';
}

function bounded(key: string): string {
  return key.length <= MAX_KEY_LENGTH ? key : '#' + createHash('sha256').update(key).digest('base64url');
}
