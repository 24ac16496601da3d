import { isWeirError } from '@weir/errors';
import { buildPlugin, CONTINUE } from '../../src/index';
import { compileCapturingRegex, compileReplacement, RewritePrefixPlugin, RewriteRegexPlugin, type CapturingRegex } from '../../src/builtins/index';
import { TestRequest, testDeps } from '../support/test-request';

function rewritten(plugin: { onRequest(req: TestRequest): unknown }, path: string): string {
  const req = new TestRequest({ path });
  expect(plugin.onRequest(req)).toBe(CONTINUE);
  return req.path;
}

/**
 * A stand-in for LinearRegex.exec (whole-string match, '' for groups that took no part), on a
 * JavaScript RegExp: fine for these fixed test patterns.
 */
function fakeCapturing(pattern: string): CapturingRegex {
  const re = new RegExp(`^(?:${pattern})$`);
  return { exec: (input) => { const m = re.exec(input); return m === null ? null : Array.from(m, (g) => g ?? ''); } };
}

describe('rewrite stripPrefix', () => {
  const strip = new RewritePrefixPlugin('/api', '');
  it.each([
    ['/api/x', '/x'],
    ['/api/x/y?q=1', '/x/y?q=1'],
    ['/api', '/'],
    ['/api?q=1', '/?q=1'],
    ['/api/', '/'],
    ['/apix', '/apix'],
    ['/other/api/x', '/other/api/x'],
  ])('%s -> %s', (from, to) => {
    expect(rewritten(strip, from)).toBe(to);
  });

  it('with a trailing slash strips only below the prefix', () => {
    const below = new RewritePrefixPlugin('/api/', '');
    expect(rewritten(below, '/api/x')).toBe('/x');
    expect(rewritten(below, '/api')).toBe('/api');
    expect(rewritten(below, '/api/')).toBe('/');
  });
});

describe('rewrite replacePrefix', () => {
  it.each([
    ['/api', '/v2', '/api/x?q', '/v2/x?q'],
    ['/api', '/v2', '/api', '/v2'],
    ['/api', '/v2', '/apix', '/apix'],
    ['/api', '/', '/api/x', '/x'],
    ['/api', '/', '/api', '/'],
    ['/api/', '/v2/', '/api/x', '/v2/x'],
    ['/api/', '/v2', '/api/x', '/v2/x'],
    ['/', '/v2', '/x', '/v2/x'],
    ['/', '/v2', '/', '/v2/'],
  ])('%s -> %s: %s -> %s', (from, to, path, want) => {
    expect(rewritten(new RewritePrefixPlugin(from, to), path)).toBe(want);
  });
});

describe('rewrite regex', () => {
  it('compiles replacements: $1..$9, $$, other $ literal', () => {
    expect(compileReplacement('/v$1/x$$')).toEqual(['/v', 1, '/x$']);
    expect(compileReplacement('$2$1')).toEqual(['', 2, '', 1, '']);
    expect(compileReplacement('/a$x$0')).toEqual(['/a$x$0']);
    expect(compileReplacement('')).toEqual(['']);
  });

  it('rewrites the whole path on a match, keeps the query, leaves other paths alone', () => {
    const plugin = new RewriteRegexPlugin(fakeCapturing('/api/v([0-9]+)/(.*)'), '/$2?version=$1');
    expect(rewritten(plugin, '/api/v2/users/7')).toBe('/users/7?version=2');
    const keep = new RewriteRegexPlugin(fakeCapturing('/old/(.*)'), '/new/$1');
    expect(rewritten(keep, '/old/a/b?x=1&y=2')).toBe('/new/a/b?x=1&y=2');
    expect(rewritten(keep, '/older/a')).toBe('/older/a');
    expect(rewritten(keep, '/x/old/a')).toBe('/x/old/a');
  });

  it('fills missing or non-participating groups with nothing and keeps a leading slash', () => {
    const plugin = new RewriteRegexPlugin(fakeCapturing('/a(x)?/(b)'), '$1$3$2');
    expect(rewritten(plugin, '/a/b')).toBe('/b');
    expect(rewritten(plugin, '/ax/b')).toBe('/xb');
    const empty = new RewriteRegexPlugin(fakeCapturing('/gone'), '');
    expect(rewritten(empty, '/gone?q')).toBe('/?q');
  });

  it('is built through the injected capturing-regex factory', () => {
    const plugin = buildPlugin({ type: 'rewrite', kind: 'regex', pattern: '/u/([0-9]+)', replacement: '/users/$1' }, testDeps(), fakeCapturing);
    expect(rewritten(plugin as RewriteRegexPlugin, '/u/42')).toBe('/users/42');
  });

  it('refuses (WEIR_ERR_CONFIG_INVALID) when @weir/regex offers no captures, and rejects bad patterns', () => {
    const probe = (pattern: string): string | undefined => {
      try {
        compileCapturingRegex(pattern);
        return undefined;
      } catch (err) {
        return isWeirError(err) ? err.code : 'other';
      }
    };
    // With LinearRegex.exec in @weir/regex the first compiles; without it, it is refused.
    expect([undefined, 'WEIR_ERR_CONFIG_INVALID']).toContain(probe('/u/([0-9]+)'));
    expect(probe('(a)\\1')).toBe('WEIR_ERR_CONFIG_INVALID');
  });
});
