'use strict';

/**
 * Fallback upstream, used only when nginx cannot be had: node:http in N cluster workers serving
 * the bench's four paths exactly like the nginx upstream does. Its numbers are not comparable
 * with runs against the nginx upstream (the bench says so in its output).
 *
 *   node node-upstream.js --port P --workers 2
 */

const http = require('node:http');
const { clusterMain, flags } = require('./cluster-main');
const { SMALL_BODY, POST_ANSWER, CACHED_CACHE_CONTROL, largeBody } = require('../lib/scenarios');

const f = flags(['port', 'workers']);

clusterMain(Number(f.workers), () => {
  const small = Buffer.from(SMALL_BODY);
  const large = largeBody();
  const answer = Buffer.from(POST_ANSWER);
  const send = (res, type, body) => {
    res.writeHead(200, { 'content-type': type, 'content-length': body.length });
    res.end(body);
  };
  http.createServer((req, res) => {
    if (req.url === '/small') {
      send(res, 'text/plain', small);
    } else if (req.url === '/cached') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': small.length, 'cache-control': CACHED_CACHE_CONTROL });
      res.end(small);
    } else if (req.url === '/64k') {
      send(res, 'application/octet-stream', large);
    } else if (req.url === '/post') {
      // Read the whole body before answering, as the nginx upstream does.
      req.on('data', () => undefined);
      req.on('end', () => send(res, 'text/plain', answer));
    } else {
      res.writeHead(404, { 'content-length': 0 });
      res.end();
    }
  }).listen(Number(f.port), '127.0.0.1');
});
