/**
 * Reduces a raw `Host` header value to the form route host patterns use: lower case, no port,
 * no trailing dot; IPv6 literals keep their brackets (`[::1]:8080` -> `[::1]`).
 *
 * One pass over the characters; the common case (already lower case, no port, no trailing dot)
 * returns the input string itself, so it allocates nothing.
 */
export function normaliseHost(raw: string): string {
  let end = raw.length;
  let upper = false;
  if (raw.charCodeAt(0) === 0x5b /* [ */) {
    const close = raw.indexOf(']');
    if (close !== -1) end = close + 1;
    for (let i = 1; i < end; i++) {
      const c = raw.charCodeAt(i);
      if (c >= 0x41 && c <= 0x5a) {
        upper = true;
        break;
      }
    }
  } else {
    for (let i = 0; i < end; i++) {
      const c = raw.charCodeAt(i);
      if (c === 0x3a /* : */) {
        end = i;
        break;
      }
      if (c >= 0x41 && c <= 0x5a) upper = true;
    }
    // Fully qualified `example.com.` names the same host as `example.com` (RFC 1034 section 3.1).
    if (end > 0 && raw.charCodeAt(end - 1) === 0x2e /* . */) end--;
  }
  const host = end === raw.length ? raw : raw.slice(0, end);
  return upper ? host.toLowerCase() : host;
}

/**
 * Normalises a host pattern from the spec at compile time. Patterns are already lower case;
 * this also brackets a bare IPv6 literal (`::1` -> `[::1]`) so it compares equal to the
 * normalised `Host` header, and drops a trailing dot.
 */
export function normaliseHostPattern(pattern: string): string {
  const p = pattern.toLowerCase();
  const colon = p.indexOf(':');
  if (p.charCodeAt(0) !== 0x5b && colon !== -1 && colon !== p.lastIndexOf(':')) return `[${p}]`;
  return normaliseHost(p);
}
