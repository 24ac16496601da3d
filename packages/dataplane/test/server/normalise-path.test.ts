import { normalisePath, normaliseTarget } from '../../src/server/normalise-path';

const MERGE = true;
const REJECT = true;

describe('normalisePath', () => {
  it.each([
    '/',
    '/a',
    '/a/b/c',
    '/a/b/',
    '/api/v1/users/42',
    '/.well-known/acme-challenge/x',
    '/a/.hidden',
    '/a/..b',
    '/a/b..',
    '/a/...',
    '/a-b_c~d.e',
    "/a:b@c!$&'()*+,;=",
    '/caf\u00e9',
  ])('returns %s itself, unchanged', (path) => {
    // Same characters built at run time: identity, not a literal interned by the engine.
    const input = [...path].join('');
    expect(normalisePath(input, MERGE, REJECT)).toBe(input);
  });

  it.each([
    // Unreserved escapes are decoded (RFC 3986 section 2.3).
    ['/%61dmin', '/admin'],
    ['/%41%5A%30%39', '/AZ09'],
    ['/a%2Db%2e%5Fc%7e', '/a-b._c~'],
    // Other escapes keep their form, hex upper-cased (section 6.2.2.1).
    ['/a%3ab', '/a%3Ab'],
    ['/a%3Ab', '/a%3Ab'],
    ['/%e2%82%ac', '/%E2%82%AC'],
    ['/a%20b', '/a%20b'],
    ['/a%25b', '/a%25b'],
    ['/a%3fb', '/a%3Fb'],
    ['/a%23x%2a', '/a%23x%2A'],
    // Dot segments (section 5.2.4).
    ['/./admin', '/admin'],
    ['/a/./b', '/a/b'],
    ['/a/b/../c', '/a/c'],
    ['/admin/../secret', '/secret'],
    ['/a/b/c/../../d', '/a/d'],
    ['/a/..', '/'],
    ['/a/b/..', '/a/'],
    ['/a/.', '/a/'],
    ['/.', '/'],
    ['/a/./', '/a/'],
    ['/a/../', '/'],
    // Decoding comes first: encoded dots are dots.
    ['/a/%2e%2E/b', '/b'],
    ['/a/%2e/b', '/a/b'],
    ['/a/.%2e/b', '/b'],
    ['/x/%2e%2e/b', '/b'],
    // Slashes merged.
    ['//admin', '/admin'],
    ['//a///b', '/a/b'],
    ['/a//', '/a/'],
    ['//', '/'],
    ['/a//../b', '/b'],
    // Always starts with /.
    ['a/b', '/a/b'],
    ['', '/'],
  ])('%s -> %s', (path, expected) => {
    expect(normalisePath(path, MERGE, REJECT)).toBe(expected);
  });

  it.each([
    ['/..', 'above the root'],
    ['/../a', 'above the root'],
    ['/a/../..', 'above the root'],
    ['/a/../../b', 'above the root'],
    ['/%2e%2e/etc/passwd', 'encoded .. above the root'],
    ['/a/%2E%2E/%2e%2e/x', 'encoded .. above the root'],
    ['/a%', 'a truncated escape'],
    ['/a%4', 'a truncated escape'],
    ['/a%zz', 'an escape without hex digits'],
    ['/a%4g', 'an escape with one hex digit'],
    ['/a%%41', 'a % before an escape'],
    ['/a%00b', 'an encoded NUL'],
    ['/a%2fb', 'an encoded /'],
    ['/a%2Fb', 'an encoded /'],
    ['/admin%2f..', 'an encoded / before ..'],
    ['/a%5cb', 'an encoded \\'],
    ['/a%5Cb', 'an encoded \\'],
    ['/public\\..\\admin', 'a raw \\ (WHATWG parsers read it as /)'],
    ['/a b', 'a raw space'],
    ['/a\tb', 'a raw tab'],
    ['/a\u0000b', 'a raw NUL'],
    ['/a\rb', 'a raw CR'],
    ['/a\nb', 'a raw LF'],
    ['/a\u007fb', 'a raw DEL'],
    ['/a#b', 'a raw #'],
  ])('rejects %s (%s)', (path) => {
    expect(normalisePath(path, MERGE, REJECT)).toBeNull();
  });

  it('keeps encoded slashes, upper-cased, when they are not rejected', () => {
    expect(normalisePath('/a%2fb', MERGE, false)).toBe('/a%2Fb');
    expect(normalisePath('/a%5cb', MERGE, false)).toBe('/a%5Cb');
    expect(normalisePath('/a%2Fb', MERGE, false)).toBe('/a%2Fb');
    // An encoded / is no separator: `admin%2F..` is one segment, not a dot segment.
    expect(normalisePath('/admin%2f..', MERGE, false)).toBe('/admin%2F..');
    expect(normalisePath('/x/admin%2F../y', MERGE, false)).toBe('/x/admin%2F../y');
    expect(normalisePath('/a\\b', MERGE, false)).toBe('/a\\b');
  });

  it('keeps // when slashes are not merged, and applies dot segments to empty segments', () => {
    const input = ['/a', '/', '/b'].join('');
    expect(normalisePath(input, false, REJECT)).toBe(input);
    expect(normalisePath('//admin', false, REJECT)).toBe('//admin');
    expect(normalisePath('/a//../b', false, REJECT)).toBe('/a/b');
    expect(normalisePath('//./a', false, REJECT)).toBe('//a');
    expect(normalisePath('//..', false, REJECT)).toBe('/');
    expect(normalisePath('/%2e%2e//', false, REJECT)).toBeNull();
  });

  it('does not take overlong UTF-8 for dots or slashes', () => {
    // %C0%AE is an overlong `.`, %C0%AF an overlong `/` (CVE-2000-0884): opaque bytes here.
    expect(normalisePath('/%c0%ae%c0%ae/secret', MERGE, REJECT)).toBe('/%C0%AE%C0%AE/secret');
    expect(normalisePath('/a/%c0%af../b', MERGE, REJECT)).toBe('/a/%C0%AF../b');
    expect(normalisePath('/%e0%80%ae', MERGE, REJECT)).toBe('/%E0%80%AE');
  });

  it('does not double-decode', () => {
    // %252e is an encoded `%2e`, not a dot.
    expect(normalisePath('/a/%252e%252e/b', MERGE, REJECT)).toBe('/a/%252e%252e/b');
    expect(normalisePath('/%2561dmin', MERGE, REJECT)).toBe('/%2561dmin');
  });

  it('is idempotent', () => {
    const inputs = ['/%61/./b//c/../%7e%3a', '/a/%2e%2E/b/', '//x/./y/..', '/%c0%ae', 'a//b/.'];
    for (const input of inputs) {
      const once = normalisePath(input, MERGE, REJECT) as string;
      expect(normalisePath(once, MERGE, REJECT)).toBe(once);
    }
  });

  it('handles a long path of dot segments without recursion', () => {
    const long = '/a' + '/.'.repeat(20_000) + '/b' + '/x/..'.repeat(20_000);
    expect(normalisePath(long, MERGE, REJECT)).toBe('/a/b/');
    expect(normalisePath('/a' + '/..'.repeat(20_000), MERGE, REJECT)).toBeNull();
  });

  it('returns an equal-looking normalisation as the input instance', () => {
    // Took the slow path (a `%` and `/.` present) but changed nothing.
    const input = ['/a%3A', '/.x'].join('');
    expect(normalisePath(input, MERGE, REJECT)).toBe(input);
  });
});

describe('normaliseTarget', () => {
  it.each(['/a?b', '/a/b?x=1&y=2', '/', '/?', '/a?/../x', '/a?%zz', '/a?q=//./..'])('returns %s itself', (target) => {
    const input = [...target].join('');
    expect(normaliseTarget(input, MERGE, REJECT)).toBe(input);
  });

  it.each([
    ['/%61dmin?x=%61', '/admin?x=%61'],
    ['/a/../b?c/../d', '/b?c/../d'],
    ['//a?', '/a?'],
    ['/a/.?q', '/a/?q'],
    ['/a/b/..', '/a/'],
  ])('%s -> %s (the query untouched)', (target, expected) => {
    expect(normaliseTarget(target, MERGE, REJECT)).toBe(expected);
  });

  it.each(['/..?x', '/a%2f?x', '/a%?x', '/a b?x', '/a#b'])('rejects %s', (target) => {
    expect(normaliseTarget(target, MERGE, REJECT)).toBeNull();
  });
});
