/**
 * Timestamps in a bundle payload: RFC 3339 in UTC with a `Z`, to the second or the millisecond
 * (`2026-12-06T17:00:00Z`, `2026-12-06T17:00:00.250Z`), as `Date.prototype.toISOString` writes
 * them. One spelling per instant keeps the payload easy to check by eye and by other tools.
 */

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,3})?Z$/;

/** Epoch milliseconds of `text`, or null when it is not such a timestamp (or not a real date). */
export function parseTimestamp(text: string): number | null {
  const match = TIMESTAMP.exec(text);
  if (match === null) return null;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return null;
  // Date.parse rolls 2026-02-31 over into March; a real date prints back the same.
  if (new Date(ms).toISOString().slice(0, 19) !== match[1]) return null;
  return ms;
}

/** The timestamp of epoch milliseconds `ms` (`toISOString`). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
