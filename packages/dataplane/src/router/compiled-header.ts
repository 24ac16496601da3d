import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderMatchSpec } from '@weir/runtime';
import { LinearRegex } from '@weir/regex';

/* Header test kinds: small integers, as for path kinds in compiled-route.ts. */
const HEADER_PRESENT = 0;
const HEADER_ABSENT = 1;
const HEADER_EXACT = 2;
const HEADER_PREFIX = 3;
const HEADER_REGEX = 4;
type HeaderKind = 0 | 1 | 2 | 3 | 4;

/** One header condition, compiled: lower-cased name, regex built once (RE2, linear time). */
export class CompiledHeader {
  readonly name: string;
  readonly kind: HeaderKind;
  readonly value: string;
  readonly regex: LinearRegex | null;

  constructor(spec: HeaderMatchSpec) {
    this.name = spec.name.toLowerCase();
    this.regex = null;
    this.value = '';
    switch (spec.kind) {
      case 'present':
        this.kind = HEADER_PRESENT;
        break;
      case 'absent':
        this.kind = HEADER_ABSENT;
        break;
      case 'exact':
        this.kind = HEADER_EXACT;
        this.value = spec.value;
        break;
      case 'prefix':
        this.kind = HEADER_PREFIX;
        this.value = spec.value;
        break;
      default:
        this.kind = HEADER_REGEX;
        this.value = spec.value;
        this.regex = LinearRegex.compile(spec.value);
    }
  }

  /**
   * Node lower-cases header names and joins most repeated headers into one string (`, `), so
   * value conditions apply to the joined value, as in Envoy. Headers Node keeps as arrays
   * (`set-cookie`) match when any element matches.
   */
  matches(headers: IncomingHttpHeaders): boolean {
    const v: unknown = headers[this.name];
    // typeof guards keep inherited names (`constructor`) from counting as present.
    if (typeof v === 'string') {
      return this.kind === HEADER_ABSENT ? false : this.matchesValue(v);
    }
    if (Array.isArray(v)) {
      if (this.kind === HEADER_ABSENT) return false;
      const values = v as readonly unknown[];
      for (let i = 0; i < values.length; i++) {
        const item = values[i];
        if (typeof item === 'string' && this.matchesValue(item)) return true;
      }
      return false;
    }
    return this.kind === HEADER_ABSENT;
  }

  private matchesValue(v: string): boolean {
    switch (this.kind) {
      case HEADER_EXACT:
        return v === this.value;
      case HEADER_PREFIX:
        return v.startsWith(this.value);
      case HEADER_REGEX:
        return (this.regex as LinearRegex).test(v);
      default:
        return true;
    }
  }
}
