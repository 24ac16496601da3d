'use strict';

const net = require('node:net');

/**
 * Reserves `count` distinct free TCP ports on 127.0.0.1 by listening on port 0 with all of them
 * at once (so they differ), then releases them for the servers to bind. Another program could
 * take one in between; the bench then reports that target's start failure rather than
 * measuring the wrong server, because every target is probed before it is loaded.
 * @param {number} count
 * @returns {Promise<number[]>}
 */
async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(undefined));
      });
    }
    return servers.map((s) => /** @type {net.AddressInfo} */ (s.address()).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => {
      if (s.listening) s.close(() => resolve(undefined));
      else resolve(undefined);
    })));
  }
}

module.exports = { freePorts };
