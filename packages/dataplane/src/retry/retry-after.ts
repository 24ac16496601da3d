/** Longest Retry-After taken literally, in seconds (a day); larger values are clamped. */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * The wait a `Retry-After` header asks for, in ms, or -1 when it is absent or invalid
 * (RFC 9110 section 10.2.3): either delay-seconds (a non-negative integer) or an HTTP-date, in
 * which case the wait is the time from `nowWallMs` (wall clock, `Date.now()`: the date is the
 * upstream's wall clock) to that date, 0 if it is past. A repeated header uses its first value.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, nowWallMs: number): number {
  if (value === undefined) return -1;
  const v = typeof value === 'string' ? value.trim() : (value[0] ?? '').trim();
  if (v.length === 0) return -1;
  let digits = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      digits = false;
      break;
    }
  }
  if (digits) return Math.min(Number(v), MAX_RETRY_AFTER_SECONDS) * 1000;
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with a day name; checking that
  // keeps V8's lenient Date.parse from reading "-1" or "1.5" as dates.
  const first = v.charCodeAt(0) | 0x20;
  if (first < 0x61 || first > 0x7a) return -1;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return -1;
  return Math.min(Math.max(0, date - nowWallMs), MAX_RETRY_AFTER_SECONDS * 1000);
}
