import { CONTINUE, type Plugin, type PluginOutcome, type PluginRequest } from '../plugin';
import type { CapturingRegex } from './capturing-regex';

/**
 * A `replacement` compiled once: literal text at even indexes, capture numbers at odd ones
 * (`"/v$1/x$$"` -> `["/v", 1, "/x$"]`), so a rewrite only concatenates.
 */
export type CompiledReplacement = readonly (string | number)[];

/** Compiles `replacement`: `$1`..`$9` are captures, `$$` is `$`, any other `$` is literal. */
export function compileReplacement(replacement: string): CompiledReplacement {
  const parts: (string | number)[] = [];
  let literal = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] as string;
    const next = replacement.charCodeAt(i + 1);
    if (c === '$' && next === 0x24) {
      literal += '$';
      i++;
    } else if (c === '$' && next >= 0x31 && next <= 0x39) {
      parts.push(literal, next - 0x30);
      literal = '';
      i++;
    } else {
      literal += c;
    }
  }
  parts.push(literal);
  return parts;
}

/**
 * `rewrite` with `regex`: the RE2 pattern runs on the whole path (without the query); on a
 * match the path becomes the replacement with its captures filled in (a capture the pattern
 * lacks, or one that took no part, is empty), the query is kept. No match: unchanged. A result
 * not starting with `/` gets one.
 */
export class RewriteRegexPlugin implements Plugin {
  readonly type = 'rewrite';
  private readonly regex: CapturingRegex;
  private readonly replacement: CompiledReplacement;

  constructor(regex: CapturingRegex, replacement: string) {
    this.regex = regex;
    this.replacement = compileReplacement(replacement);
  }

  onRequest(req: PluginRequest): PluginOutcome {
    const target = req.path;
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const groups = this.regex.exec(path);
    if (groups === null) return CONTINUE;
    const parts = this.replacement;
    let result = parts[0] as string;
    for (let i = 1; i < parts.length; i += 2) {
      result += (groups[parts[i] as number] ?? '') + (parts[i + 1] as string);
    }
    if (result.charCodeAt(0) !== 0x2f) result = `/${result}`;
    req.path = q === -1 ? result : result + target.slice(q);
    return CONTINUE;
  }
}
