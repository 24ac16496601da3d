'use strict';
/**
 * Weighted selection: WeightedTable.next/at, TrafficPlan.pick and RoundRobinBalancer.pick.
 * Run: `npm run bench -w @weir/dataplane` after `tsc -b`.
 */
const { WeightedTable, TrafficPlan, RoundRobinBalancer, EndpointView, EndpointState } = require('../dist/index.js');

const table = new WeightedTable([5, 1, 1]);
const big = new WeightedTable(Array.from({ length: 1000 }, (_, i) => 1 + (i % 7)));
const single = new TrafficPlan([{ upstream: 'a', weight: 1 }]);
const canary = new TrafficPlan([
  { upstream: 'stable', weight: 95 },
  { upstream: 'canary', weight: 5 },
]);
const view = (n) => new EndpointView(Array.from({ length: n }, (_, i) => new EndpointState(`10.0.0.${i + 1}:80`, true)));
const rr = new RoundRobinBalancer(view(4), [1, 1, 1, 1]);
const weightedRr = new RoundRobinBalancer(view(3), [10, 5, 1]);

module.exports = {
  cases: [
    { name: 'WeightedTable.next (5,1,1)', fn: () => table.next() },
    { name: 'WeightedTable.at(Math.random()) (5,1,1)', fn: () => table.at(Math.random()) },
    { name: 'WeightedTable.next (1000 endpoints)', fn: () => big.next() },
    { name: 'TrafficPlan.pick single group', fn: () => single.pick() },
    { name: 'TrafficPlan.pick 95/5 split', fn: () => canary.pick() },
    { name: 'RoundRobinBalancer.pick 4 equal', fn: () => rr.pick(-1, null) },
    { name: 'RoundRobinBalancer.pick 10/5/1', fn: () => weightedRr.pick(-1, null) },
    { name: 'baseline: noop', fn: () => 0 },
  ],
};
