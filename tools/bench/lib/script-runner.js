'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ProcessRegistry } = require('./process-registry');

/**
 * The lifecycle of a standalone bench script that starts servers (rate-limit-accuracy,
 * global-limit-accuracy), as run.js has it: one ProcessRegistry for every child, a temp dir for
 * configs and logs, and cleanup on success, failure, Ctrl-C / SIGTERM / SIGHUP (a second signal
 * kills at once) and, as a last resort, in an `exit` hook.
 *
 * `main(registry, dir, say)` resolves with the exit status. A rejection prints the error and exits 1
 * (a daemon that cannot start ends up here). With `keepLogs`, the temp dir is kept and printed.
 * @param {string} tag  message prefix and temp dir name part
 * @param {{ keepLogs: boolean }} opts
 * @param {(registry: ProcessRegistry, dir: string, say: (line: string) => void) => Promise<number>} main
 */
function runScript(tag, opts, main) {
  const say = (line) => process.stderr.write(`[${tag}] ${line}\n`);
  const registry = new ProcessRegistry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `weir-${tag}-`));
  const cleanup = async () => {
    await registry.stopAll();
    if (opts.keepLogs) say(`configs and logs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', () => registry.killAllSync());
  let interrupted = 0;
  const onSignal = (sig, code) => {
    interrupted++;
    if (interrupted > 1) {
      registry.killAllSync();
      process.exit(code);
    }
    say(`${sig}: stopping every process the script started`);
    cleanup().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('SIGHUP', () => onSignal('SIGHUP', 129));
  main(registry, dir, say).then(
    async (code) => {
      await cleanup();
      process.exitCode = code;
    },
    async (err) => {
      if (registry.closed) return; // interrupted: the signal handler exits
      say(`failed: ${err && err.stack ? err.stack : err}`);
      await cleanup();
      process.exitCode = 1;
    },
  );
}

/**
 * Parses `--name value` flags into a copy of `defaults` (numbers, lists of numbers, booleans
 * for flags whose default is a boolean). Throws with a usage message on anything else.
 * @param {string[]} argv
 * @param {Record<string, number|number[]|boolean>} defaults
 * @param {string} usage
 * @returns {Record<string, any> & { help: boolean }}
 */
function parseFlags(argv, defaults, usage) {
  const o = { ...defaults, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      o.help = true;
      continue;
    }
    const key = a.startsWith('--') ? a.slice(2) : '';
    if (!(key in defaults)) throw new Error(`unknown flag ${JSON.stringify(a)}\n${usage}`);
    if (typeof defaults[key] === 'boolean') {
      o[key] = true;
      continue;
    }
    const raw = argv[++i];
    if (raw === undefined) throw new Error(`${a} needs a value\n${usage}`);
    if (Array.isArray(defaults[key])) {
      const list = raw.split(',').map(Number);
      if (list.length === 0 || list.some((n) => !Number.isFinite(n) || n <= 0)) throw new Error(`${a} expects positive numbers separated by commas, got ${JSON.stringify(raw)}`);
      o[key] = list;
    } else {
      const n = Number(raw);
      if (!Number.isInteger(n) || n <= 0 || n > 1e9) throw new Error(`${a} expects a positive integer, got ${JSON.stringify(raw)}`);
      o[key] = n;
    }
  }
  return o;
}

module.exports = { runScript, parseFlags };
