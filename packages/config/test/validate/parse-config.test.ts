import { parseConfig } from '@weir/config';
import { validConfig } from '../fixtures/configs';

describe('parseConfig', () => {
  it('parses and validates JSON text', () => {
    const check = parseConfig(JSON.stringify(validConfig(), null, 2));
    expect(check.ok).toBe(true);
  });

  it('ignores a leading byte order mark', () => {
    expect(parseConfig('\ufeff' + JSON.stringify(validConfig())).ok).toBe(true);
  });

  it('returns WEIR_ERR_CONFIG_INVALID for valid JSON that is not a valid config', () => {
    const check = parseConfig('{"listeners": [], "routes": []}');
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.error.code).toBe('WEIR_ERR_CONFIG_INVALID');
      expect(check.error.details?.map((d) => d.pointer)).toEqual(['/listeners']);
    }
  });

  it.each([
    ['a trailing comma', '{\n  "listeners": [],\n}', 'line 3, column 1'],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 'line 3, column 3'],
    ['truncated text', '{\n  "listeners": [', 'line 2, column 17'],
    ['empty text', '', 'line 1, column 1'],
  ])('returns WEIR_ERR_CONFIG_PARSE with line and column for %s', (_name, text, where) => {
    const check = parseConfig(text);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error.code).toBe('WEIR_ERR_CONFIG_PARSE');
    expect(check.error.message).toContain(where);
    expect(check.error.cause).toBeInstanceOf(SyntaxError);
  });

  it('returns WEIR_ERR_CONFIG_PARSE without a position when the parser gives none', () => {
    const check = parseConfig('{"a": }');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error.code).toBe('WEIR_ERR_CONFIG_PARSE');
    expect(check.error.message).toMatch(/^config is not valid JSON: /);
  });
});
