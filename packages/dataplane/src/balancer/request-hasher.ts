import type { HashOnSpec } from '@weir/runtime';
import { NO_HASH } from './balancer';
import { hashRange, hashString } from '../traffic/index';

/** Seed of request-key hashes (any constant; ring and maglev positions use others). */
const KEY_SEED = 0;

/**
 * Computes a request's hash key for a consistent-hashing balancer, from the spec's `hashOn`:
 * the first value of a header, the value of a cookie, or the client's address. Built once per
 * upstream at assemble time; `hash()` reads the raw header list (Node builds `req.headers`
 * lazily, and most requests never need it) and hashes in place, without slicing strings.
 *
 * Returns `NO_HASH` when the request has no such header or cookie (the balancer then picks at
 * random, as Envoy does without a hash key).
 */
export class RequestHasher {
  private readonly kind: HashOnSpec['kind'];
  /** Lower-cased header name (`header`), or the cookie name followed by `=` (`cookie`). */
  private readonly name: string;

  constructor(hashOn: HashOnSpec) {
    this.kind = hashOn.kind;
    this.name = hashOn.kind === 'header' ? hashOn.name : hashOn.kind === 'cookie' ? hashOn.name + '=' : '';
  }

  /**
   * @param rawHeaders the request's `rawHeaders` (`[name, value, ...]`).
   * @param remoteAddress the TCP peer's address (`req.socket.remoteAddress`).
   */
  hash(rawHeaders: readonly string[], remoteAddress: string | undefined): number {
    if (this.kind === 'clientAddress') return remoteAddress === undefined ? NO_HASH : hashString(remoteAddress, KEY_SEED);
    if (this.kind === 'header') {
      const name = this.name;
      for (let i = 0; i < rawHeaders.length; i += 2) {
        const raw = rawHeaders[i] as string;
        if (raw.length === name.length && (raw === name || equalsLowerCase(raw, name))) {
          return hashString(rawHeaders[i + 1] as string, KEY_SEED);
        }
      }
      return NO_HASH;
    }
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const raw = rawHeaders[i] as string;
      if (raw.length === 6 && (raw === 'cookie' || equalsLowerCase(raw, 'cookie'))) {
        const h = this.cookie(rawHeaders[i + 1] as string);
        if (h !== NO_HASH) return h;
      }
    }
    return NO_HASH;
  }

  /**
   * Finds `name=` at the start of a `cookie-pair` (RFC 6265 section 4.2.1: pairs separated by
   * `; `, tolerating missing or extra spaces) and hashes the value up to the next `;`. A value in
   * double quotes is hashed with its quotes; that only has to be stable, not decoded.
   */
  private cookie(header: string): number {
    const name = this.name;
    let from = 0;
    for (let guard = 0; guard < header.length; guard++) {
      const at = header.indexOf(name, from);
      if (at === -1) return NO_HASH;
      if (isPairStart(header, at)) {
        const start = at + name.length;
        const semi = header.indexOf(';', start);
        let end = semi === -1 ? header.length : semi;
        while (end > start && header.charCodeAt(end - 1) === 0x20) end--;
        return hashRange(header, start, end, KEY_SEED);
      }
      from = at + 1;
    }
    return NO_HASH;
  }
}

/**
 * Whether `raw` equals the lower-case `lower` ignoring ASCII case, without allocating a
 * lower-cased copy (`toLowerCase()` would, on every same-length header of every request).
 * Header names are tokens, so ASCII case folding is exact.
 */
function equalsLowerCase(raw: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    let c = raw.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether `at` starts a cookie pair: the header's start, or after `;` and optional spaces. */
function isPairStart(header: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && header.charCodeAt(i) === 0x20) i--;
  return i < 0 || header.charCodeAt(i) === 0x3b;
}
