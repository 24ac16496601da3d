import { RE2Set } from 're2js';
import type { LinearRegex } from './linear-regex';

const NONE: readonly number[] = [];

/**
 * Many whole-string patterns matched in one pass: RE2's set automaton over all of them, so a
 * table of N regex routes costs one DFA walk of the input instead of N matches (measured in
 * packages/regex/bench: about the same 0.1-0.3 µs for 1 and for 1,000 patterns).
 *
 * Built from patterns that already compiled one by one (`LinearRegex.compile`), so every
 * member is valid RE2 and within its program-size cap.
 */
export class LinearRegexSet {
  /** Number of patterns. */
  readonly size: number;
  private readonly patterns: readonly LinearRegex[];
  /** The set automaton; null for fewer than two patterns, or when they do not fit in one. */
  private readonly set: RE2Set | null;

  constructor(patterns: readonly LinearRegex[]) {
    this.size = patterns.length;
    this.patterns = patterns.slice();
    this.set = patterns.length < 2 ? null : buildSet(patterns);
  }

  /**
   * Indices (into the constructor's list) of the patterns that match the whole `input`, in
   * ascending order; empty when none does. The array must not be modified.
   */
  matches(input: string): readonly number[] {
    if (this.set !== null) return this.set.match(input);
    // One pattern (its prefix shortcut beats the automaton on a miss), or a set too large for
    // one automaton: test each pattern, still linear each.
    const patterns = this.patterns;
    let hits: number[] | null = null;
    for (let i = 0; i < patterns.length; i++) {
      if ((patterns[i] as LinearRegex).test(input)) (hits ??= []).push(i);
    }
    return hits ?? NONE;
  }
}

/**
 * RE2 caps one program at about 1.4 million instructions; tens of thousands of large patterns can
 * exceed it together although each fits alone. Then the set falls back to testing one by one.
 */
function buildSet(patterns: readonly LinearRegex[]): RE2Set | null {
  const set = new RE2Set(RE2Set.ANCHOR_BOTH);
  try {
    for (let i = 0; i < patterns.length; i++) set.add((patterns[i] as LinearRegex).source);
    set.compile();
  } catch {
    return null;
  }
  return set;
}
