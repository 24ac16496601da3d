/**
 * Durations on the command line: `90` (seconds), `90s`, `500ms`, `5m`, `1h`, and sums such as
 * `1h30m`. Parsed once, at the boundary (cli-options), into milliseconds.
 */
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)?/y;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of `text`, or null when it is not a duration. A bare number is seconds. */
export function parseDuration(text: string): number | null {
  const source = text.trim();
  if (source === '') return null;
  let total = 0;
  let index = 0;
  let parts = 0;
  while (index < source.length) {
    PART.lastIndex = index;
    const match = PART.exec(source);
    if (match === null) return null;
    const unit = match[2];
    // A bare number is only allowed alone: "1h30" is more likely a typo than 1h + 30 s.
    if (unit === undefined && (parts > 0 || match[0].length !== source.length)) return null;
    total += Number(match[1]) * (UNIT_MS[unit ?? 's'] as number);
    index = PART.lastIndex;
    parts += 1;
  }
  return Number.isFinite(total) ? Math.round(total) : null;
}

/** A short human form: `850ms`, `42s`, `5m 03s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
