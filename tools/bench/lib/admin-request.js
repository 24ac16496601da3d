'use strict';

const http = require('node:http');

/**
 * One admin API call with a bearer token, body (a string, sent as JSON) optional; resolves with
 * the status and the body text. Shared by the bench scripts that drive the admin API.
 * @param {http.Agent | false | undefined} agent
 * @param {number} port
 * @param {string} method
 * @param {string} pathname
 * @param {string} token
 * @param {string} [body]
 * @returns {Promise<{ status: number | undefined, text: string }>}
 */
function adminRequest(agent, port, method, pathname, token, body) {
  return new Promise((resolve, reject) => {
    /** @type {http.OutgoingHttpHeaders} */
    const headers = { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

module.exports = { adminRequest };
