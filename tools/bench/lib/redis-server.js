'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/**
 * A throwaway redis-server for global-limit-accuracy.js, started the way the jest helper
 * (tools/jest/redis-server.ts) does: 127.0.0.1, a given free port, no persistence. It runs
 * through the ProcessRegistry, so cleanup reaches it like every other child. Ready when it
 * answers PING (polled every 50 ms, at most 10 s).
 */

const READY_MS = 10_000;

/** The redis-server binary on PATH (or /usr/bin), or null. */
function findRedisServer() {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).concat('/usr/bin', '/usr/local/bin');
  for (const dir of dirs) {
    const candidate = path.join(dir, 'redis-server');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** One PING on a fresh connection: resolves true on +PONG, false on anything else. */
function ping(port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) done(text.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

/**
 * @param {import('./process-registry').ProcessRegistry} registry
 * @param {string} dir   for the log and as the working directory (no files are written: --save '')
 * @param {number} port
 * @returns {Promise<import('./process-registry').ManagedProcess>}
 */
async function startRedisServer(registry, dir, port) {
  const binary = findRedisServer();
  if (binary === null) throw new Error('redis-server not found on PATH (Debian: apt-get install redis-server)');
  const proc = registry.spawn('redis-server', binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { logPath: path.join(dir, 'redis.log'), cwd: dir });
  const deadline = Date.now() + READY_MS;
  while (Date.now() < deadline) {
    if (!proc.alive) throw new Error(`redis-server ${proc.describeExit()} before it was ready\n${proc.tail()}`);
    if (await ping(port, 500)) return proc;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server not answering PING on 127.0.0.1:${port} after ${READY_MS} ms\n${proc.tail()}`);
}

/**
 * Calls of each command so far (`INFO commandstats`: `cmdstat_evalsha:calls=N,...`), read with
 * a raw RESP request on a fresh connection; an empty object when Redis does not answer in time.
 * @param {number} port
 * @returns {Promise<Record<string, number>>}
 */
function commandCalls(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    const done = () => {
      socket.destroy();
      const calls = {};
      for (const m of text.matchAll(/^cmdstat_([a-z_|]+):calls=(\d+)/gm)) calls[m[1]] = Number(m[2]);
      resolve(calls);
    };
    socket.setTimeout(2000, done);
    socket.on('connect', () => socket.write('*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n'));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      // A bulk string: `$<length>\r\n<payload>\r\n`; done once the whole payload is here.
      const header = /^\$(\d+)\r\n/.exec(text);
      if (header !== null && Buffer.byteLength(text, 'latin1') >= header[0].length + Number(header[1])) done();
    });
    socket.on('error', done);
  });
}

module.exports = { startRedisServer, findRedisServer, commandCalls };
