import { checkRegex } from '@weir/regex';
import { jsonPointer } from '../json-pointer';
import type { RewritePluginConfig, WeirConfig } from '../../types/index';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

const FORMS = ['stripPrefix', 'replacePrefix', 'regex'] as const;

/**
 * A `rewrite` plugin has exactly one of `stripPrefix`, `replacePrefix`, `regex` (a plain
 * sentence instead of an opaque `oneOf` error). A `regex` compiles with the data plane's engine
 * within `server.regexMaxProgramSize`, exactly like route regexes (route-regexes.ts), and its
 * `replacement`:
 *
 * - uses `$` only as `$1`..`$9` (a capture, which must exist in the pattern) or `$$` (a `$`);
 *   `$0`, `$name` or a lone `$` are refused rather than copied as text, since they are what
 *   other engines mean by something else;
 * - starts with `/` or with a capture (the result is the path sent upstream).
 */
export function checkRewritePlugins(config: WeirConfig, report: Report): void {
  const limit = config.server?.regexMaxProgramSize ?? configDefaults.regexMaxProgramSize;
  for (const [i, route] of config.routes.entries()) {
    for (const [j, plugin] of (route.plugins ?? []).entries()) {
      if (plugin.type !== 'rewrite') continue;
      const at = ['routes', i, 'plugins', j] as const;
      const present = FORMS.filter((form) => plugin[form] !== undefined);
      if (present.length !== 1) {
        const found = present.length === 0 ? 'none' : present.map((f) => `"${f}"`).join(' and ');
        report(jsonPointer(...at), `set exactly one of "stripPrefix", "replacePrefix" or "regex" (found ${found})`);
        continue;
      }
      if (plugin.regex !== undefined) checkRegexForm(plugin.regex, limit, at, report);
    }
  }
}

function checkRegexForm(regex: NonNullable<RewritePluginConfig['regex']>, limit: number, at: readonly (string | number)[], report: Report): void {
  const problem = checkRegex(regex.pattern, limit);
  if (problem !== null) {
    report(jsonPointer(...at, 'regex', 'pattern'), `invalid regular expression: ${problem}`);
    return;
  }
  const groups = captureGroupCount(regex.pattern);
  const replacement = regex.replacement;
  const where = jsonPointer(...at, 'regex', 'replacement');
  if (!replacement.startsWith('/') && !/^\$[1-9]/.test(replacement)) {
    report(where, 'must start with "/" or with a capture such as "$1": it becomes the path sent upstream');
  }
  for (let k = 0; k < replacement.length; k++) {
    if (replacement.charAt(k) !== '$') continue;
    const next = replacement.charAt(k + 1);
    if (next === '$') {
      k++;
    } else if (next >= '1' && next <= '9') {
      if (Number(next) > groups) {
        const has = groups === 0 ? 'no capture groups' : `only ${groups} capture group${groups === 1 ? '' : 's'}`;
        report(where, `"$${next}" refers to a capture the pattern does not have (it has ${has})`);
      }
      k++;
    } else {
      report(where, `"$" at position ${k} must be followed by a digit 1-9 (a capture) or by "$" (a literal "$")`);
    }
  }
}

/**
 * The number of capture groups in an RE2 pattern that already compiled: every `(` that is not
 * escaped, not inside a character class or `\Q...\E`, and not a `(?` group other than the named
 * captures `(?P<name>` and `(?<name>`. Lexical, which is exact for a pattern RE2 accepted.
 */
export function captureGroupCount(pattern: string): number {
  let count = 0;
  let inClass = false;
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern.charAt(k);
    if (c === '\\') {
      if (pattern.charAt(k + 1) === 'Q') {
        const end = pattern.indexOf('\\E', k + 2);
        k = end === -1 ? pattern.length : end + 1;
      } else {
        k++;
      }
    } else if (inClass) {
      if (c === '[' && pattern.charAt(k + 1) === ':') {
        const end = pattern.indexOf(':]', k + 2);
        if (end !== -1) k = end + 1;
      } else if (c === ']') {
        inClass = false;
      }
    } else if (c === '[') {
      inClass = true;
      if (pattern.charAt(k + 1) === '^') k++;
      if (pattern.charAt(k + 1) === ']') k++;
    } else if (c === '(') {
      if (pattern.charAt(k + 1) !== '?') count++;
      else if (pattern.startsWith('?P<', k + 1) || (pattern.startsWith('?<', k + 1) && pattern.charAt(k + 3) !== '=' && pattern.charAt(k + 3) !== '!')) count++;
    }
  }
  return count;
}
