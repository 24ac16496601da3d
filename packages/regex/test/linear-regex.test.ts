import { isWeirError } from '@weir/errors';
import { DEFAULT_MAX_PROGRAM_SIZE, LinearRegex, checkRegex } from '../src/index';

/** Patterns whose meaning is the same in RE2 and in JavaScript, with inputs on both sides. */
const corpus: readonly [string, readonly string[]][] = [
  ['/items/[0-9]+', ['/items/1', '/items/123', '/items/', '/items/12a', '/items/1/x', 'x/items/1']],
  ['/legacy/[a-z]+\\.php', ['/legacy/index.php', '/legacy/index.phpx', '/legacy/.php', '/legacy/INDEX.php']],
  ['a|ab', ['a', 'ab', 'abc', '', 'b']],
  ['/api/v[0-9]+/(users|orders)/[^/]+', ['/api/v2/users/7', '/api/v2/items/7', '/api/v10/orders/x/y']],
  ['(?:/static|/assets)/.*', ['/static/', '/assets/app.js', '/static', '/img/a.png']],
  ['[a-f0-9]{8}', ['deadbeef', 'deadbee', 'deadbeef0', 'DEADBEEF']],
  ['.*\\.(js|css)', ['/a.js', '/b/c.css', '/d.json', '.js']],
  ['(health)', ['health', 'healthz', '']],
  ['Bearer [A-Za-z0-9._-]+', ['Bearer abc.def-1', 'bearer abc', 'Bearer ']],
];

describe('LinearRegex', () => {
  it.each(corpus)('matches %s as the anchored JavaScript regex does', (source, inputs) => {
    const linear = LinearRegex.compile(source);
    const reference = new RegExp(`^(?:${source})$`);
    for (const input of inputs) expect([input, linear.test(input)]).toEqual([input, reference.test(input)]);
  });

  it('takes a literal prefix shortcut that never changes the answer', () => {
    const r = LinearRegex.compile('/items/[0-9]+');
    expect(r.prefix).toBe('/items/');
    expect(r.test('/other/1')).toBe(false);
    expect(r.test('/items/9')).toBe(true);
    const literal = LinearRegex.compile('(abc)');
    expect(literal.test('abc')).toBe(true);
    expect(literal.test('abcd')).toBe(false);
    expect(LinearRegex.compile('(?i)abc').test('ABC')).toBe(true);
  });

  it('answers the catastrophic patterns of a backtracking engine, in linear time', () => {
    // A backtracking engine needs about 2^40 steps for each of these; the test would time out.
    const as = 'a'.repeat(40);
    const cases: readonly [string, string, boolean][] = [
      ['/(a+)+', `/${as}b`, false],
      ['/(a+)+', `/${as}`, true],
      ['/(a|aa)+', `/${as}b`, false],
      ['/(a*)*', `/${as}b`, false],
      ['/((a|b)+)*c', `/${as}`, false],
      ['/((a|b)+)*c', `/${as}c`, true],
      ['/(a|a?)+', `/${as}b`, false],
      ['(\\w+\\s?)+', `${as}!`, false],
      ['(.*a){10}', `${as}b`, false],
    ];
    for (const [source, input, want] of cases) {
      expect([source, LinearRegex.compile(source).test(input)]).toEqual([source, want]);
    }
  });

  it('matches a long adversarial input against many instructions', () => {
    const r = LinearRegex.compile('(.*a){10}', DEFAULT_MAX_PROGRAM_SIZE);
    expect(r.test('a'.repeat(16_000) + 'b')).toBe(false);
    expect(r.test('ba'.repeat(8_000))).toBe(true);
  });
});

describe('LinearRegex.compile rejections', () => {
  const rejected = (source: string, limit = DEFAULT_MAX_PROGRAM_SIZE): string => {
    expect.hasAssertions();
    try {
      LinearRegex.compile(source, limit);
    } catch (err) {
      expect(isWeirError(err) && err.code).toBe('WEIR_ERR_CONFIG_INVALID');
      return (err as Error).message;
    }
    throw new Error(`${source} compiled`);
  };

  it.each([
    ['(a)\\1', /backreferences \(\\1\)/],
    ['(?<n>a)\\k<n>', /backreferences \(\\k/],
    ['a(?=b)', /lookaround \(\(\?=\)/],
    ['a(?!b)', /lookaround \(\(\?!\)/],
    ['(?<=a)b', /lookaround \(\(\?<=\)/],
    ['(?<!a)b', /lookaround \(\(\?<!\)/],
    ['\\u0041', /\\x\{41\}/],
    ['\\cA', /\\x\{01\}/],
    ['[^]', /\(\?s:\.\)/],
    ['a++', /possessive/],
    ['a{1001}', /invalid repeat count/],
    ['(a', /missing closing \)/],
    ['a)|(b', /unexpected \)/],
  ])('rejects %s with a message that says why', (source, message) => {
    expect(rejected(source)).toMatch(message);
  });

  it('rejects a program above the limit and names the limit', () => {
    expect(rejected('[a-z0-9]{1,64}')).toMatch(/129 RE2 instructions, more than the limit of 100 \(server\.regexMaxProgramSize\)/);
    expect(LinearRegex.compile('[a-z0-9]{1,64}', 129).programSize).toBe(129);
    expect(rejected('(.*a){20}')).toMatch(/more than the limit of 100/);
  });

  it('compiles without a limit when none is given (workers trust validated specs)', () => {
    expect(LinearRegex.compile('x{2,1000}').programSize).toBeGreaterThan(1000);
  });
});

describe('checkRegex', () => {
  it('returns null for a valid pattern and the message otherwise, never throwing', () => {
    expect(checkRegex('/items/[0-9]+', 100)).toBeNull();
    expect(checkRegex('(a)\\1', 100)).toMatch(/backreferences/);
    expect(checkRegex('[a-z]{1,64}', 100)).toMatch(/more than the limit/);
  });
});

describe('LinearRegex.exec', () => {
  it('returns the whole match and every group, empty for groups that took no part', () => {
    const r = LinearRegex.compile('/users/([0-9]+)(/x)?/(.*)');
    expect(r.exec('/users/42/profile')).toEqual(['/users/42/profile', '42', '', 'profile']);
    expect(r.exec('/users/42/x/a')).toEqual(['/users/42/x/a', '42', '/x', 'a']);
  });

  it('returns null unless the whole input matches', () => {
    const r = LinearRegex.compile('/a/(b+)');
    expect(r.exec('/a/bbb/c')).toBeNull();
    expect(r.exec('/z/a/bbb')).toBeNull();
  });
});
