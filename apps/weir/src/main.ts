#!/usr/bin/env node
/**
 * The `weir` executable. One script for both roles: node:cluster forks workers from it, and
 * `cluster.isPrimary` says which role this process plays. Each role is loaded lazily so a
 * worker never loads the control plane and the primary never loads the data plane.
 */
import cluster from 'node:cluster';

if (cluster.isPrimary) {
  const primary = require('./primary') as typeof import('./primary');
  primary.runPrimary(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`weir: fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
} else {
  const worker = require('./worker') as typeof import('./worker');
  worker.runWorker();
}
