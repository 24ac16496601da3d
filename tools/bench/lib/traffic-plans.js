'use strict';

const net = require('node:net');
const { adminRequest } = require('./admin-request');
const { probe } = require('./http-probe');

/**
 * `--traffic` (issue 19): three Weir variants whose catch-all route carries a traffic plan,
 * measured on the small-GET scenario beside `weir`, plus the black-hole server that
 * `weir-mirror-hole` mirrors to, the per-request `x-user` keys wrk sends, and the read-outs
 * (traffic counters from the admin API's /metrics, RSS from /proc) printed below the table.
 */

/** The variants, in table order. */
const TRAFFIC_TARGETS = ['weir-split', 'weir-split-plain', 'weir-mirror', 'weir-mirror-hole'];

/**
 * What wrk sends in a `--traffic` run (every target, every wrk cell): `x-user: user-1` ..
 * `user-USERS`, one per request in turn (requests built once per wrk thread, see
 * lib/wrk-runner.js), and every CANARY_EVERY-th of those keys also carries `x-canary: always`,
 * so weir-split takes both its override branch and its sticky branch. Probes and h2load send
 * the fixed `x-user: user-1`.
 */
const ROTATION = Object.freeze({ header: 'x-user', prefix: 'user-', count: 100, every: 10, everyName: 'x-canary', everyValue: 'always' });
const FIXED_HEADERS = Object.freeze({ 'x-user': 'user-1' });
const CANARY = Object.freeze({ 'x-canary': 'always' });

/** Timeout of the black-hole mirror's upstream: bounds how long a copy holds its slot. */
const HOLE_REQUEST_MS = 1000;

/**
 * Upstreams and route action of a traffic variant. Every upstream but the black hole points at
 * the bench's upstream: two names for one address cost the same as one, so the differences to
 * `weir` are the plan's own work (and, for weir-mirror, the extra upstream request).
 * @param {'weir-split'|'weir-split-plain'|'weir-mirror'|'weir-mirror-hole'} target
 * @param {string} upstreamAddress  `127.0.0.1:PORT` of the bench upstream
 * @param {string|null} holeAddress `127.0.0.1:PORT` of the black hole (weir-mirror-hole)
 * @returns {{ upstreams: object[], action: object }}
 */
function trafficRoute(target, upstreamAddress, holeAddress) {
  const u = { name: 'u', endpoints: [{ address: upstreamAddress }] };
  if (target === 'weir-split-plain') {
    // The same 90/10 split over the same two pools, without a plan: what the plan itself costs
    // is weir-split against this, and what splitting over two pools costs is this against weir.
    return {
      upstreams: [u, { name: 'u-canary', endpoints: [{ address: upstreamAddress }] }],
      action: { split: [{ upstream: 'u', weight: 90 }, { upstream: 'u-canary', weight: 10 }] },
    };
  }
  if (target === 'weir-split') {
    return {
      upstreams: [u, { name: 'u-canary', endpoints: [{ address: upstreamAddress }] }],
      action: {
        split: [{ upstream: 'u', weight: 90 }, { upstream: 'u-canary', weight: 10 }],
        traffic: {
          overrides: [{ header: { name: 'x-canary', value: 'always' }, upstream: 'u-canary' }],
          sticky: { kind: 'header', name: 'x-user' },
        },
      },
    };
  }
  if (target === 'weir-mirror') {
    return {
      upstreams: [u, { name: 'u-shadow', endpoints: [{ address: upstreamAddress }] }],
      action: { upstream: 'u', traffic: { mirror: { upstream: 'u-shadow', percent: 100 } } },
    };
  }
  if (holeAddress === null) throw new Error('weir-mirror-hole needs the black hole');
  return {
    upstreams: [u, { name: 'hole', endpoints: [{ address: holeAddress }], timeouts: { requestMs: HOLE_REQUEST_MS } }],
    // maxInFlight: the default (100 copies per worker).
    action: { upstream: 'u', traffic: { mirror: { upstream: 'hole', percent: 100 } } },
  };
}

/**
 * A TCP server on 127.0.0.1 that accepts connections, reads and discards what arrives, and never
 * answers: the mirror upstream of weir-mirror-hole. Runs inside the bench process (its event loop
 * only waits on wrk meanwhile); the server and its sockets are unref'd, so it never keeps the
 * bench alive, and close() ends it.
 * @returns {Promise<BlackHole>}
 */
async function startBlackHole() {
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const stats = { accepted: 0, open: 0, peakOpen: 0, bytes: 0, mirrorRequests: 0 };
  const server = net.createServer((socket) => {
    stats.accepted++;
    stats.open++;
    if (stats.open > stats.peakOpen) stats.peakOpen = stats.open;
    sockets.add(socket);
    socket.unref();
    socket.on('data', (chunk) => {
      stats.bytes += chunk.length;
      // A copy's head arrives in one chunk on loopback; counts copies that reached the hole.
      if (chunk.indexOf('x-weir-mirror') !== -1) stats.mirrorRequests++;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      stats.open--;
      sockets.delete(socket);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  server.unref();
  const port = /** @type {net.AddressInfo} */ (server.address()).port;
  return {
    port,
    stats,
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

/**
 * @typedef {object} BlackHole
 * @property {number} port
 * @property {{ accepted: number, open: number, peakOpen: number, bytes: number, mirrorRequests: number }} stats
 * @property {() => void} close
 */

/**
 * The traffic counters of a daemon, from its admin API's /metrics (aggregated over workers).
 * @param {number} adminPort
 * @param {string} token  a token with the `read` scope
 * @returns {Promise<{ mirror: Record<string, number>, overrides: number }>}
 */
async function trafficCounters(adminPort, token) {
  const res = await adminRequest(false, adminPort, 'GET', '/metrics', token);
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${res.text.slice(0, 200)}`);
  const mirror = { ok: 0, error: 0, dropped: 0, skipped: 0 };
  let overrides = 0;
  for (const line of res.text.split('\n')) {
    const m = /^weir_mirror_requests_total\{[^}]*outcome="(\w+)"[^}]*\}\s+(\S+)/.exec(line);
    if (m !== null && m[1] in mirror) mirror[m[1]] += Number(m[2]);
    const o = /^weir_traffic_overrides_total\{[^}]*\}\s+(\S+)/.exec(line);
    if (o !== null) overrides += Number(o[1]);
  }
  return { mirror, overrides };
}

/**
 * Polls `trafficCounters` until `ok` accepts them, up to `timeoutMs` (copies are fire and forget,
 * so their outcome comes after the client's answer). Resolves with the last counters and whether
 * `ok` held.
 */
async function waitCounters(adminPort, token, ok, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  let last = await trafficCounters(adminPort, token);
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await trafficCounters(adminPort, token);
  }
  return { counters: last, held: ok(last) };
}

/**
 * --traffic: the plan must really run on a traffic target, or it would measure plain forwarding.
 * weir-split: the override request (x-canary: always) must answer right too and count in
 * weir_traffic_overrides_total; weir-mirror: the probe's copy must come back `ok` from the
 * upstream; weir-mirror-hole: the copy must reach the black hole.
 * @param {string} t
 * @param {number} port
 * @param {import('./scenarios').Scenario} sc
 * @param {{ port: number, token: string }|undefined} admin
 * @param {Record<string, string>} headers
 * @param {BlackHole|null} blackHole  weir-mirror-hole's
 */
async function probeTraffic(t, port, sc, admin, headers, blackHole) {
  if (admin === undefined) throw new Error('no admin API to read the traffic counters from');
  if (t === 'weir-split-plain') return;
  if (t === 'weir-split') {
    const res = await probe(port, sc.method, sc.path, null, 5000, { ...headers, ...CANARY });
    const wrong = sc.check(res.status, res.body);
    if (wrong !== null) throw new Error(`with x-canary: always: ${wrong}`);
    const { counters, held } = await waitCounters(admin.port, admin.token, (c) => c.overrides >= 1);
    if (!held) throw new Error(`the x-canary override did not apply (weir_traffic_overrides_total ${counters.overrides})`);
  } else if (t === 'weir-mirror') {
    const { counters, held } = await waitCounters(admin.port, admin.token, (c) => c.mirror.ok >= 1);
    if (!held) throw new Error(`no mirrored copy came back ok: ${JSON.stringify(counters.mirror)}`);
  } else {
    if (blackHole === null) throw new Error('weir-mirror-hole needs the black hole');
    const hole = blackHole;
    const deadline = Date.now() + 3000;
    while (hole.stats.mirrorRequests === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (hole.stats.mirrorRequests === 0) throw new Error(`no mirrored copy reached the black hole (${hole.stats.accepted} connections)`);
  }
}

module.exports = {
  TRAFFIC_TARGETS, ROTATION, FIXED_HEADERS, CANARY, HOLE_REQUEST_MS,
  trafficRoute, startBlackHole, trafficCounters, waitCounters, probeTraffic,
};
