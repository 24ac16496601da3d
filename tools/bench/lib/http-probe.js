'use strict';

const http = require('node:http');
const https = require('node:https');
const http2 = require('node:http2');

/**
 * One HTTP/1.1 request to 127.0.0.1 on a fresh connection (no agent), with a hard timeout.
 * Resolves with the status and full body; rejects on socket errors and timeouts.
 * @param {number} port
 * @param {string} method
 * @param {string} path
 * @param {Buffer|null} body
 * @param {number} timeoutMs default 2000
 * @param {Record<string, string>} [extraHeaders]  sent with the request (--plugins: the token)
 * @returns {Promise<{ status: number, body: Buffer, headers: http.IncomingHttpHeaders }>}
 */
function probe(port, method, path, body, timeoutMs = 2000, extraHeaders = {}) {
  return new Promise((resolve, reject) => {
    const headers = body === null ? { ...extraHeaders } : { ...extraHeaders, 'content-type': 'application/octet-stream', 'content-length': String(body.length) };
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from 127.0.0.1:${port}${path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/**
 * One GET to 127.0.0.1 over TLS on a fresh connection, verifying the certificate against `ca`:
 * HTTP/1.1 (ALPN http/1.1), or HTTP/2 with `h2` (ALPN h2 only, so a server that cannot speak
 * it fails the probe). Resolves with the status and full body; rejects on errors and timeouts.
 * @param {number} port
 * @param {string} path
 * @param {string} ca       PEM text of the CA
 * @param {boolean} h2
 * @param {number} timeoutMs default 2000
 * @param {Record<string, string>} [extraHeaders]  sent with the request (--plugins: the token)
 * @returns {Promise<{ status: number, body: Buffer }>}
 */
function probeTls(port, path, ca, h2, timeoutMs = 2000, extraHeaders = {}) {
  const where = `https://127.0.0.1:${port}${path}${h2 ? ' (h2)' : ''}`;
  return new Promise((resolve, reject) => {
    if (!h2) {
      const req = https.request({ host: '127.0.0.1', port, method: 'GET', path, headers: extraHeaders, ca, agent: false, ALPNProtocols: ['http/1.1'] }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${where} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
      return;
    }
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca, ALPNProtocols: ['h2'] });
    const timer = setTimeout(() => session.destroy(new Error(`no answer from ${where} within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err) => {
      clearTimeout(timer);
      session.destroy();
      reject(err);
    };
    session.on('error', fail);
    const stream = session.request({ ...extraHeaders, ':method': 'GET', ':path': path });
    let status = 0;
    const chunks = [];
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (c) => chunks.push(c));
    stream.on('error', fail);
    stream.on('end', () => {
      clearTimeout(timer);
      session.close();
      resolve({ status, body: Buffer.concat(chunks) });
    });
    stream.end();
  });
}

/**
 * Polls `GET path` every 100 ms until it answers 200, the process exits, or the deadline passes.
 * The loop is bounded by the deadline.
 * @param {number} port
 * @param {string} path
 * @param {import('./process-registry').ManagedProcess} proc  server under test
 * @param {number} timeoutMs
 * @param {Record<string, string>} [headers]  sent with every poll (weir-plugins needs its token)
 * @returns {Promise<void>}
 */
async function waitReady(port, path, proc, timeoutMs, headers = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt';
  while (Date.now() < deadline) {
    if (!proc.alive) throw new Error(`${proc.name} ${proc.describeExit()} before it was ready`);
    try {
      const res = await probe(port, 'GET', path, null, 1000, headers);
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = /** @type {Error} */ (err).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${proc.name} not ready on 127.0.0.1:${port} after ${timeoutMs} ms (last: ${last})`);
}

module.exports = { probe, probeTls, waitReady };
