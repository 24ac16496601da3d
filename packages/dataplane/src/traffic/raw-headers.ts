/**
 * Reading Node's flat raw header list (`[name, value, name, value, ...]`) and RFC 6265 `Cookie`
 * lines in place, without lower-casing or slicing (STYLE.md rule 7). Shared by the override
 * matcher, the sticky key and the traffic chooser; internal to the traffic module.
 */

/**
 * Whether `raw` equals the lower-case `lower` ignoring ASCII case, without a lower-cased copy.
 * Header names are tokens, so ASCII folding is exact.
 */
export function equalsLowerCase(raw: string, lower: string): boolean {
  if (raw.length !== lower.length) return false;
  if (raw === lower) return true;
  for (let i = 0; i < lower.length; i++) {
    let c = raw.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Index in `rawHeaders` of the first value of the header `lower` (lower-cased), or -1. */
export function headerIndex(rawHeaders: readonly string[], lower: string): number {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (equalsLowerCase(rawHeaders[i] as string, lower)) return i + 1;
  }
  return -1;
}

/**
 * Start of the value of the cookie `name` in one `Cookie` line (the index after `name=`), looking
 * from `from` (default 0), or -1.
 * RFC 6265 section 4.2.1: `cookie-pair *( ";" SP cookie-pair )`; missing or extra spaces are
 * tolerated, names are case-sensitive, and a `name=` inside another cookie's value (`a=xname=1`)
 * does not count: the match must start a pair.
 */
export function cookieValueStart(line: string, name: string, from = 0): number {
  const n = name.length;
  for (;;) {
    const at = line.indexOf(name, from);
    if (at === -1) return -1;
    if (line.charCodeAt(at + n) === 0x3d /* = */ && isPairStart(line, at)) return at + n + 1;
    from = at + 1;
  }
}

/** End (exclusive) of the cookie value starting at `start`: the next `;`, trailing spaces dropped. */
export function cookieValueEnd(line: string, start: number): number {
  const semi = line.indexOf(';', start);
  let end = semi === -1 ? line.length : semi;
  while (end > start && line.charCodeAt(end - 1) === 0x20) end--;
  return end;
}

/**
 * Whether the cookie value `line[start, end)` equals `value`. RFC 6265's `cookie-value` may be
 * wrapped in double quotes (`DQUOTE *cookie-octet DQUOTE`); the quotes are not part of the value,
 * so `name="abc"` and `name=abc` both equal `abc`. Compared in place (no slice).
 */
export function cookieValueEquals(line: string, start: number, end: number, value: string): boolean {
  if (end - start >= 2 && line.charCodeAt(start) === 0x22 && line.charCodeAt(end - 1) === 0x22 && end - start - 2 === value.length) {
    if (line.startsWith(value, start + 1)) return true;
  }
  return end - start === value.length && line.startsWith(value, start);
}

/** Whether `at` starts a cookie pair: the line's start, or after `;` and optional spaces. */
function isPairStart(line: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && line.charCodeAt(i) === 0x20) i--;
  return i < 0 || line.charCodeAt(i) === 0x3b;
}
