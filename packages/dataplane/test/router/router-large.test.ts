import type { IncomingHttpHeaders } from 'node:http';
import type { MatchSpec, PathMatchSpec } from '@weir/runtime';
import { Router, RouterBuilder, type RouterEntry } from '@weir/dataplane';
import { mulberry32 } from '../traffic/mulberry32';

/**
 * The documented precedence, written as plainly as possible: pick the bucket, then scan every
 * route in config order. The compiled router must agree with it on every request.
 */
function reference(entries: readonly RouterEntry<number>[], host: string, path: string, method: string, headers: IncomingHttpHeaders): number | null {
  const h = host.toLowerCase().split(':')[0] as string;
  const exactHit = entries.some((e) => e.match.hosts.includes(h));
  let wildcard: string | null = null;
  if (!exactHit) {
    for (const e of entries) {
      for (const p of e.match.hosts) {
        if (p.startsWith('*.') && h.endsWith(p.slice(1)) && h.length > p.length - 1) {
          if (wildcard === null || p.length > wildcard.length) wildcard = p;
        }
      }
    }
  }
  const bucket = exactHit ? h : wildcard;
  for (const e of entries) {
    const m = e.match;
    if (m.hosts.length !== 0 && (bucket === null || !m.hosts.includes(bucket))) continue;
    if (!pathMatches(m.path, path)) continue;
    if (m.methods.length !== 0 && !m.methods.includes(method)) continue;
    const hv = headers['x-tier'];
    if (m.headers.length !== 0 && hv !== 'gold') continue;
    return e.value;
  }
  return null;
}

function pathMatches(p: PathMatchSpec, path: string): boolean {
  switch (p.kind) {
    case 'any':
      return true;
    case 'exact':
      return path === p.value;
    case 'prefix':
      if (p.value.endsWith('/')) return path.startsWith(p.value);
      return path === p.value || path.startsWith(`${p.value}/`);
    case 'regex':
      return new RegExp(`^(?:${p.value})$`).test(path);
  }
}

const ROUTES = 20_000;
const HOSTS = 400;

function build(rand: () => number): RouterEntry<number>[] {
  const entries: RouterEntry<number>[] = [];
  for (let i = 0; i < ROUTES; i++) {
    const r = rand();
    const hostKind = rand();
    const hosts =
      hostKind < 0.05 ? [] : hostKind < 0.2 ? [`*.z${i % 40}.test`] : [`h${(rand() * HOSTS) | 0}.test`];
    const seg = `s${(rand() * 300) | 0}`;
    let path: PathMatchSpec;
    if (r < 0.4) path = { kind: 'exact', value: `/${seg}/r${i}` };
    else if (r < 0.5) path = { kind: 'prefix', value: `/api/v1/${seg}${rand() < 0.5 ? '/' : ''}` };
    else if (r < 0.7) path = { kind: 'prefix', value: `/${seg}` };
    else if (r < 0.9) path = { kind: 'prefix', value: `/${seg}/r${i % 97}/` };
    else if (r < 0.995) path = { kind: 'regex', value: `/${seg}/[0-9]+` };
    // A catch-all without hosts would answer every request; keep misses possible.
    else path = hosts.length === 0 ? { kind: 'exact', value: '/' } : { kind: 'any' };
    const match: MatchSpec = {
      hosts,
      path,
      methods: rand() < 0.2 ? ['POST'] : [],
      headers: rand() < 0.1 ? [{ name: 'x-tier', kind: 'exact', value: 'gold' }] : [],
    };
    entries.push({ match, value: i });
  }
  return entries;
}

/** A random request over the hosts and paths `build` uses. */
function randomRequest(rand: () => number): { host: string; path: string; method: string; headers: IncomingHttpHeaders } {
  const hostPick = rand();
  const host =
    hostPick < 0.6 ? `h${(rand() * (HOSTS + 20)) | 0}.test` : hostPick < 0.9 ? `a.b.z${(rand() * 45) | 0}.test:8080` : 'none.example';
  const seg = `s${(rand() * 310) | 0}`;
  const tail = rand();
  const path =
    tail < 0.3
      ? `/${seg}/r${(rand() * ROUTES) | 0}`
      : tail < 0.45
        ? `/${seg}/${(rand() * 1000) | 0}`
        : tail < 0.6
          ? `/${seg}`
          : tail < 0.8
            ? `/${seg}/r${(rand() * 97) | 0}/x`
            : `/api/v1/${seg}${['', '/', '/x', 'x'][(rand() * 4) | 0] as string}`;
  const method = rand() < 0.3 ? 'POST' : 'GET';
  const headers: IncomingHttpHeaders = rand() < 0.3 ? { 'x-tier': 'gold' } : {};
  return { host, path, method, headers };
}

describe('Router with 20,000 routes', () => {
  const rand = mulberry32(42);
  const entries = build(rand);
  const router = Router.compile(entries);

  it('agrees with a linear reference scan on random requests', () => {
    let matched = 0;
    const requests = 3000;
    for (let n = 0; n < requests; n++) {
      const { host, path, method, headers } = randomRequest(rand);
      const got = router.match(host, path, method, headers);
      expect(got).toBe(reference(entries, host, path, method, headers));
      if (got !== null) matched++;
    }
    // The generator must exercise hits as well as misses.
    expect(matched).toBeGreaterThan(requests / 4);
    expect(matched).toBeLessThan(requests);
  });

  it('builds the same table with RouterBuilder fed in slices (issue 15)', async () => {
    expect.assertions(3);
    const builder = new RouterBuilder<number>();
    let slices = 0;
    for (let i = 0; i < entries.length; i += 500) {
      for (let j = i; j < Math.min(i + 500, entries.length); j++) builder.add(entries[j] as RouterEntry<number>);
      slices++;
      await Promise.resolve();
    }
    expect(builder.size).toBe(ROUTES);
    const built = builder.seal();
    expect(slices).toBe(ROUTES / 500);
    // Same answers as Router.compile's table on random requests (a deep toEqual of two
    // 20,000-route tables runs jest out of memory).
    const requests = Array.from({ length: 3000 }, () => randomRequest(rand));
    expect(requests.filter((q) => built.match(q.host, q.path, q.method, q.headers) !== router.match(q.host, q.path, q.method, q.headers))).toEqual([]);
  });

  it('RouterBuilder refuses entries after seal', () => {
    const builder = new RouterBuilder<number>();
    builder.add(entries[0] as RouterEntry<number>);
    builder.seal();
    expect(() => builder.add(entries[1] as RouterEntry<number>)).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
    expect(() => builder.seal()).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });

  it('finds the last exact route of a large bucket', () => {
    const big: RouterEntry<number>[] = [];
    for (let i = 0; i < ROUTES; i++) big.push({ match: { hosts: ['big.test'], path: { kind: 'exact', value: `/p/${i}` }, methods: [], headers: [] }, value: i });
    const r = Router.compile(big);
    expect(r.match('big.test', `/p/${ROUTES - 1}`, 'GET', {})).toBe(ROUTES - 1);
    expect(r.match('big.test', '/p/x', 'GET', {})).toBeNull();
    expect(r.size).toBe(ROUTES);
  });
});
