'use strict';
/**
 * Endpoint picking per policy (issue 4), plus the request hash key. One scenario family per
 * file; each case is one pick. Run after `tsc -b`:
 *   node --expose-gc ../../tools/microbench/run.js bench balancer
 */
const {
  EndpointState,
  EndpointView,
  RequestHasher,
  createBalancer,
  hashString,
} = require('../dist/index.js');

function states(n) {
  return Array.from({ length: n }, (_, i) => new EndpointState(`10.0.${i >> 8}.${i & 255}:8080`, true));
}

function build(policy, n, options = {}) {
  const s = states(n);
  const view = new EndpointView(s, { checked: true, panicThresholdPercent: 50 });
  const addresses = s.map((x) => x.address);
  const weights = s.map((_, i) => 1 + (i % 3));
  return { balancer: createBalancer(policy, view, addresses, weights, options), states: s };
}

const keys = Array.from({ length: 1024 }, (_, i) => hashString(`user-${i}`, 0));
let k = 0;
const nextKey = () => keys[(k = (k + 1) & 1023)];

const rr = build('round_robin', 4).balancer;
const rrDown = build('round_robin', 4);
rrDown.states[1].healthy = false;
const lr = build('least_request', 4).balancer;
const rnd = build('random', 4).balancer;
const ring = build('ring_hash', 16).balancer;
const ringDown = build('ring_hash', 16);
ringDown.states[3].healthy = false;
const maglev = build('maglev', 16).balancer;
const maglev1k = build('maglev', 1000).balancer;
const header = new RequestHasher({ kind: 'header', name: 'x-user' });
const cookie = new RequestHasher({ kind: 'cookie', name: 'sid' });
const raw = ['Host', 'example.com', 'User-Agent', 'wrk', 'Accept', '*/*', 'Cookie', 'a=1; sid=abcdef0123; b=2', 'X-User', 'alice'];

module.exports = {
  cases: [
    { name: 'round_robin pick, 4 endpoints', fn: () => rr.pick(-1, null) },
    { name: 'round_robin pick, 4 endpoints, 1 unhealthy', fn: () => rrDown.balancer.pick(-1, null) },
    { name: 'least_request pick, 4 endpoints', fn: () => lr.pick(-1, null) },
    { name: 'random pick, 4 endpoints', fn: () => rnd.pick(-1, null) },
    { name: 'ring_hash pick, 16 endpoints', fn: () => ring.pick(nextKey(), null) },
    { name: 'ring_hash pick, 16 endpoints, 1 unhealthy', fn: () => ringDown.balancer.pick(nextKey(), null) },
    { name: 'maglev pick, 16 endpoints', fn: () => maglev.pick(nextKey(), null) },
    { name: 'maglev pick, 1000 endpoints', fn: () => maglev1k.pick(nextKey(), null) },
    { name: 'RequestHasher header', fn: () => header.hash(raw, '127.0.0.1') },
    { name: 'RequestHasher cookie', fn: () => cookie.hash(raw, '127.0.0.1') },
    { name: 'baseline: noop', fn: () => 0 },
  ],
};
