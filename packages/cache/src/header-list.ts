/**
 * Helpers over flat raw header lists `[name, value, name, value, ...]` (undici's `rawHeaders`
 * shape; names in any case) and undici-style records `Record<string, string | string[]>`.
 * Lookups are indexed loops with a length check before the case-insensitive compare
 * (STYLE.md rule 7).
 */

/** An undici-style response header record (lower-cased names). */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

function sameName(candidate: string, lowerName: string): boolean {
  return candidate.length === lowerName.length && (candidate === lowerName || candidate.toLowerCase() === lowerName);
}

/** The first value of `lowerName` in a flat list, or `null`. */
export function firstHeader(list: readonly string[], lowerName: string): string | null {
  for (let i = 0; i + 1 < list.length; i += 2) {
    if (sameName(list[i] as string, lowerName)) return list[i + 1] as string;
  }
  return null;
}

/** All values of `lowerName` in a flat list joined with `", "` (RFC 9110 §5.3), or `null` when absent. */
export function joinedHeader(list: readonly string[], lowerName: string): string | null {
  let out: string | null = null;
  for (let i = 0; i + 1 < list.length; i += 2) {
    if (sameName(list[i] as string, lowerName)) {
      const v = list[i + 1] as string;
      out = out === null ? v : out + ', ' + v;
    }
  }
  return out;
}

/** True when `lowerName` occurs in the flat list. */
export function hasHeader(list: readonly string[], lowerName: string): boolean {
  return firstHeader(list, lowerName) !== null;
}

/** A record value joined with `", "`, or `null`. Record keys are matched case-insensitively. */
export function recordHeader(record: HeaderRecord, lowerName: string): string | null {
  let v = record[lowerName];
  if (v === undefined) {
    for (const k in record) {
      if (sameName(k, lowerName)) {
        v = record[k];
        break;
      }
    }
  }
  if (v === undefined) return null;
  return typeof v === 'string' ? v : v.join(', ');
}

/** Number of values of `lowerName` in a record (0 when absent). */
export function recordCount(record: HeaderRecord, lowerName: string): number {
  const v = record[lowerName];
  if (v === undefined) return 0;
  return typeof v === 'string' ? 1 : v.length;
}

/** Splits a comma-separated list value into trimmed, lower-cased, non-empty members. */
export function splitList(value: string | null): string[] {
  const out: string[] = [];
  if (value === null) return out;
  const parts = value.split(',');
  for (let i = 0; i < parts.length; i++) {
    const p = (parts[i] as string).trim().toLowerCase();
    if (p.length > 0) out.push(p);
  }
  return out;
}

/** Parses an HTTP-date (RFC 9110 §5.6.7; IMF-fixdate, RFC 850 and asctime via `Date.parse`) to epoch ms, or `NaN`. */
export function parseHttpDate(value: string | null): number {
  if (value === null) return NaN;
  return Date.parse(value);
}

/** Formats epoch ms as an IMF-fixdate. */
export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
