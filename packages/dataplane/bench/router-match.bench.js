'use strict';
/**
 * Router.match: a small table (10 routes) and two 20,000-route tables, for an exact-path hit, a
 * prefix hit and a miss. Run: `npm run bench -w @weir/dataplane` after `tsc -b`.
 *
 * - "20k by host": 1,000 exact hosts x 20 routes (10 exact paths, 10 prefixes) in config order,
 *   then 10 routes without hosts (the last a regex): the shape of a multi-tenant gateway.
 * - "20k one bucket": 20,000 routes without hosts (10,000 exact paths, 10,000 prefixes that
 *   all share `/api/v1/`), matched through the bucket's path index (exact Map + segment trie)
 *   instead of a scan.
 */
const { Router } = require('../dist/index.js');

function m(path, hosts = [], methods = []) {
  return { hosts, path, methods, headers: [] };
}
const exact = (value) => ({ kind: 'exact', value });
const prefix = (value) => ({ kind: 'prefix', value });
const regex = (value) => ({ kind: 'regex', value });

function small() {
  const e = [];
  e.push({ match: m(exact('/healthz')), value: 'health' });
  e.push({ match: m(prefix('/api/v1/users'), ['api.example.com']), value: 'users' });
  e.push({ match: m(prefix('/api/v1/orders'), ['api.example.com'], ['GET', 'POST']), value: 'orders' });
  e.push({ match: m(exact('/api/v1/status'), ['api.example.com']), value: 'status' });
  e.push({ match: m(prefix('/static/'), ['*.example.com']), value: 'static' });
  e.push({ match: m(regex('/items/[0-9]+'), ['shop.example.com']), value: 'items' });
  e.push({ match: m(prefix('/cart'), ['shop.example.com']), value: 'cart' });
  e.push({ match: m(exact('/login')), value: 'login' });
  e.push({ match: m(prefix('/admin/'), ['admin.example.com']), value: 'admin' });
  e.push({ match: m(prefix('/docs')), value: 'docs' });
  return Router.compile(e);
}

function byHost() {
  const e = [];
  for (let h = 0; h < 1000; h++) {
    const host = `h${h}.example.com`;
    for (let j = 0; j < 10; j++) e.push({ match: m(exact(`/svc${j}/items`), [host]), value: e.length });
    for (let j = 0; j < 10; j++) e.push({ match: m(prefix(`/svc${j}/api`), [host]), value: e.length });
  }
  for (let j = 0; j < 9; j++) e.push({ match: m(prefix(`/common${j}`)), value: e.length });
  e.push({ match: m(regex('/legacy/[a-z]+\\.php')), value: e.length });
  return Router.compile(e);
}

function oneBucket() {
  const e = [];
  for (let i = 0; i < 10000; i++) e.push({ match: m(exact(`/e${i}/item`)), value: e.length });
  for (let i = 0; i < 10000; i++) e.push({ match: m(prefix(`/api/v1/p${i}`)), value: e.length });
  return Router.compile(e);
}

const headers = { host: 'api.example.com', 'user-agent': 'bench/1.0', accept: '*/*' };
const r10 = small();
const r20kHost = byHost();
const r20kFlat = oneBucket();

function expect(got, want, name) {
  if (got !== want) throw new Error(`${name}: got ${String(got)}, want ${String(want)}`);
}
expect(r10.match('api.example.com', '/api/v1/status', 'GET', headers), 'status', '10 exact');
expect(r10.match('API.example.com:8080', '/api/v1/users/42', 'GET', headers), 'users', '10 prefix');
expect(r10.match('api.example.com', '/nothing/here', 'GET', headers), null, '10 miss');
expect(r20kHost.match('h500.example.com', '/svc7/items', 'GET', headers), 500 * 20 + 7, '20k host exact');
expect(r20kHost.match('h500.example.com', '/svc7/api/users/1', 'GET', headers), 500 * 20 + 17, '20k host prefix');
expect(r20kHost.match('h500.example.com', '/nothing/here', 'GET', headers), null, '20k host miss');
expect(r20kFlat.match('x', '/e7777/item', 'GET', headers), 7777, '20k flat exact');
expect(r20kFlat.match('x', '/api/v1/p7777/users', 'GET', headers), 17777, '20k flat prefix');
expect(r20kFlat.match('x', '/nothing/here', 'GET', headers), null, '20k flat miss');

module.exports = {
  cases: [
    { name: '10 routes: exact', fn: () => r10.match('api.example.com', '/api/v1/status', 'GET', headers) },
    { name: '10 routes: prefix (Host with port, upper case)', fn: () => r10.match('API.example.com:8080', '/api/v1/users/42', 'GET', headers) },
    { name: '10 routes: miss', fn: () => r10.match('api.example.com', '/nothing/here', 'GET', headers) },
    { name: '20k by host: exact', fn: () => r20kHost.match('h500.example.com', '/svc7/items', 'GET', headers) },
    { name: '20k by host: prefix', fn: () => r20kHost.match('h500.example.com', '/svc7/api/users/1', 'GET', headers) },
    { name: '20k by host: miss (regex default tested)', fn: () => r20kHost.match('h500.example.com', '/nothing/here', 'GET', headers) },
    { name: '20k one bucket: exact', fn: () => r20kFlat.match('x', '/e7777/item', 'GET', headers) },
    { name: '20k one bucket: prefix', fn: () => r20kFlat.match('x', '/api/v1/p7777/users', 'GET', headers) },
    { name: '20k one bucket: miss', fn: () => r20kFlat.match('x', '/nothing/here', 'GET', headers) },
  ],
};
