import type { TrafficOverrideSpec } from '@weir/runtime';
import { cookieValueEnd, cookieValueEquals, cookieValueStart, equalsLowerCase, headerIndex } from './raw-headers';

/** Returned by `OverrideMatcher.match` when no override matches. */
export const NO_OVERRIDE = -1;

const SOURCE_HEADER = 0;
const SOURCE_COOKIE = 1;

/**
 * A route's `traffic.overrides`, compiled at assemble time (STYLE.md rule 6): the first override
 * (config order) that matches a request picks its split entry, whatever the weights.
 *
 * - header: the header's first value (name compared ignoring ASCII case) must equal `value`
 *   (case-sensitive), or, without `value`, the header must be present (an empty value counts);
 * - cookie: a pair `name=value` in any `Cookie` line (HTTP/2 clients send one line per cookie,
 *   RFC 9113 section 8.2.3; HTTP/1.1 clients one line), name case-sensitive; a quoted value is
 *   compared without its quotes. Without `value`, the pair's presence is enough.
 *
 * `match` reads the raw header list in place: no lower-casing, no cookie map, no slices; it
 * allocates nothing. Cost: one scan of the header names per header override, one scan plus an
 * `indexOf` per `Cookie` line per cookie override (ns/op in the report of issue 19).
 */
export class OverrideMatcher {
  /** Number of overrides. */
  readonly length: number;
  private readonly sources: Uint8Array;
  /** Lower-cased header names, or cookie names as written. */
  private readonly names: readonly string[];
  /** Expected values; null for presence. */
  private readonly values: readonly (string | null)[];
  private readonly targets: Int32Array;

  /** @param overrides the route's overrides in config order (targets index its split). */
  constructor(overrides: readonly TrafficOverrideSpec[]) {
    const n = overrides.length;
    this.length = n;
    this.sources = new Uint8Array(n);
    this.targets = new Int32Array(n);
    const names: string[] = [];
    const values: (string | null)[] = [];
    for (let i = 0; i < n; i++) {
      const o = overrides[i] as TrafficOverrideSpec;
      const cookie = o.source === 'cookie';
      this.sources[i] = cookie ? SOURCE_COOKIE : SOURCE_HEADER;
      // The spec lower-cases header names; doing it again costs nothing here and keeps a
      // hand-built spec (tests, tools) correct.
      names.push(cookie ? o.name : o.name.toLowerCase());
      values.push(o.value);
      this.targets[i] = o.target;
    }
    this.names = names;
    this.values = values;
  }

  /**
   * The split index the first matching override names, or `NO_OVERRIDE` (-1).
   * @param rawHeaders the request's `rawHeaders` (`[name, value, ...]`).
   */
  match(rawHeaders: readonly string[]): number {
    const n = this.length;
    for (let i = 0; i < n; i++) {
      const hit = this.sources[i] === SOURCE_HEADER ? this.matchHeader(rawHeaders, i) : this.matchCookie(rawHeaders, i);
      if (hit) return this.targets[i] as number;
    }
    return NO_OVERRIDE;
  }

  private matchHeader(rawHeaders: readonly string[], i: number): boolean {
    const at = headerIndex(rawHeaders, this.names[i] as string);
    if (at === -1) return false;
    const value = this.values[i] as string | null;
    return value === null || rawHeaders[at] === value;
  }

  private matchCookie(rawHeaders: readonly string[], i: number): boolean {
    const name = this.names[i] as string;
    const value = this.values[i] as string | null;
    for (let h = 0; h < rawHeaders.length; h += 2) {
      if (!equalsLowerCase(rawHeaders[h] as string, 'cookie')) continue;
      const line = rawHeaders[h + 1] as string;
      const start = cookieValueStart(line, name);
      if (start === -1) continue;
      if (value === null) return true;
      // A repeated cookie name: RFC 6265 section 5.4 leaves the order to the client; any pair
      // with the value counts.
      for (let s = start; s !== -1; ) {
        const end = cookieValueEnd(line, s);
        if (cookieValueEquals(line, s, end, value)) return true;
        s = cookieValueStart(line, name, end);
      }
    }
    return false;
  }
}

