import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderMatchSpec, MatchSpec, PathMatchSpec } from '@weir/runtime';
import { Router, type RouterEntry } from '@weir/dataplane';

function match(m: Partial<MatchSpec>): MatchSpec {
  return { hosts: [], path: { kind: 'any' }, methods: [], headers: [], ...m };
}

function route(name: string, m: Partial<MatchSpec>): RouterEntry<string> {
  return { match: match(m), value: name };
}

const exact = (value: string): PathMatchSpec => ({ kind: 'exact', value });
const prefix = (value: string): PathMatchSpec => ({ kind: 'prefix', value });
const regex = (value: string): PathMatchSpec => ({ kind: 'regex', value });
const NO_HEADERS: IncomingHttpHeaders = {};

describe('Router host buckets', () => {
  const router = Router.compile([
    route('default-early', { path: exact('/early') }),
    route('wild-short', { hosts: ['*.com'] }),
    route('wild', { hosts: ['*.example.com'] }),
    route('wild-long', { hosts: ['*.api.example.com'] }),
    route('exact', { hosts: ['www.example.com'], path: prefix('/') }),
    route('exact-narrow', { hosts: ['shop.example.com'], path: exact('/cart') }),
    route('default', {}),
  ]);

  it('prefers an exact host over a wildcard over routes without hosts', () => {
    expect(router.match('www.example.com', '/x', 'GET', NO_HEADERS)).toBe('exact');
    expect(router.match('foo.example.com', '/x', 'GET', NO_HEADERS)).toBe('wild');
    expect(router.match('other.org', '/x', 'GET', NO_HEADERS)).toBe('default');
  });

  it('picks the longest matching wildcard and needs at least one label before it', () => {
    expect(router.match('v1.api.example.com', '/x', 'GET', NO_HEADERS)).toBe('wild-long');
    expect(router.match('a.b.c.example.com', '/x', 'GET', NO_HEADERS)).toBe('wild');
    expect(router.match('api.example.com', '/x', 'GET', NO_HEADERS)).toBe('wild');
    expect(router.match('example.com', '/x', 'GET', NO_HEADERS)).toBe('wild-short');
    expect(router.match('com', '/x', 'GET', NO_HEADERS)).toBe('default');
    expect(router.match('.com', '/x', 'GET', NO_HEADERS)).toBe('default');
  });

  it('keeps routes without hosts in every bucket at their config position', () => {
    expect(router.match('www.example.com', '/early', 'GET', NO_HEADERS)).toBe('default-early');
    expect(router.match('foo.example.com', '/early', 'GET', NO_HEADERS)).toBe('default-early');
    expect(router.match('shop.example.com', '/other', 'GET', NO_HEADERS)).toBe('default');
    expect(router.match('shop.example.com', '/cart', 'GET', NO_HEADERS)).toBe('exact-narrow');
  });

  it('does not fall back to a wildcard when the exact bucket has no match', () => {
    const r = Router.compile([
      route('exact', { hosts: ['a.example.com'], path: exact('/only') }),
      route('wild', { hosts: ['*.example.com'] }),
    ]);
    expect(r.match('a.example.com', '/only', 'GET', NO_HEADERS)).toBe('exact');
    expect(r.match('a.example.com', '/other', 'GET', NO_HEADERS)).toBeNull();
    expect(r.match('b.example.com', '/other', 'GET', NO_HEADERS)).toBe('wild');
    expect(r.match(undefined, '/other', 'GET', NO_HEADERS)).toBeNull();
  });

  it('searches only routes without hosts when the Host header is missing or empty', () => {
    expect(router.match(undefined, '/x', 'GET', NO_HEADERS)).toBe('default');
    expect(router.match('', '/early', 'GET', NO_HEADERS)).toBe('default-early');
  });

  it('tries routes in config order within a bucket', () => {
    const r = Router.compile([
      route('first', { hosts: ['h.test'], path: prefix('/a') }),
      route('second', { hosts: ['h.test'], path: exact('/a/b') }),
      route('third', { hosts: ['h.test'], path: regex('/a/.*') }),
      route('fourth', { hosts: ['h.test'], path: exact('/z') }),
      route('fifth', { hosts: ['h.test'] }),
    ]);
    expect(r.match('h.test', '/a/b', 'GET', NO_HEADERS)).toBe('first');
    expect(r.match('h.test', '/z', 'GET', NO_HEADERS)).toBe('fourth');
    expect(r.match('h.test', '/y', 'GET', NO_HEADERS)).toBe('fifth');
    expect(r.size).toBe(5);
  });

  it('puts a route in every bucket it names, once per bucket', () => {
    const r = Router.compile([
      route('multi', { hosts: ['a.test', 'A.TEST', '*.b.test'], methods: ['POST'] }),
      route('fallback', { hosts: ['a.test', 'x.b.test'] }),
    ]);
    expect(r.match('a.test', '/', 'POST', NO_HEADERS)).toBe('multi');
    expect(r.match('a.test', '/', 'GET', NO_HEADERS)).toBe('fallback');
    expect(r.match('y.b.test', '/', 'POST', NO_HEADERS)).toBe('multi');
    expect(r.match('x.b.test', '/', 'POST', NO_HEADERS)).toBe('fallback');
  });
});

describe('Router host normalisation', () => {
  const router = Router.compile([
    route('name', { hosts: ['example.com'] }),
    route('fqdn-pattern', { hosts: ['fqdn.test.'] }),
    route('v6', { hosts: ['[::1]'] }),
    route('v6-bare', { hosts: ['fe80::abcd'] }),
    route('v4', { hosts: ['127.0.0.1'] }),
    route('wild', { hosts: ['*.wild.test'] }),
  ]);

  it.each([
    ['example.com', 'name'],
    ['EXAMPLE.com', 'name'],
    ['example.com:8080', 'name'],
    ['Example.Com:443', 'name'],
    ['example.com.', 'name'],
    ['example.com.:80', 'name'],
    ['fqdn.test', 'fqdn-pattern'],
    ['[::1]', 'v6'],
    ['[::1]:8080', 'v6'],
    ['[FE80::ABCD]:1', 'v6-bare'],
    ['[fe80::abcd]', 'v6-bare'],
    ['127.0.0.1:9000', 'v4'],
    ['A.WILD.TEST:1', 'wild'],
    ['a.wild.test.', 'wild'],
  ])('host %s -> %s', (host, expected) => {
    expect(router.match(host, '/', 'GET', NO_HEADERS)).toBe(expected);
  });

  it('does not match a malformed host', () => {
    expect(router.match('[::1', '/', 'GET', NO_HEADERS)).toBeNull();
    expect(router.match(':8080', '/', 'GET', NO_HEADERS)).toBeNull();
    expect(router.match('example.comx', '/', 'GET', NO_HEADERS)).toBeNull();
  });
});

describe('Router paths', () => {
  const router = Router.compile([
    route('exact', { path: exact('/exact') }),
    route('seg', { path: prefix('/api') }),
    route('dir', { path: prefix('/static/') }),
    route('deep', { path: prefix('/v1/users') }),
    route('regex', { path: regex('/items/[0-9]+|/things') }),
    route('odd-prefix', { path: prefix('*') }),
  ]);
  const at = (path: string): string | null => router.match('h', path, 'GET', NO_HEADERS);

  it('matches an exact path only', () => {
    expect(at('/exact')).toBe('exact');
    expect(at('/exact/')).toBeNull();
    expect(at('/exac')).toBeNull();
  });

  it('matches a prefix without trailing slash at a segment boundary', () => {
    expect(at('/api')).toBe('seg');
    expect(at('/api/')).toBe('seg');
    expect(at('/api/x/y')).toBe('seg');
    expect(at('/apix')).toBeNull();
    expect(at('/ap')).toBeNull();
  });

  it('matches a prefix with trailing slash only below it', () => {
    expect(at('/static/app.js')).toBe('dir');
    expect(at('/static/')).toBe('dir');
    expect(at('/static')).toBeNull();
    expect(at('/staticx/a')).toBeNull();
  });

  it('matches a multi-segment prefix at its boundary', () => {
    expect(at('/v1/users')).toBe('deep');
    expect(at('/v1/users/7')).toBe('deep');
    expect(at('/v1/users7')).toBeNull();
    expect(at('/v1')).toBeNull();
  });

  it('anchors regexes to the whole path, alternation included', () => {
    expect(at('/items/42')).toBe('regex');
    expect(at('/things')).toBe('regex');
    expect(at('/items/42/x')).toBeNull();
    expect(at('/x/items/42')).toBeNull();
    expect(at('/things/x')).toBeNull();
    expect(at('/items/')).toBeNull();
  });

  it('tests non-slash targets only against routes that can match them', () => {
    expect(at('*')).toBe('odd-prefix');
    expect(at('')).toBeNull();
  });

  it('treats prefix "/" as every path', () => {
    const r = Router.compile([route('api', { path: prefix('/api') }), route('all', { path: prefix('/') })]);
    expect(r.match('h', '/api/x', 'GET', NO_HEADERS)).toBe('api');
    expect(r.match('h', '/', 'GET', NO_HEADERS)).toBe('all');
    expect(r.match('h', '*', 'OPTIONS', NO_HEADERS)).toBe('all');
  });

  it('indexes prefixes by segment, however many share a first segment', () => {
    const entries: RouterEntry<string>[] = [];
    for (let i = 0; i < 500; i++) entries.push(route(`svc${i}`, { path: prefix(`/api/v1/svc${i}`) }));
    entries.push(route('v1-dir', { path: prefix('/api/v1/') }));
    entries.push(route('api', { path: prefix('/api') }));
    entries.push(route('double-slash', { path: prefix('//') }));
    const r = Router.compile(entries);
    const at = (path: string): string | null => r.match('h', path, 'GET', NO_HEADERS);
    expect(at('/api/v1/svc499/items/1')).toBe('svc499');
    expect(at('/api/v1/svc4')).toBe('svc4');
    expect(at('/api/v1/svc4x')).toBe('v1-dir');
    expect(at('/api/v1/')).toBe('v1-dir');
    expect(at('/api/v1')).toBe('api');
    expect(at('/api')).toBe('api');
    expect(at('//x')).toBe('double-slash');
    expect(at('/')).toBeNull();
    expect(at('/other')).toBeNull();
  });

  it('lets an earlier shallow prefix win over a later deeper one', () => {
    const r = Router.compile([
      route('shallow', { path: prefix('/a'), methods: ['GET'] }),
      route('deep', { path: prefix('/a/b/c') }),
      route('exact', { path: exact('/a/b/c') }),
    ]);
    expect(r.match('h', '/a/b/c', 'GET', NO_HEADERS)).toBe('shallow');
    expect(r.match('h', '/a/b/c', 'POST', NO_HEADERS)).toBe('deep');
    expect(r.match('h', '/a/b', 'POST', NO_HEADERS)).toBeNull();
  });

  it('orders an earlier regex before a later exact or prefix route', () => {
    const r = Router.compile([
      route('re', { path: regex('/a/.+') }),
      route('ex', { path: exact('/a/b') }),
      route('pre', { path: prefix('/a') }),
    ]);
    expect(r.match('h', '/a/b', 'GET', NO_HEADERS)).toBe('re');
    expect(r.match('h', '/a', 'GET', NO_HEADERS)).toBe('pre');
  });

  it('picks the first of several matching regex routes in config order, methods included', () => {
    const r = Router.compile([
      route('get-only', { path: regex('/r/[0-9]+'), methods: ['GET'] }),
      route('prefix', { path: prefix('/r/7') }),
      route('any-digits', { path: regex('/r/[0-9]+') }),
      route('anything', { path: regex('/r/.*') }),
      route('host-re', { hosts: ['h.test'], path: regex('/r/(a+)+') }),
    ]);
    expect(r.match('x', '/r/1', 'GET', NO_HEADERS)).toBe('get-only');
    expect(r.match('x', '/r/1', 'POST', NO_HEADERS)).toBe('any-digits');
    expect(r.match('x', '/r/7', 'POST', NO_HEADERS)).toBe('prefix');
    expect(r.match('x', '/r/x', 'POST', NO_HEADERS)).toBe('anything');
    expect(r.match('x', '/s/1', 'GET', NO_HEADERS)).toBeNull();
    // The host bucket's regex loses to an earlier default route, and answers a hostile path at once.
    expect(r.match('h.test', `/r/${'a'.repeat(40)}`, 'GET', NO_HEADERS)).toBe('anything');
    expect(r.match('h.test', `/r/${'a'.repeat(40)}!`, 'GET', NO_HEADERS)).toBe('anything');
    expect(r.match('h.test', `/q/${'a'.repeat(40)}!`, 'GET', NO_HEADERS)).toBeNull();
  });
});

describe('Router methods and headers', () => {
  const h = (name: string, kind: 'present' | 'absent'): HeaderMatchSpec => ({ name, kind });
  const hv = (name: string, kind: 'exact' | 'prefix' | 'regex', value: string): HeaderMatchSpec => ({
    name,
    kind,
    value,
  });

  it('matches listed methods only', () => {
    const r = Router.compile([
      route('write', { methods: ['POST', 'put'] }),
      route('read', { methods: ['GET', 'HEAD'] }),
    ]);
    expect(r.match('h', '/', 'POST', NO_HEADERS)).toBe('write');
    expect(r.match('h', '/', 'PUT', NO_HEADERS)).toBe('write');
    expect(r.match('h', '/', 'HEAD', NO_HEADERS)).toBe('read');
    expect(r.match('h', '/', 'DELETE', NO_HEADERS)).toBeNull();
  });

  it.each<[string, HeaderMatchSpec, IncomingHttpHeaders, boolean]>([
    ['present', h('x-a', 'present'), { 'x-a': '' }, true],
    ['present missing', h('x-a', 'present'), {}, false],
    ['present array', h('set-cookie', 'present'), { 'set-cookie': ['a=1'] }, true],
    ['absent', h('x-a', 'absent'), {}, true],
    ['absent but set', h('x-a', 'absent'), { 'x-a': 'v' }, false],
    ['absent but array', h('set-cookie', 'absent'), { 'set-cookie': [] }, false],
    ['inherited name is absent', h('constructor', 'absent'), {}, true],
    ['inherited name is not present', h('constructor', 'present'), {}, false],
    ['name case-insensitive', hv('X-Env', 'exact', 'canary'), { 'x-env': 'canary' }, true],
    ['exact', hv('x-env', 'exact', 'canary'), { 'x-env': 'canary' }, true],
    ['exact is case-sensitive', hv('x-env', 'exact', 'canary'), { 'x-env': 'Canary' }, false],
    ['exact on joined value', hv('x-env', 'exact', 'a'), { 'x-env': 'a, b' }, false],
    ['prefix', hv('x-env', 'prefix', 'can'), { 'x-env': 'canary' }, true],
    ['prefix miss', hv('x-env', 'prefix', 'can'), { 'x-env': 'scan' }, false],
    ['regex anchored', hv('x-v', 'regex', '[0-9]+'), { 'x-v': '123' }, true],
    ['regex anchored miss', hv('x-v', 'regex', '[0-9]+'), { 'x-v': 'v123' }, false],
    ['regex alternation anchored', hv('x-v', 'regex', 'a|b'), { 'x-v': 'ab' }, false],
    ['array any element', hv('set-cookie', 'prefix', 'b='), { 'set-cookie': ['a=1', 'b=2'] }, true],
    ['array no element', hv('set-cookie', 'exact', 'c=3'), { 'set-cookie': ['a=1', 'b=2'] }, false],
    ['value missing', hv('x-env', 'exact', 'canary'), {}, false],
  ])('%s', (_name, condition, headers, expected) => {
    const r = Router.compile([route('hit', { headers: [condition] })]);
    expect(r.match('h', '/', 'GET', headers)).toBe(expected ? 'hit' : null);
  });

  it('requires every header condition and the method', () => {
    const r = Router.compile([
      route('both', {
        methods: ['GET'],
        headers: [hv('x-a', 'exact', '1'), h('x-b', 'absent')],
      }),
      route('rest', {}),
    ]);
    expect(r.match('h', '/', 'GET', { 'x-a': '1' })).toBe('both');
    expect(r.match('h', '/', 'GET', { 'x-a': '1', 'x-b': '' })).toBe('rest');
    expect(r.match('h', '/', 'GET', { 'x-a': '2' })).toBe('rest');
    expect(r.match('h', '/', 'POST', { 'x-a': '1' })).toBe('rest');
  });
});
