'use strict';
/**
 * LinearRegex.test and LinearRegexSet.matches against the backtracking RegExp they replaced
 * (`^(?:pattern)$`), on route-like inputs. Run: `npm run bench -w @weir/regex` after `tsc -b`.
 *
 * - single patterns: a literal-prefix pattern on a hit, on a miss the prefix rejects, and on a
 *   miss the engine must run; a pattern with no literal prefix.
 * - 100 patterns (half with a literal prefix, half starting with a group, as tools/bench
 *   --regex-routes builds them) against a path none matches: one RE2 set pass, against 100
 *   RegExp tests.
 * - the adversarial request of issue 14: `(a+)+` against 40 `a`s and a `b` (RegExp is not run:
 *   it would not return).
 */
const { LinearRegex, LinearRegexSet } = require('../dist/index.js');

const items = LinearRegex.compile('/items/[0-9]+');
const itemsJs = /^(?:\/items\/[0-9]+)$/;
const ext = LinearRegex.compile('.*\\.(js|css)');
const extJs = /^(?:.*\.(js|css))$/;
const sources = [];
for (let i = 0; i < 100; i++) sources.push(i % 2 === 0 ? `/svc${i}/items/[0-9]+` : `/(v${i}|w${i})/[a-z]+/[0-9]+`);
const set = new LinearRegexSet(sources.map((s) => LinearRegex.compile(s)));
const jsList = sources.map((s) => new RegExp(`^(?:${s})$`));
const hostile = LinearRegex.compile('/(a+)+');
const hostilePath = `/${'a'.repeat(40)}b`;

function anyJs(path) {
  for (let i = 0; i < jsList.length; i++) if (jsList[i].test(path)) return i;
  return -1;
}
function check(got, want, name) {
  if (got !== want) throw new Error(`${name}: got ${String(got)}, want ${String(want)}`);
}
check(items.test('/items/123'), true, 'items hit');
check(ext.test('/static/app.js'), true, 'ext hit');
check(set.matches('/small').length, 0, 'set miss');
check(set.matches('/v7/abc/1')[0], 7, 'set hit');
check(anyJs('/small'), -1, 'js miss');
check(hostile.test(hostilePath), false, 'hostile');

module.exports = {
  cases: [
    { name: 'prefix pattern, hit: re2', fn: () => items.test('/items/12345') },
    { name: 'prefix pattern, hit: RegExp', fn: () => itemsJs.test('/items/12345') },
    { name: 'prefix pattern, prefix miss: re2', fn: () => items.test('/orders/12345') },
    { name: 'prefix pattern, prefix miss: RegExp', fn: () => itemsJs.test('/orders/12345') },
    { name: 'prefix pattern, engine miss: re2', fn: () => items.test('/items/12a45') },
    { name: 'prefix pattern, engine miss: RegExp', fn: () => itemsJs.test('/items/12a45') },
    { name: 'no prefix, hit: re2', fn: () => ext.test('/static/app.js') },
    { name: 'no prefix, hit: RegExp', fn: () => extJs.test('/static/app.js') },
    { name: '100 patterns, miss: re2 set', fn: () => set.matches('/small') },
    { name: '100 patterns, miss: 100 RegExp', fn: () => anyJs('/small') },
    { name: '100 patterns, hit of #77: re2 set', fn: () => set.matches('/v77/abc/1') },
    { name: '100 patterns, hit of #77: RegExp until #77', fn: () => anyJs('/v77/abc/1') },
    { name: '(a+)+ against 40 a + b: re2', fn: () => hostile.test(hostilePath) },
  ],
};
