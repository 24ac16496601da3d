'use strict';
/**
 * Starts the built Weir daemon for the bench scripts that drive one themselves.
 *
 * - `spawnDaemon` (admin-apply, resilience, ws-echo): `ready` resolves with the "weir ready" log
 *   line (its `listeners` and `admin` ports), or rejects with the daemon's stderr when it exits
 *   first.
 * - `startManagedDaemon` (rate-limit-accuracy, global-limit-accuracy): through a
 *   ProcessRegistry (its own process group, so cleanup reaches the workers too), on a port the
 *   caller chose, ready when a request to `readyPath` answers 200 (polled, bounded).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { waitReady } = require('./http-probe');
const { benchNodeArgs } = require('./node-args');

/** The built daemon (`npx tsc -b`). */
const DAEMON = path.resolve(__dirname, '..', '..', '..', 'apps', 'weir', 'dist', 'main.js');
/** Readiness deadline: the primary builds the snapshot and applies it to every worker first. */
const READY_MS = 30_000;

/**
 * @param {string} daemon path of apps/weir/dist/main.js
 * @param {string[]} args command-line arguments
 * @param {Record<string, string>} env extra environment (on top of this process's)
 * @param {(line: object) => void} [onLine] sees every JSON log line
 */
function spawnDaemon(daemon, args, env, onLine) {
  const child = spawn(process.execPath, [daemon, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const ready = new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (text) => {
      let line;
      try {
        line = JSON.parse(text);
      } catch {
        return;
      }
      if (onLine !== undefined) onLine(line);
      if (line.msg === 'weir ready') resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the daemon exited (${code}) before "weir ready"\n${stderr}`)));
  });
  return { child, ready };
}

/**
 * Writes `config` to `<dir>/<name>.json` and starts the daemon with it (its own state dir, no
 * file watch, no admin listener unless the config has one) through `registry`. Resolves once
 * `GET readyPath` on 127.0.0.1:`port` answers 200; rejects with the tail of the daemon's log
 * when it exits first or is not ready within 30 s.
 * @param {import('./process-registry').ProcessRegistry} registry
 * @param {{ name: string, dir: string, config: object, port: number, readyPath: string, adminListen?: string, nodeArgs?: string[] }} o
 *   `port`: a listener port of `config`; `readyPath`: a route of it that answers 200 and has no
 *   limit (the readiness polls must not spend tokens); `adminListen` (default "off"):
 *   WEIR_ADMIN_LISTEN; `nodeArgs`: node flags, after those of `WEIR_BENCH_NODE_ARGS` (as for run.js,
 *   e.g. `--trace-gc`)
 * @returns {Promise<import('./process-registry').ManagedProcess>}
 */
async function startManagedDaemon(registry, o) {
  if (!fs.existsSync(DAEMON)) throw new Error(`${DAEMON} not found: build first (npx tsc -b)`);
  const configPath = path.join(o.dir, `${o.name}.json`);
  fs.writeFileSync(configPath, `${JSON.stringify(o.config, null, 2)}\n`);
  const proc = registry.spawn(o.name, process.execPath,
    [...benchNodeArgs(), ...(o.nodeArgs ?? []), DAEMON, '--config', configPath, '--state-dir', path.join(o.dir, `${o.name}-state`), '--no-watch'],
    { logPath: path.join(o.dir, `${o.name}.log`), env: { ...process.env, WEIR_ADMIN_LISTEN: o.adminListen ?? 'off' } });
  try {
    await waitReady(o.port, o.readyPath, proc, READY_MS);
  } catch (err) {
    const tail = proc.tail();
    throw new Error(`${/** @type {Error} */ (err).message}${tail ? `\n${tail}` : ''}`);
  }
  return proc;
}

module.exports = { spawnDaemon, startManagedDaemon, DAEMON };
