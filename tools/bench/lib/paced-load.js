'use strict';

const http = require('node:http');

/**
 * Open-loop load at a fixed offered rate, for the rate-limit accuracy scripts. Unlike wrk's
 * closed loop, the send schedule does not slow down when answers do, so "offered" is a rate the
 * limit is measured against. Requests go over `connections` keep-alive sockets (an http.Agent
 * with keepAlive, maxSockets and FIFO scheduling). All of them are opened before the window by
 * `connections` concurrent requests to `warmPath` (a route without the limit), and FIFO reuse
 * keeps every one of them busy, so the connections, and with them the requests, spread over
 * the daemon's workers even at 30 req/s (LIFO, or opening sockets on demand, would put a low
 * rate on one connection and so on one worker).
 *
 * Every 5 ms a tick sends the requests that are due (`rate x elapsed` minus those sent or
 * skipped). At most `maxInFlight` wait for an answer; a due request beyond that is skipped and
 * counted, so a stalled server cannot grow an unbounded queue, and the achieved offered rate
 * (sent / seconds) is reported rather than assumed. Sending stops at `seconds`; the answers of
 * requests still in flight are awaited for at most `drainMs`.
 */

const TICK_MS = 5;

/**
 * @typedef {object} LoadResult
 * @property {number} sent         requests sent
 * @property {number} skipped      due requests not sent (maxInFlight reached)
 * @property {number} seconds      sending window, measured (first to last scheduled send)
 * @property {number} offered      sent / the window, per second
 * @property {number} ok           200 answers
 * @property {number} limited      429 answers
 * @property {number} other        any other status
 * @property {number} errors       socket errors and timeouts (no answer)
 * @property {number} unanswered   still in flight when the drain deadline passed
 * @property {number} sockets      distinct client sockets that carried requests
 * @property {number[]} sendTimes   when each request was sent, ms on the performance clock
 *   (shared by loads in one process, so two loads' times can be merged)
 * @property {Map<number, { ok: number, limited: number }>} byLocalPort  per client socket
 *   (its local port): answers; see socket-owners.js to map sockets to workers
 */

/**
 * @param {object} o
 * @param {number} o.port
 * @param {string} o.path
 * @param {number} o.rate          offered requests per second (> 0)
 * @param {number} o.seconds       sending window
 * @param {string} o.warmPath      answered 200 without spending the limit; opens the sockets
 * @param {number} [o.connections] keep-alive sockets, default 16
 * @param {number} [o.maxInFlight] default 256
 * @param {number} [o.timeoutMs]   per request, default 5000
 * @param {number} [o.drainMs]     wait for answers after the window, default 10000
 * @param {() => void} [o.beforeEnd]  called at the end of the window, before the sockets are
 *   closed (socket-owners.js reads /proc then)
 * @returns {Promise<LoadResult>}
 */
async function pacedLoad(o) {
  const connections = o.connections ?? 16;
  const maxInFlight = o.maxInFlight ?? 256;
  const timeoutMs = o.timeoutMs ?? 5000;
  const drainMs = o.drainMs ?? 10_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, scheduling: 'fifo' });
  /** @type {LoadResult} */
  const r = { sent: 0, skipped: 0, seconds: 0, offered: 0, ok: 0, limited: 0, other: 0, errors: 0, unanswered: 0, sockets: 0, sendTimes: [], byLocalPort: new Map() };
  let inFlight = 0;
  /** @type {(() => void) | null} */
  let onIdle = null;

  const send = () => {
    r.sent++;
    r.sendTimes.push(performance.now());
    inFlight++;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      inFlight--;
      if (inFlight === 0 && onIdle !== null) onIdle();
    };
    const req = http.request({ host: '127.0.0.1', port: o.port, path: o.path, agent }, (res) => {
      const localPort = res.socket.localPort ?? 0;
      let slot = r.byLocalPort.get(localPort);
      if (slot === undefined) {
        slot = { ok: 0, limited: 0 };
        r.byLocalPort.set(localPort, slot);
      }
      if (res.statusCode === 200) {
        r.ok++;
        slot.ok++;
      } else if (res.statusCode === 429) {
        r.limited++;
        slot.limited++;
      } else {
        r.other++;
      }
      res.resume();
      res.on('end', settle);
      res.on('error', settle);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      if (!settled) r.errors++;
      settle();
    });
    req.end();
  };

  await Promise.all(Array.from({ length: connections }, () => warm(agent, o.port, o.warmPath, timeoutMs)));

  const start = performance.now();
  const windowMs = o.seconds * 1000;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Math.min(performance.now() - start, windowMs);
      const due = Math.floor((elapsed / 1000) * o.rate) - r.sent - r.skipped;
      for (let i = 0; i < due; i++) {
        if (inFlight >= maxInFlight) r.skipped++;
        else send();
      }
      if (elapsed >= windowMs) {
        clearInterval(timer);
        resolve(undefined);
      }
    }, TICK_MS);
  });
  r.seconds = o.seconds;
  r.offered = r.sent / o.seconds;
  if (o.beforeEnd !== undefined) o.beforeEnd();
  if (inFlight > 0) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, drainMs);
      onIdle = () => {
        clearTimeout(timer);
        resolve(undefined);
      };
    });
  }
  r.unanswered = inFlight;
  r.sockets = r.byLocalPort.size;
  agent.destroy();
  return r;
}

/** One request to open (or reuse) a socket of `agent`; rejects on anything but a 200. */
function warm(agent, port, path, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(undefined) : reject(new Error(`warm-up ${path} answered ${res.statusCode}`))));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`warm-up ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

module.exports = { pacedLoad };
