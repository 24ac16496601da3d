import { LinearRegex, LinearRegexSet } from '../src/index';

const sources = ['/items/[0-9]+', '/items/.*', '.*\\.php', '/a|/ab', '(?i)/admin/.*', '/(a+)+', '/static/[^/]+\\.(js|css)'];
const inputs = [
  '/items/1', '/items/x', '/index.php', '/items/1.php', '/a', '/ab', '/ADMIN/x', '/admin/', `/${'a'.repeat(40)}`,
  `/${'a'.repeat(40)}b`, '/static/app.js', '/static/a/b.js', '', '/',
];

describe('LinearRegexSet', () => {
  it('reports exactly the patterns that match one by one, in ascending order', () => {
    const patterns = sources.map((s) => LinearRegex.compile(s));
    const set = new LinearRegexSet(patterns);
    expect(set.size).toBe(sources.length);
    for (const input of inputs) {
      const want = patterns.flatMap((p, i) => (p.test(input) ? [i] : []));
      expect([input, [...set.matches(input)]]).toEqual([input, want]);
    }
  });

  it('handles one pattern and no pattern', () => {
    const one = new LinearRegexSet([LinearRegex.compile('/x/[0-9]+')]);
    expect(one.matches('/x/1')).toEqual([0]);
    expect(one.matches('/y/1')).toEqual([]);
    expect(new LinearRegexSet([]).matches('/x')).toEqual([]);
  });

  it('scales to a thousand patterns with the same answers', () => {
    const patterns = Array.from({ length: 1000 }, (_, i) => LinearRegex.compile(`/svc${i}/items/[0-9]+`));
    const set = new LinearRegexSet(patterns);
    expect(set.matches('/svc777/items/42')).toEqual([777]);
    expect(set.matches('/svc777/items/x')).toEqual([]);
  });

  it('falls back to one-by-one matching when the patterns do not fit in one automaton', () => {
    // 1,500 patterns of about 1,000 instructions each: above RE2's 1.4 million instruction cap.
    const patterns = Array.from({ length: 1500 }, (_, i) => LinearRegex.compile(`/k${i}/x{1000}`));
    const set = new LinearRegexSet(patterns);
    expect(set.matches(`/k1499/${'x'.repeat(1000)}`)).toEqual([1499]);
    expect(set.matches('/k1499/x')).toEqual([]);
  });
});
