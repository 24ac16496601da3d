import { WeirError } from '@weir/errors';
import { validateConfig } from './validate-config';
import type { ConfigCheck } from './config-check';

/**
 * Parses config text (JSON) and validates it. Text that is not JSON gives WEIR_ERR_CONFIG_PARSE
 * with the parser's reason and, when the parser reports an offset, its line and column (1-based).
 * A leading byte order mark is ignored (some editors write one).
 */
export function parseConfig(text: string): ConfigCheck {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    return { ok: false, error: parseError(source, err) };
  }
  return validateConfig(value);
}

function parseError(source: string, err: unknown): WeirError {
  const reason = err instanceof Error ? err.message : String(err);
  const offset = errorOffset(source, reason);
  // Node 22's parser already says "(line 1 column 8)"; do not say it twice.
  const where = offset === undefined || /\bline \d+/.test(reason) ? '' : ` (${lineAndColumn(source, offset)})`;
  return new WeirError('WEIR_ERR_CONFIG_PARSE', `config is not valid JSON: ${reason}${where}`, { cause: err });
}

/** The character offset V8 reports ("... in JSON at position 7"), or the end for truncated text. */
function errorOffset(source: string, reason: string): number | undefined {
  const match = /at position (\d+)/.exec(reason);
  if (match !== null) return Number(match[1]);
  if (/end of JSON input/.test(reason)) return source.length;
  return undefined;
}

function lineAndColumn(source: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}
