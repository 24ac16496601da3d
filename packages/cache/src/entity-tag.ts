/**
 * Entity-tag comparison (RFC 9110 §8.8.3.2).
 */

function opaque(tag: string): string {
  const t = tag.trim();
  return t.startsWith('W/') ? t.slice(2) : t;
}

/** Weak comparison: the opaque tags match, weakness ignored. */
export function weakMatch(a: string, b: string): boolean {
  return opaque(a) === opaque(b);
}

/** Strong comparison: both strong and identical. */
export function strongMatch(a: string, b: string): boolean {
  const x = a.trim();
  const y = b.trim();
  return !x.startsWith('W/') && x === y;
}

/**
 * Splits an entity-tag list (`If-None-Match`), respecting quotes (a tag may contain commas).
 * `*` comes back as the single member `'*'`.
 */
export function splitEntityTags(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  const len = value.length;
  while (i < len) {
    let c = value.charCodeAt(i);
    while (i < len && (c === 44 || c === 32 || c === 9)) c = value.charCodeAt(++i);
    if (i >= len) break;
    const start = i;
    if (value.startsWith('W/', i)) i += 2;
    if (i < len && value.charCodeAt(i) === 34) {
      const close = value.indexOf('"', i + 1);
      i = close === -1 ? len : close + 1;
    }
    while (i < len && value.charCodeAt(i) !== 44) i++;
    const tag = value.slice(start, i).trim();
    if (tag.length > 0) out.push(tag);
  }
  return out;
}

/** True when `If-None-Match` matches the stored ETag (weak comparison; `*` matches any entry). */
export function noneMatch(ifNoneMatch: string, etag: string | null): boolean {
  const tags = splitEntityTags(ifNoneMatch);
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i] as string;
    if (t === '*') return true;
    if (etag !== null && weakMatch(t, etag)) return true;
  }
  return false;
}
