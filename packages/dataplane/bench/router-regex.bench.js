'use strict';
/**
 * Router.match on a table of 100 path-regex routes ahead of a catch-all (tools/bench
 * --regex-routes 100): the request for `/small` is tested against every one of them. Run the
 * same file against an older build to compare engines:
 * `node --expose-gc tools/microbench/run.js packages/dataplane/bench router-regex`.
 */
const { Router } = require('../dist/index.js');

const e = [];
for (let i = 0; i < 100; i++) {
  const value = i % 2 === 0 ? `/svc${i}/items/[0-9]+` : `/(v${i}|w${i})/[a-z]+/[0-9]+`;
  e.push({ match: { hosts: [], path: { kind: 'regex', value }, methods: [], headers: [] }, value: i });
}
e.push({ match: { hosts: [], path: { kind: 'prefix', value: '/' }, methods: [], headers: [] }, value: 'all' });
const router = Router.compile(e);
const headers = { host: 'bench', accept: '*/*' };

function expect(got, want, name) {
  if (got !== want) throw new Error(`${name}: got ${String(got)}, want ${String(want)}`);
}
expect(router.match('bench', '/small', 'GET', headers), 'all', 'miss every regex');
expect(router.match('bench', '/svc42/items/7', 'GET', headers), 42, 'regex #42');
expect(router.match('bench', '/w77/abc/7', 'GET', headers), 77, 'regex #77');

module.exports = {
  cases: [
    { name: '100 regex routes: miss all, catch-all wins', fn: () => router.match('bench', '/small', 'GET', headers) },
    { name: '100 regex routes: #42 (literal prefix)', fn: () => router.match('bench', '/svc42/items/7', 'GET', headers) },
    { name: '100 regex routes: #77 (group first)', fn: () => router.match('bench', '/w77/abc/7', 'GET', headers) },
  ],
};
