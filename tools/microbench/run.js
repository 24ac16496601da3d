'use strict';
/**
 * Tiny micro-benchmark runner (STYLE.md rule 15), no dependencies.
 *
 * Usage (from a package directory, after `tsc -b`):
 *   node --expose-gc ../../tools/microbench/run.js <bench-dir> [filter]
 *
 * Every `<bench-dir>/*.bench.js` file is CommonJS and exports
 *   { cases: [{ name: string, fn: () => unknown }] }
 * built against the package's compiled `dist/`. Each case's `fn` is one operation. Per case the
 * runner:
 *   1. warms up for WARMUP_MS so V8 has optimised `fn` and its callees;
 *   2. sizes a round to about ROUND_MS from the warm-up rate, then times ROUNDS rounds with
 *      process.hrtime.bigint() and reports the median ops/s and the spread (min..max);
 *   3. measures allocation: after gc(), runs ALLOC_OPS operations and reports the heapUsed delta
 *      per operation (the least of three samples). ALLOC_OPS is small enough that the young
 *      generation does not fill up, so no scavenge hides allocations (a noop case reads 0 B/op);
 *   4. counts garbage collections during the timed rounds (PerformanceObserver `gc` entries).
 *
 * Numbers are only comparable within one run on one machine; report before/after from the same run.
 */
const fs = require('node:fs');
const path = require('node:path');
const { PerformanceObserver } = require('node:perf_hooks');

const WARMUP_MS = Number(process.env.MICROBENCH_WARMUP_MS ?? 300);
const ROUND_MS = Number(process.env.MICROBENCH_ROUND_MS ?? 200);
const ROUNDS = Number(process.env.MICROBENCH_ROUNDS ?? 5);
const ALLOC_OPS = 2000;

if (typeof global.gc !== 'function') {
  process.stderr.write('microbench: run node with --expose-gc\n');
  process.exit(2);
}
const gc = global.gc;

let gcCount = 0;
const observer = new PerformanceObserver((list) => {
  gcCount += list.getEntries().length;
});
observer.observe({ entryTypes: ['gc'] });

/** Lets queued PerformanceObserver callbacks run, so gcCount is current. */
function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

function nowNs() {
  return process.hrtime.bigint();
}

/**
 * Builds a fresh `loop(fn, n)` per case. One shared loop would see every case's `fn` at its call
 * site, turn megamorphic and slow down whichever cases run last; a function compiled per case has
 * its own feedback. The sink keeps V8 from discarding results as dead code.
 */
const state = { sink: 0 };
function makeLoop() {
  // eslint-disable-next-line no-new-func
  return new Function(
    'state',
    'fn',
    'n',
    'for (let i = 0; i < n; i++) { if (fn() === state.sink) state.sink++; }',
  ).bind(null, state);
}

function warmup(loop, fn) {
  let n = 1000;
  let ops = 0;
  const start = nowNs();
  const limit = BigInt(WARMUP_MS) * 1_000_000n;
  // Bounded: doubling stops once the warm-up time is spent.
  for (let i = 0; i < 64; i++) {
    loop(fn, n);
    ops += n;
    if (nowNs() - start >= limit) break;
    if (n < 1_000_000) n *= 2;
  }
  const ns = Number(nowNs() - start);
  return ops / (ns / 1e9);
}

async function measure(c) {
  const loop = makeLoop();
  const rate = warmup(loop, c.fn);
  const perRound = Math.max(1000, Math.round((rate * ROUND_MS) / 1000));
  const results = [];
  gc();
  // gc entries are delivered asynchronously; let the forced one arrive before counting.
  await settle();
  await settle();
  const gcBefore = gcCount;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = nowNs();
    loop(c.fn, perRound);
    const ns = Number(nowNs() - t0);
    results.push(perRound / (ns / 1e9));
  }
  await settle();
  const gcs = gcCount - gcBefore;
  results.sort((a, b) => a - b);

  // Minimum of three samples: the first can include one-time costs (re-optimisation after the
  // forced gc, lazily built caches) that are not per operation.
  let bytesPerOp = Infinity;
  for (let s = 0; s < 3; s++) {
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    loop(c.fn, ALLOC_OPS);
    const heap1 = process.memoryUsage().heapUsed;
    bytesPerOp = Math.min(bytesPerOp, Math.max(0, heap1 - heap0) / ALLOC_OPS);
  }

  return {
    median: results[Math.floor(results.length / 2)],
    min: results[0],
    max: results[results.length - 1],
    ops: perRound * ROUNDS,
    gcs,
    bytesPerOp,
  };
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

async function main() {
  const dir = path.resolve(process.argv[2] ?? 'bench');
  const filter = process.argv[3] ?? '';
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.js'))
    .sort();
  process.stdout.write(`node ${process.version}  rounds ${ROUNDS} x ~${ROUND_MS} ms  warm-up ${WARMUP_MS} ms\n`);
  for (const file of files) {
    const mod = require(path.join(dir, file));
    const cases = mod.cases.filter((c) => filter === '' || `${file} ${c.name}`.includes(filter));
    if (cases.length === 0) continue;
    process.stdout.write(`\n${file}\n`);
    for (const c of cases) {
      const r = await measure(c);
      const spread = `${fmt(r.min)}..${fmt(r.max)}`;
      process.stdout.write(
        `  ${c.name.padEnd(44)} ${fmt(r.median).padStart(13)} ops/s  (${spread})  ` +
          `${r.bytesPerOp.toFixed(1)} B/op  ${r.gcs} gc in ${fmt(r.ops)} ops\n`,
      );
    }
  }
  observer.disconnect();
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
