/**
 * `tracestate` handling (W3C Trace Context Level 1, section 3.3,
 * https://www.w3.org/TR/trace-context/#tracestate-header). Weir adds no entry of its own; it
 * forwards what the caller sent, bounded in size. Members are not validated one by one: a proxy
 * that is not the vendor of an entry must pass it on unchanged.
 */

/** Section 3.3.1.5: "vendors SHOULD propagate at least 512 characters". */
export const TRACE_STATE_LIMIT = 512;
/** Section 3.3.1.5: entries over 128 characters SHOULD be removed first when truncating. */
const LONG_MEMBER = 128;

/**
 * The `tracestate` value to forward, or null when there is none. Trimmed; returned unchanged when
 * it fits in 512 chars. A longer value is truncated the way section 3.3.1.5 asks: first drop
 * members longer than 128 chars, then drop whole members from the right (the oldest entries)
 * until it fits; null if nothing is left. Only the rare over-long value allocates.
 */
export function acceptTraceState(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  if (trimmed.length <= TRACE_STATE_LIMIT) return trimmed;
  const members: string[] = [];
  const parts = trimmed.split(',');
  for (let i = 0; i < parts.length; i++) {
    const member = (parts[i] as string).trim();
    if (member.length > 0 && member.length <= LONG_MEMBER) members.push(member);
  }
  let joined = members.join(',');
  while (joined.length > TRACE_STATE_LIMIT && members.length > 0) {
    members.pop();
    joined = members.join(',');
  }
  return joined.length === 0 ? null : joined;
}
