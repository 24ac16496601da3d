'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/**
 * Finds (and, as root on Debian, installs) the external programs the bench drives: wrk (load
 * generator), nginx (upstream and reference proxy) and, for the h2-small scenario, h2load
 * (HTTP/2 load generator, package nghttp2-client). All come from Debian's own packages.
 */

/** Directories searched besides $PATH: nginx lives in /usr/sbin, often not on a user's PATH. */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin'];

/**
 * Absolute path of an executable, or null.
 * @param {string} name
 * @returns {string|null}
 */
function findExecutable(name) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d.length > 0).concat(EXTRA_DIRS);
  for (let i = 0; i < dirs.length; i++) {
    const candidate = path.join(dirs[i], name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}

let aptUpdated = false;

/**
 * Returns the path of `name`, installing Debian package `pkg` with apt-get when it is missing,
 * we are root, apt-get exists and `allowInstall` is set. Otherwise returns a reason to skip.
 * The Debian nginx package may start its own system service on port 80 (where an init system
 * runs); the bench never uses it.
 * @param {string} name
 * @param {string} pkg
 * @param {boolean} allowInstall
 * @param {(line: string) => void} say
 * @returns {{ path: string } | { skip: string }}
 */
function ensureTool(name, pkg, allowInstall, say) {
  const found = findExecutable(name);
  if (found !== null) return { path: found };
  const apt = findExecutable('apt-get');
  if (!allowInstall) return { skip: `${name} not found and --no-install given (install Debian package "${pkg}")` };
  if (apt === null) return { skip: `${name} not found and apt-get is not available (install "${pkg}" by hand)` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { skip: `${name} not found; run as root to let the bench install it, or: sudo apt-get install -y ${pkg}` };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync(apt, args, { env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  if (!aptUpdated) {
    say(`installing ${pkg}: apt-get update ...`);
    const up = run(['update']);
    if (up.status !== 0) return { skip: `apt-get update failed (${lastLine(up.stderr)}); cannot install ${pkg}` };
    aptUpdated = true;
  }
  say(`installing ${pkg}: apt-get install -y ${pkg} ...`);
  const inst = run(['install', '-y', '--no-install-recommends', pkg]);
  if (inst.status !== 0) return { skip: `apt-get install ${pkg} failed (${lastLine(inst.stderr)})` };
  const after = findExecutable(name);
  return after !== null ? { path: after } : { skip: `${pkg} installed but ${name} still not found` };
}

function lastLine(text) {
  const lines = String(text ?? '').trim().split('\n');
  return lines[lines.length - 1] || 'no output';
}

/**
 * First line a program prints about its version (`wrk -v`, `nginx -v`), or "unknown".
 * @param {string} file
 * @param {string[]} args
 */
function versionOf(file, args) {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 10_000 });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  return text.length > 0 ? text.split('\n')[0] : 'unknown';
}

module.exports = { findExecutable, ensureTool, versionOf };
