'use strict';

/**
 * Top frames of V8 CPU profiles (`--cpu-prof` output, see "Profiling a target" in README.md):
 * self time per function, summed over every profile given, as a share of the profiles' total
 * sampled time (idle and GC included, so shares compare across runs with the same load).
 *
 *   node tools/bench/prof-top.js [--top N] [--match TEXT] FILE.cpuprofile...
 *
 * `--match TEXT` also prints the inclusive share of every function whose name or file contains
 * TEXT (its own time plus everything it called), to put a figure on one module's cost.
 */

const fs = require('node:fs');

function parseArgs(argv) {
  const o = { top: 30, match: [], files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--top') o.top = Number(argv[++i]);
    else if (a === '--match') o.match.push(String(argv[++i]));
    else o.files.push(a);
  }
  if (o.files.length === 0 || !Number.isInteger(o.top) || o.top < 1) {
    throw new Error('usage: prof-top.js [--top N] [--match TEXT] FILE.cpuprofile...');
  }
  return o;
}

/** `name file:line` of a profile node's call frame, with the file shortened to its package path. */
function frameKey(cf) {
  const url = cf.url === '' ? '' : cf.url.replace(/^file:\/\//, '').replace(/^.*\/(packages|apps|node_modules)\//, '$1/');
  return `${cf.functionName === '' ? '(anonymous)' : cf.functionName} ${url === '' ? '' : `${url}:${cf.lineNumber + 1}`}`.trim();
}

/** Self and inclusive sample counts per frame key of one profile. */
function tally(profile, self, inclusive, matches) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  let total = 0;
  for (const n of profile.nodes) {
    const c = counts.get(n.id) ?? 0;
    total += c;
    const k = frameKey(n.callFrame);
    self.set(k, (self.get(k) ?? 0) + c);
  }
  // Inclusive time of matched frames: a node's subtree, counted once per matched ancestor chain.
  if (matches.length > 0) {
    const subtree = (n) => {
      let s = counts.get(n.id) ?? 0;
      for (const c of n.children ?? []) s += subtree(byId.get(c));
      return s;
    };
    const walk = (n, inside) => {
      const k = frameKey(n.callFrame);
      const hit = matches.find((m) => k.includes(m));
      if (hit !== undefined && !inside.has(hit)) {
        inclusive.set(hit, (inclusive.get(hit) ?? 0) + subtree(n));
        inside = new Set(inside).add(hit);
      }
      for (const c of n.children ?? []) walk(byId.get(c), inside);
    };
    walk(profile.nodes[0], new Set());
  }
  return total;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  for (const f of o.files) total += tally(JSON.parse(fs.readFileSync(f, 'utf8')), self, inclusive, o.match);
  const pct = (n) => `${((100 * n) / total).toFixed(2)}%`.padStart(7);
  const busy = total - (self.get('(idle)') ?? 0);
  console.log(`${o.files.length} profile(s), ${total} samples, busy ${pct(busy)}`);
  for (const [k, n] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, o.top)) console.log(`${pct(n)}  ${k}`);
  for (const m of o.match) console.log(`inclusive ${pct(inclusive.get(m) ?? 0)}  ${m}`);
}

main();
