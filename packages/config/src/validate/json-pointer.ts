/**
 * JSON pointers (RFC 6901) for config problems: `/routes/2/split/0/upstream`. The root is `""`.
 */

/** Escapes one reference token: `~` becomes `~0` and `/` becomes `~1` (RFC 6901 section 3). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a pointer from reference tokens: `jsonPointer('routes', 2, 'name')` is `/routes/2/name`. */
export function jsonPointer(...tokens: readonly (string | number)[]): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) out += '/' + escapePointerToken(tokens[i] as string | number);
  return out;
}

/**
 * Orders pointers as their values appear in the document: token by token, numerically when both
 * tokens are array indexes (so `/routes/2` sorts before `/routes/10`).
 */
export function compareJsonPointers(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const x = left[i] as string;
    const y = right[i] as string;
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}
