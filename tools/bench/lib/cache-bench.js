'use strict';

const http = require('node:http');
const { adminRequest } = require('./admin-request');

/**
 * The `cached` scenario (issue 10): `GET /cached`, which the upstream answers with `/small`'s 13
 * bytes and `Cache-Control: public, max-age=3600`, measured on direct, nginx (plain proxy, the
 * uncached baseline), nginx-cache (nginx with proxy_cache, lib/nginx-config.js), weir (no cache
 * on its route) and weir-cache (its catch-all route has `cache: {}`, lib/targets.js). This file
 * holds the probe that checks the two caching targets really answer from their caches, and the
 * read-out of weir-cache's cache counters from its admin API's /metrics.
 */

/** The two caching targets; they run the cached scenario only. */
const CACHE_TARGETS = ['nginx-cache', 'weir-cache'];
/** The targets with a row in the cached scenario (the others are left out of it). */
const CACHED_SCENARIO_TARGETS = ['direct', 'nginx', 'nginx-cache', 'weir', 'weir-cache'];

/** The header and value a cache hit carries, per caching target. */
const HIT = Object.freeze({
  'weir-cache': { header: 'cache-status', value: 'weir; hit' },
  'nginx-cache': { header: 'x-cache-status', value: 'HIT' },
});

/**
 * Two GETs of `path` over one keep-alive connection (so both reach the same Weir worker: each
 * worker has its own cache). The first may be a miss or a hit; the second must be a hit:
 * `Cache-Status: weir; hit` from weir-cache, `X-Cache-Status: HIT` from nginx-cache. Rejects
 * with what came back otherwise.
 * @param {'weir-cache'|'nginx-cache'} target
 * @param {number} port
 * @param {string} path
 * @param {(status: number, body: Buffer) => string|null} check  the scenario's answer check
 * @param {Record<string, string>} headers  the run's request headers
 */
async function probeCacheHit(target, port, path, check, headers) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await get(agent, port, path, headers);
    const second = await get(agent, port, path, headers);
    for (const [n, r] of [['first', first], ['second', second]]) {
      const wrong = check(r.status, r.body);
      if (wrong !== null) throw new Error(`${n} of two requests on one connection: ${wrong}`);
    }
    if (!second.reused) throw new Error('the second request did not reuse the first one\'s connection (no keep-alive?)');
    const { header, value } = HIT[target];
    const got = second.headers[header];
    if (got !== value) {
      throw new Error(`the second of two requests on one connection is not a cache hit: ${header}: ${got === undefined ? '(absent)' : JSON.stringify(got)}, expected ${JSON.stringify(value)} (first: ${JSON.stringify(first.headers[header] ?? null)})`);
    }
  } finally {
    agent.destroy();
  }
}

/**
 * @returns {Promise<{ status: number, body: Buffer, headers: http.IncomingHttpHeaders, reused: boolean }>}
 */
function get(agent, port, path, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers, reused: req.reusedSocket }));
      res.on('error', reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error(`no answer from 127.0.0.1:${port}${path} within 5000 ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * The cache figures of a daemon from its admin API's /metrics (summed over workers):
 * `weir_cache_requests_total` by result, and `weir_cache_stored_bytes`, for one route (or all
 * routes when `route` is null).
 * @param {number} adminPort
 * @param {string} token  a token with the `read` scope
 * @param {string|null} route
 * @returns {Promise<{ results: Record<string, number>, storedBytes: number, text: string }>}
 */
async function cacheCounters(adminPort, token, route) {
  const res = await adminRequest(false, adminPort, 'GET', '/metrics', token);
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${res.text.slice(0, 200)}`);
  /** @type {Record<string, number>} */
  const results = {};
  let storedBytes = 0;
  const routeOk = (labels) => route === null || new RegExp(`(^|,)route="${route}"`).test(labels);
  for (const line of res.text.split('\n')) {
    const r = /^weir_cache_requests_total\{([^}]*)\}\s+(\S+)/.exec(line);
    if (r !== null && routeOk(r[1])) {
      const result = /result="(\w+)"/.exec(r[1]);
      if (result !== null) results[result[1]] = (results[result[1]] ?? 0) + Number(r[2]);
    }
    const b = /^weir_cache_stored_bytes\{([^}]*)\}\s+(\S+)/.exec(line);
    if (b !== null && routeOk(b[1])) storedBytes += Number(b[2]);
  }
  return { results, storedBytes, text: res.text };
}

/** "hit 1234, miss 2, collapsed 0" from a results record (every result, in the metric's order). */
function describeResults(results) {
  const order = ['hit', 'miss', 'stale', 'bypass', 'collapsed', 'revalidated', 'stale_if_error', 'stored'];
  const names = [...order.filter((n) => n in results), ...Object.keys(results).filter((n) => !order.includes(n))];
  return names.length === 0 ? '(no series)' : names.map((n) => `${n} ${results[n]}`).join(', ');
}

module.exports = { CACHE_TARGETS, CACHED_SCENARIO_TARGETS, probeCacheHit, cacheCounters, describeResults };
