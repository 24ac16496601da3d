/**
 * Turns an RE2 parse error into a message for an operator, naming the JavaScript regex features
 * RE2 leaves out on purpose (they need backtracking) and how to write the others in RE2 syntax.
 * `detail` is the parser's message, which ends with the offending fragment in backquotes.
 */
export function explainRejection(source: string, detail: string): string {
  const fragment = /`([^`]*)`$/.exec(detail)?.[1] ?? '';
  if (/^\\[1-9]/.test(fragment) || fragment.startsWith('\\k')) {
    return `backreferences (${fragment}) are not supported: they cannot be matched in linear time`;
  }
  if (/^\(\?<?[=!]/.test(fragment)) {
    return `lookaround (${fragment.slice(0, fragment.startsWith('(?<') ? 4 : 3)}) is not supported: it cannot be matched in linear time`;
  }
  if (fragment.startsWith('\\u')) {
    return 'invalid escape \\u: RE2 syntax writes a code point as \\x{41} (JavaScript: \\u0041)';
  }
  if (fragment.startsWith('\\c')) {
    return 'invalid escape \\c: RE2 syntax writes control characters as \\x{01}';
  }
  if (source.includes('[^]')) {
    return 'invalid class [^]: RE2 syntax writes "any character including newline" as (?s:.)';
  }
  if (/nested repetition/.test(detail)) {
    return `${detail}: possessive and doubled quantifiers are not supported (write a+, not a++)`;
  }
  return detail;
}
