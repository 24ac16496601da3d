import { DOCUMENT_LIMITS, documentLimitProblems, parseConfig, validateConfig } from '../../src/index';
import { validConfig } from '../fixtures/configs';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('document limits', () => {
  it('passes a real config', () => {
    expect(documentLimitProblems(validConfig())).toEqual([]);
  });

  it('stops at the depth limit with the pointer, without overflowing at any depth', () => {
    const problems = documentLimitProblems({ 'x-deep': nested(1_000_000) });
    expect(problems).toEqual([{ pointer: `/x-deep${'/a'.repeat(DOCUMENT_LIMITS.maxDepth - 1)}`, message: 'nested deeper than the limit of 64 levels' }]);
    expect(documentLimitProblems({ ok: nested(DOCUMENT_LIMITS.maxDepth - 2) })).toEqual([]);
  });

  it('refuses oversized strings, arrays and objects', () => {
    const big = 'x'.repeat(DOCUMENT_LIMITS.maxStringLength + 1);
    const keys = Object.fromEntries(Array.from({ length: DOCUMENT_LIMITS.maxKeys + 1 }, (_, i) => [`k${i}`, i]));
    const problems = documentLimitProblems({ s: big, a: new Array(DOCUMENT_LIMITS.maxArrayLength + 1).fill(0), o: keys });
    expect(problems.map((p) => p.pointer)).toEqual(['/s', '/a', '/o']);
  });

  it('reports at most ten problems', () => {
    const many = Array.from({ length: 50 }, () => nested(DOCUMENT_LIMITS.maxDepth + 5));
    expect(documentLimitProblems(many)).toHaveLength(10);
  });

  it('is the first check of validateConfig and parseConfig: WEIR_ERR_CONFIG_INVALID with the pointer', () => {
    const config = { ...validConfig(), 'x-notes': nested(4000) };
    const check = validateConfig(config);
    expect(check.ok).toBe(false);
    if (!check.ok) expect([check.error.code, check.error.pointer]).toEqual(['WEIR_ERR_CONFIG_INVALID', `/x-notes${'/a'.repeat(63)}`]);
    const parsed = parseConfig(JSON.stringify(config));
    expect(parsed.ok).toBe(false);
  });
});
