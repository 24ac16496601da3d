'use strict';

const cluster = require('node:cluster');

/**
 * Runs `serve()` in `workers` node:cluster workers that share one listening socket.
 *
 * Scheduling is SCHED_NONE: workers accept from the shared socket themselves instead of the
 * primary accepting and handing connections out round-robin. With round-robin the primary
 * queues connections behind busy workers and p99 grows to seconds at high connection counts
 * (DESIGN.md section 3); SCHED_NONE gives the Node servers here their best footing, so Weir is
 * compared with a fair http-proxy, not a handicapped one.
 *
 * The primary serves nothing. SIGTERM stops the workers and exits 0; a worker that dies on its
 * own takes the whole server down (exit 1), because a bench must not measure a half-dead target.
 *
 * @param {number} workers
 * @param {() => void} serve  called in each worker; must start listening
 */
function clusterMain(workers, serve) {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  if (!cluster.isPrimary) {
    process.on('SIGTERM', () => process.exit(0));
    // The primary going away (even by SIGKILL) closes the IPC channel: follow it.
    process.on('disconnect', () => process.exit(0));
    serve();
    return;
  }
  let stopping = false;
  const stop = (code) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = code;
    const list = Object.values(cluster.workers ?? {});
    for (let i = 0; i < list.length; i++) list[i]?.process.kill('SIGTERM');
    // Exit even if a worker ignores SIGTERM; the bench SIGKILLs the process group after this.
    setTimeout(() => process.exit(code), 3000).unref();
  };
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      process.stderr.write(`worker ${worker.process.pid} died (code ${code}, signal ${signal}); stopping\n`);
      stop(1);
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
  });
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  for (let i = 0; i < workers; i++) cluster.fork();
}

/**
 * Reads `--name value` pairs from argv; throws on a missing required flag.
 * @param {string[]} names
 * @returns {Record<string, string>}
 */
function flags(names) {
  /** @type {Record<string, string>} */
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i + 1 < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const n of names) {
    if (out[n] === undefined) throw new Error(`missing --${n}`);
  }
  return out;
}

module.exports = { clusterMain, flags };
