import { RE2JS } from 're2js';
import { WeirError } from '@weir/errors';
import { explainRejection } from './explain-rejection';

/**
 * A config pattern compiled for whole-string matching in linear time (RE2 semantics, through
 * re2js: a lazy DFA that falls back to a Pike VM, never backtracking).
 *
 * `test(input)` is true when the whole input matches, as if the pattern were written
 * `^(?:pattern)$`. Two shortcuts run before the engine, both exact:
 *
 * ```
 *   literal pattern ("/health", "(abc)")        -> input === literal
 *   literal prefix  ("/items/[0-9]+" -> "/items/") -> !input.startsWith(prefix) => false
 * ```
 *
 * so a route table of many regexes with distinct prefixes pays a `startsWith` per miss, and the
 * DFA runs only where the prefix agrees (measured in packages/regex/bench).
 */
export class LinearRegex {
  /** The pattern as written in the config. */
  readonly source: string;
  /** RE2 program size: the cost measure that `server.regexMaxProgramSize` caps. */
  readonly programSize: number;
  /** Literal text every match starts with ('' when none). */
  readonly prefix: string;
  private readonly literal: boolean;
  private readonly engine: RE2JS;

  private constructor(source: string, engine: RE2JS) {
    this.source = source;
    this.engine = engine;
    this.programSize = engine.programSize();
    const re2 = engine.re2();
    this.prefix = typeof re2.prefix === 'string' ? re2.prefix : '';
    this.literal = re2.prefixComplete === true;
  }

  /**
   * Compiles `source`. Throws WEIR_ERR_CONFIG_INVALID (with a message for an operator) when RE2
   * cannot parse it or when its program exceeds `maxProgramSize`. Validation calls this with the
   * config's cap; workers compile trusted specs with no cap.
   */
  static compile(source: string, maxProgramSize = Number.POSITIVE_INFINITY): LinearRegex {
    let engine: RE2JS;
    try {
      engine = RE2JS.compile(source);
    } catch (err) {
      const detail = (err as Error).message.replace(/^error parsing regexp: /, '');
      throw new WeirError('WEIR_ERR_CONFIG_INVALID', explainRejection(source, detail), { cause: err });
    }
    const regex = new LinearRegex(source, engine);
    if (regex.programSize > maxProgramSize) {
      throw new WeirError(
        'WEIR_ERR_CONFIG_INVALID',
        `pattern compiles to ${regex.programSize} RE2 instructions, more than the limit of ${maxProgramSize} ` +
          '(server.regexMaxProgramSize): simplify it (large counted repeats such as {1,64} cost one instruction per repeat) or raise the limit',
      );
    }
    return regex;
  }

  /** True when the whole of `input` matches. Linear in `input.length x programSize`. */
  test(input: string): boolean {
    if (this.literal) return input === this.prefix;
    if (this.prefix.length !== 0 && !input.startsWith(this.prefix)) return false;
    return this.engine.testExact(input);
  }

  /**
   * Whole-string match with captures (a `rewrite` plugin's `$1`..`$9`): `[input, group 1..n]`,
   * '' for a group that took no part, or null when the input does not match. Linear like `test`
   * (re2js's submatch engine, never backtracking); only rewrites call it, once per request.
   */
  exec(input: string): string[] | null {
    if (this.prefix.length !== 0 && !input.startsWith(this.prefix)) return null;
    const m = this.engine.matcher(input);
    if (!m.matches()) return null;
    const n = m.groupCount();
    const out = new Array<string>(n + 1);
    for (let i = 0; i <= n; i++) out[i] = m.group(i) ?? '';
    return out;
  }
}
