'use strict';

/**
 * The Node reference proxy: `http-proxy` (the most used Node proxy) in each of N cluster
 * workers, forwarding everything to one upstream over a keep-alive agent, adding X-Forwarded-*
 * (`xfwd`) like Weir and the nginx baseline do.
 *
 *   node http-proxy-server.js --port P --target http://127.0.0.1:U --workers 2
 */

const http = require('node:http');
const { clusterMain, flags } = require('./cluster-main');

const f = flags(['port', 'target', 'workers']);

clusterMain(Number(f.workers), () => {
  const httpProxy = require('http-proxy');
  // 256 sockets per worker matches Weir's default pool size; idle ones are kept for reuse.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });
  const proxy = httpProxy.createProxyServer({ target: f.target, agent, xfwd: true });
  proxy.on('error', (_err, _req, res) => {
    // `res` is a ServerResponse for HTTP requests (a socket only for WebSocket upgrades).
    if (res instanceof http.ServerResponse) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway\n');
    } else {
      res.destroy();
    }
  });
  http.createServer((req, res) => proxy.web(req, res)).listen(Number(f.port), '127.0.0.1');
});
