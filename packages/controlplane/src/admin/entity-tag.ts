/**
 * Config versions as HTTP entity tags (RFC 9110 section 8.8.3): the ETag of the running config
 * is its version id in quotes, `"v-3f2a9c01d4e5"`. Version ids are built from the spec hash
 * (hex) or given by a bundle or rollout, and never contain `"`.
 */
export function versionTag(version: string): string {
  return `"${version}"`;
}

/**
 * An `If-Match` or `If-None-Match` header, parsed: `*`, or a list of entity tags. Weak tags
 * (`W/"..."`) are kept apart: `If-Match` uses strong comparison (section 13.1.1), so a weak tag
 * never matches there, while `If-None-Match` compares weakly (section 13.1.2).
 */
export class EntityTagCondition {
  private constructor(
    private readonly any: boolean,
    private readonly strong: readonly string[],
    private readonly weak: readonly string[],
  ) {}

  /**
   * Parse a header value; null when the header is absent. A malformed value parses to a
   * condition that matches nothing, so a garbled `If-Match` fails safe (412) rather than
   * applying unconditionally.
   */
  static parse(header: string | undefined): EntityTagCondition | null {
    if (header === undefined) return null;
    const text = header.trim();
    if (text === '*') return new EntityTagCondition(true, [], []);
    const strong: string[] = [];
    const weak: string[] = [];
    const pattern = /\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(,|$)/gy;
    let consumed = 0;
    for (let match = pattern.exec(text); match !== null && consumed < text.length; match = pattern.exec(text)) {
      (match[1] === undefined ? strong : weak).push(match[2] as string);
      consumed = pattern.lastIndex;
      if (match[3] === '') break;
    }
    if (consumed !== text.length) return new EntityTagCondition(false, [], []);
    return new EntityTagCondition(false, strong, weak);
  }

  /** `If-Match`: does the running `version` (null: none) satisfy it? */
  matchesStrong(version: string | null): boolean {
    if (version === null) return false;
    return this.any || this.strong.includes(version);
  }

  /** `If-None-Match`: does the running `version` match any listed tag, weakly? */
  matchesWeak(version: string | null): boolean {
    if (version === null) return false;
    return this.any || this.strong.includes(version) || this.weak.includes(version);
  }
}
