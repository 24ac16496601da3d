/**
 * The request path policy (issue 9, config `server.paths`): the path routing sees is the path
 * sent upstream, normalised once before routing (RFC 3986 section 6.2.2), so that a route's
 * prefix cannot be dodged with `/./`, `..`, `%61` or `//`.
 *
 * In order:
 * 1. Percent-encoding (RFC 3986 section 2.1, 2.3): an escape of an unreserved character
 *    (ALPHA / DIGIT / `-` `.` `_` `~`) is decoded, every other escape keeps its form with its hex
 *    digits upper-cased. A `%` not followed by two hex digits, and `%00` (a NUL that C backends
 *    would truncate at; nginx answers 400 too), reject the path. `%2F` and `%5C` (encoded `/`
 *    and `\`) reject it when `rejectEscapedSlashes`, else stay as ordinary characters. Decoding
 *    comes before step 2, so `%2e%2E` is a `..` segment.
 * 2. `//` runs collapse into one `/` when `mergeSlashes` (nginx `merge_slashes`).
 * 3. Dot segments are removed (RFC 3986 section 5.2.4); a `..` above the root rejects the path
 *    (nginx answers 400 too) instead of being dropped. A final `.` or `..` segment leaves a
 *    trailing `/` (`/a/b/..` -> `/a/`).
 *
 * Raw characters a path may never carry (controls, space, DEL, `#`) reject it; the request-head
 * check refuses most of them first. A raw `\` rejects it when `rejectEscapedSlashes`: WHATWG URL
 * parsers (Node's `new URL`, browsers) read `\` as `/` in http(s) URLs, so
 * `/public\..\admin` would reach such a backend as `/admin` while Weir routed it by `/public`.
 *
 * Rejected means 400 WEIR_ERR_BAD_REQUEST; that answer is the caller's.
 */

const PERCENT = 0x25;
const SLASH = 0x2f;
const DOT = 0x2e;
const BACKSLASH = 0x5c;
const HASH = 0x23;

/**
 * Normalises the path of an origin-form target (no query). Returns `path` itself when nothing
 * changes (the common case scans once and allocates nothing), the normalised path, or null to
 * reject the request (400). The result always starts with `/`.
 */
export function normalisePath(path: string, mergeSlashes: boolean, rejectEscapedSlashes: boolean): string | null {
  return normaliseUpTo(path, path.length, mergeSlashes, rejectEscapedSlashes);
}

/**
 * {@link normalisePath} applied to a whole origin-form target: the path before the first `?`
 * is normalised, the `?query` is kept byte for byte. Returns `target` itself when the path is
 * unchanged (no allocation, with or without a query), or null to reject (400).
 */
export function normaliseTarget(target: string, mergeSlashes: boolean, rejectEscapedSlashes: boolean): string | null {
  const query = target.indexOf('?');
  const end = query === -1 ? target.length : query;
  const path = normaliseUpTo(target, end, mergeSlashes, rejectEscapedSlashes);
  if (path === null || path === target) return path;
  return query === -1 ? path : path + target.slice(query);
}

/**
 * Normalises `s.slice(0, end)` without slicing it first: returns `s` when that prefix needs no
 * change (callers only ask this when `end` covers all of the path), a new string, or null.
 */
function normaliseUpTo(s: string, end: number, mergeSlashes: boolean, rejectEscapedSlashes: boolean): string | null {
  // Fast scan: the common path has no escape, no dot segment, no `//`, and starts with `/`.
  let slow = end === 0 || s.charCodeAt(0) !== SLASH;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === HASH) return null;
    if (c === BACKSLASH && rejectEscapedSlashes) return null;
    if (c === PERCENT) slow = true;
    else if (c === SLASH && i + 1 < end) {
      const next = s.charCodeAt(i + 1);
      if (next === SLASH) {
        if (mergeSlashes) slow = true;
      } else if (next === DOT && isDotSegmentAt(s, i + 1, end)) {
        slow = true;
      }
    }
  }
  if (!slow) return s;
  const decoded = decodeEscapes(s, end, rejectEscapedSlashes);
  if (decoded === null) return null;
  const result = removeDotSegments(decoded, mergeSlashes);
  if (result === null) return null;
  // Same characters as the input: hand back the input (callers compare by identity).
  return result.length === end && s.startsWith(result) ? s : result;
}

/** True when the segment starting at `start` (after a `/`) is `.` or `..`. */
function isDotSegmentAt(s: string, start: number, end: number): boolean {
  let i = start + 1;
  if (i < end && s.charCodeAt(i) === DOT) i++;
  return i === end || s.charCodeAt(i) === SLASH;
}

/**
 * Step 1: decodes escapes of unreserved characters, upper-cases the others. Null for an
 * invalid escape, `%00`, or `%2F`/`%5C` when `rejectEscapedSlashes`. Slow path only.
 */
function decodeEscapes(s: string, end: number, rejectEscapedSlashes: boolean): string | null {
  let out = '';
  let from = 0;
  for (let i = s.indexOf('%'); i !== -1 && i < end; i = s.indexOf('%', i)) {
    const hi = i + 2 < end ? hexValue(s.charCodeAt(i + 1)) : -1;
    const lo = hi === -1 ? -1 : hexValue(s.charCodeAt(i + 2));
    if (lo === -1) return null;
    const byte = (hi << 4) | lo;
    if (byte === 0) return null;
    if ((byte === SLASH || byte === BACKSLASH) && rejectEscapedSlashes) return null;
    out += s.slice(from, i);
    out += isUnreserved(byte) ? String.fromCharCode(byte) : '%' + HEX[hi] + HEX[lo];
    i += 3;
    from = i;
  }
  return from === 0 ? s.slice(0, end) : out + s.slice(from, end);
}

const HEX = '0123456789ABCDEF';

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** RFC 3986 section 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
function isUnreserved(c: number): boolean {
  const lower = c | 0x20;
  return (
    (lower >= 0x61 && lower <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === DOT || c === 0x5f || c === 0x7e
  );
}

/**
 * Steps 2 and 3 over the decoded path (`%2F` still encoded, so splitting on `/` is safe).
 * Segments are kept on a stack: `.` is dropped, `..` pops (null when there is nothing to pop:
 * above the root), an empty segment (from `//`) is dropped when merging unless it is the last
 * one (the trailing slash). A final `.` or `..` leaves an empty last segment: the trailing `/`.
 */
function removeDotSegments(path: string, mergeSlashes: boolean): string | null {
  const segments = (path.charCodeAt(0) === SLASH ? path.slice(1) : path).split('/');
  const out: string[] = [];
  const last = segments.length - 1;
  for (let i = 0; i <= last; i++) {
    const segment = segments[i] as string;
    if (segment === '.' || segment === '..') {
      if (segment === '..' && out.pop() === undefined) return null;
      if (i === last) out.push('');
    } else if (segment === '' && mergeSlashes && i !== last) {
      continue;
    } else {
      out.push(segment);
    }
  }
  return '/' + out.join('/');
}
