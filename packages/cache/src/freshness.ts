import type { CacheControl } from './cache-control';
import { parseDeltaSeconds } from './cache-control';

/**
 * Freshness math (RFC 9111 §4.2), in milliseconds, pure: every input is passed in.
 */

/** Statuses that are heuristically cacheable by default (RFC 9110 §15.1). */
export const HEURISTIC_STATUSES: ReadonlySet<number> = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);

/** The heuristic part of the settings. */
export interface HeuristicSettings {
  readonly heuristicPercent: number;
  readonly maxHeuristicSeconds: number;
}

/**
 * The freshness lifetime (RFC 9111 §4.2.1), first match wins: `s-maxage` (a shared cache),
 * `max-age`, `Expires - Date` (an invalid or duplicated-and-different `Expires` means already
 * expired), then the heuristic: `heuristicPercent` of `Date - Last-Modified`, capped at
 * `maxHeuristicSeconds`, only for heuristically cacheable statuses or `public` responses
 * (RFC 9111 §4.2.2). Returns 0 when nothing applies.
 *
 * @param expires all `Expires` values (empty when absent)
 */
export function freshnessLifetime(
  status: number,
  cc: CacheControl,
  dateMs: number,
  expires: readonly string[],
  lastModifiedMs: number,
  settings: HeuristicSettings,
): number {
  if (cc.sMaxAge >= 0) return cc.sMaxAge * 1000;
  if (cc.maxAge >= 0) return cc.maxAge * 1000;
  if (expires.length > 0) {
    for (let i = 1; i < expires.length; i++) if (expires[i] !== expires[0]) return 0;
    const e = Date.parse(expires[0] as string);
    if (Number.isNaN(e)) return 0;
    return Math.max(0, e - dateMs);
  }
  if (settings.heuristicPercent > 0 && !Number.isNaN(lastModifiedMs) && (HEURISTIC_STATUSES.has(status) || cc.public)) {
    const since = dateMs - lastModifiedMs;
    if (since <= 0) return 0;
    return Math.min(Math.floor((since * settings.heuristicPercent) / 100), settings.maxHeuristicSeconds * 1000);
  }
  return 0;
}

/**
 * The `Age` header's value in seconds (RFC 9111 §5.1): the first member of a list; `0` when
 * absent or invalid (the field is then ignored).
 */
export function parseAge(value: string | null): number {
  if (value === null) return 0;
  const comma = value.indexOf(',');
  const n = parseDeltaSeconds((comma === -1 ? value : value.slice(0, comma)).trim());
  return n < 0 ? 0 : n;
}

/**
 * `corrected_initial_age` (RFC 9111 §4.2.3):
 *
 *     apparent_age = max(0, response_time - date_value)
 *     response_delay = response_time - request_time
 *     corrected_age_value = age_value + response_delay
 *     corrected_initial_age = max(apparent_age, corrected_age_value)
 */
export function correctedInitialAge(ageSeconds: number, dateMs: number, requestTime: number, responseTime: number): number {
  const apparentAge = Math.max(0, responseTime - dateMs);
  const responseDelay = Math.max(0, responseTime - requestTime);
  const correctedAgeValue = ageSeconds * 1000 + responseDelay;
  return Math.max(apparentAge, correctedAgeValue);
}

/** `current_age = corrected_initial_age + (now - response_time)` (RFC 9111 §4.2.3). */
export function currentAge(correctedInitial: number, responseTime: number, now: number): number {
  return correctedInitial + Math.max(0, now - responseTime);
}
