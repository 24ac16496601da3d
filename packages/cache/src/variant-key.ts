import type { CacheEntry } from './cache-entry';
import { joinedHeader, splitList } from './header-list';

/**
 * Secondary keys (RFC 9111 §4.1). A primary key maps to variants; each variant records the
 * request's values of the header names its stored response's `Vary` lists, plus the route's
 * configured `keyHeaders`. A request selects a variant only when every recorded value matches
 * its own, after normalization: all lines joined with `,`, whitespace around list members
 * removed, and case kept. An absent header matches only an absent header.
 */

/** The normalized value of one header in a flat request list, `null` when absent. */
export function variantValue(requestHeaders: readonly string[], lowerName: string): string | null {
  const joined = joinedHeader(requestHeaders, lowerName);
  if (joined === null) return null;
  const parts = joined.split(',');
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = (parts[i] as string).trim();
    if (p.length === 0) continue;
    out = out.length === 0 ? p : out + ',' + p;
  }
  return out;
}

/**
 * The secondary key names for a response: its `Vary` names (lower-cased) plus `keyHeaders`,
 * without duplicates. Returns `null` for `Vary: *` (never stored).
 */
export function varyNames(varyHeader: string | null, keyHeaders: readonly string[]): string[] | null {
  const names = splitList(varyHeader);
  for (let i = 0; i < names.length; i++) if (names[i] === '*') return null;
  for (let i = 0; i < keyHeaders.length; i++) {
    const k = keyHeaders[i] as string;
    if (!names.includes(k)) names.push(k);
  }
  return names;
}

/** The request's values for `names`. */
export function varyValues(requestHeaders: readonly string[], names: readonly string[]): (string | null)[] {
  const out: (string | null)[] = new Array<string | null>(names.length);
  for (let i = 0; i < names.length; i++) out[i] = variantValue(requestHeaders, names[i] as string);
  return out;
}

/** True when the request carries the same values the entry recorded. */
export function variantMatches(entry: CacheEntry, requestHeaders: readonly string[]): boolean {
  const names = entry.varyNames;
  for (let i = 0; i < names.length; i++) {
    if (variantValue(requestHeaders, names[i] as string) !== entry.varyValues[i]) return false;
  }
  return true;
}

/** True when two entries record the same secondary key (same names and values). */
export function sameVariant(a: CacheEntry, b: CacheEntry): boolean {
  if (a.varyNames.length !== b.varyNames.length) return false;
  for (let i = 0; i < a.varyNames.length; i++) {
    const idx = b.varyNames.indexOf(a.varyNames[i] as string);
    if (idx === -1 || b.varyValues[idx] !== a.varyValues[i]) return false;
  }
  return true;
}

/**
 * The variant to use for a request: among matching variants, the one with the most recent
 * `Date` (RFC 9111 §4.1), or `null`.
 */
export function selectVariant(variants: readonly CacheEntry[], requestHeaders: readonly string[]): CacheEntry | null {
  let best: CacheEntry | null = null;
  for (let i = 0; i < variants.length; i++) {
    const v = variants[i] as CacheEntry;
    if (variantMatches(v, requestHeaders) && (best === null || v.dateMs > best.dateMs)) best = v;
  }
  return best;
}
