'use strict';
/**
 * Starts the built Weir daemon for the bench scripts that drive one themselves (admin-apply,
 * resilience, ws-echo): `ready` resolves with the "weir ready" log line (its `listeners` and
 * `admin` ports), or rejects with the daemon's stderr when it exits first.
 */
const { spawn } = require('node:child_process');
const readline = require('node:readline');

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

module.exports = { spawnDaemon };
