import { WeirError } from '@weir/errors';
import { LinearRegex } from '@weir/regex';

/**
 * A compiled RE2 pattern that reports captures of a whole-string match:
 * `[input, group 1, ..., group n]` ('' for a group that took no part), or null without a match.
 */
export interface CapturingRegex {
  exec(input: string): string[] | null;
}

/** Compiles a pattern into a CapturingRegex; injectable so tests and future engines can swap it. */
export type CompileCapturingRegex = (pattern: string) => CapturingRegex;

/**
 * The default CapturingRegex: `@weir/regex`'s LinearRegex (RE2 semantics, linear time), which
 * must offer `exec(input): string[] | null` with the meaning above. Until @weir/regex has that
 * method this throws WEIR_ERR_CONFIG_INVALID for a `rewrite` with `regex`, at assemble time,
 * rather than fall back to a backtracking JavaScript RegExp.
 */
export const compileCapturingRegex: CompileCapturingRegex = (pattern) => {
  const regex = LinearRegex.compile(pattern) as LinearRegex & Partial<CapturingRegex>;
  if (typeof regex.exec !== 'function') {
    throw new WeirError('WEIR_ERR_CONFIG_INVALID', 'rewrite.regex needs captures from @weir/regex (LinearRegex.exec), which this build lacks');
  }
  return regex as CapturingRegex;
};
