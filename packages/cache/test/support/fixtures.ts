import {
  buildEntry,
  type CacheEntry,
  type CacheRequestView,
  type CacheSettings,
  type Clock,
  type HeaderRecord,
  RouteCache,
  storedHeaders,
  parseCacheControl,
} from '@weir/cache';

/** A clock the test moves by hand (epoch ms). */
export class FakeClock implements Clock {
  constructor(public t = Date.UTC(2026, 0, 1, 12, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

export function settings(over: Partial<CacheSettings> = {}): CacheSettings {
  return {
    maxBytes: 1 << 20,
    maxObjectBytes: 64 * 1024,
    keyHeaders: [],
    storeSetCookie: false,
    heuristicPercent: 10,
    maxHeuristicSeconds: 86400,
    collapseTimeoutMs: 1000,
    ...over,
  };
}

export function req(over: Partial<CacheRequestView> = {}): CacheRequestView {
  return { method: 'GET', scheme: 'http', host: 'example.com', target: '/a', headers: [], ...over };
}

/** An entry as if received at `at` (request sent at the same instant). */
export function entry(
  headers: HeaderRecord,
  opts: { status?: number; body?: string; at?: number; requestTime?: number; key?: string; varyNames?: string[]; varyValues?: (string | null)[] } = {},
): CacheEntry {
  const at = opts.at ?? T0;
  const body = Buffer.from(opts.body ?? 'hello world');
  const record: Record<string, string | string[]> = { date: httpDate(at) };
  for (const k in headers) {
    const v = headers[k];
    if (v !== undefined) record[k] = typeof v === 'string' ? v : v.slice();
  }
  const cc = parseCacheControl(typeof record['cache-control'] === 'string' ? record['cache-control'] : null);
  const ageRaw = record['age'];
  return buildEntry(
    opts.key ?? 'http://example.com/a',
    opts.status ?? 200,
    storedHeaders(record, cc, at, body.length),
    body,
    typeof ageRaw === 'string' ? Number(ageRaw) : 0,
    opts.requestTime ?? at,
    at,
    opts.varyNames ?? [],
    opts.varyValues ?? [],
    settings(),
  );
}

/** Stores a response through the facade and returns the entry. */
export function store(
  cache: RouteCache,
  view: CacheRequestView,
  headers: HeaderRecord,
  body = 'hello world',
  status = 200,
): CacheEntry {
  const now = cache.clock.now();
  const rec = cache.admit(view, status, headers, now, now);
  if (rec === null) throw new Error('not storable: ' + cache.verdict(view, status, headers));
  rec.write(Buffer.from(body));
  const e = rec.finish();
  if (e === null) throw new Error('not stored');
  return e;
}

/** Header value from a flat list. */
export function header(list: readonly string[], name: string): string | undefined {
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
  return undefined;
}
