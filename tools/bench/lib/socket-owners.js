'use strict';

const fs = require('node:fs');

/**
 * Which worker process holds the server side of each client connection, read from /proc
 * (Linux only). A direct-response route says nothing about who answered, but the accepted
 * socket lives in exactly one worker: find its inode in /proc/net/tcp (local port = the
 * daemon's listener, remote port = the client socket's local port), then the worker whose
 * /proc/PID/fd links to `socket:[inode]`. Read while the keep-alive sockets are still open.
 */

/**
 * The daemon's worker pids: children of the primary (`/proc/PID/task/PID/children`).
 * @param {number} primaryPid
 * @returns {number[]}
 */
function childPids(primaryPid) {
  try {
    return fs.readFileSync(`/proc/${primaryPid}/task/${primaryPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * @param {number} serverPort   the daemon's listener port (on 127.0.0.1)
 * @param {number} primaryPid   the daemon's primary process
 * @returns {Map<number, number>|null}  client local port -> worker pid; null where /proc cannot tell
 */
function socketOwners(serverPort, primaryPid) {
  if (process.platform !== 'linux') return null;
  /** @type {Map<string, number>} inode -> client port */
  const inodes = new Map();
  try {
    const lines = fs.readFileSync('/proc/net/tcp', 'utf8').split('\n');
    for (let i = 1; i < lines.length; i++) {
      const f = lines[i].trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = f[1].split(':');
      const remote = f[2].split(':');
      if (parseInt(local[1], 16) !== serverPort) continue;
      const clientPort = parseInt(remote[1], 16);
      if (clientPort === 0 || f[9] === '0') continue; // the listening socket, or a socket being torn down
      inodes.set(f[9], clientPort);
    }
  } catch {
    return null;
  }
  /** @type {Map<number, number>} */
  const owners = new Map();
  for (const pid of [...childPids(primaryPid), primaryPid]) {
    let fds;
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (let i = 0; i < fds.length; i++) {
      let link;
      try {
        link = fs.readlinkSync(`/proc/${pid}/fd/${fds[i]}`);
      } catch {
        continue;
      }
      if (!link.startsWith('socket:[')) continue;
      const clientPort = inodes.get(link.slice(8, -1));
      if (clientPort !== undefined) owners.set(clientPort, pid);
    }
  }
  return owners;
}

/**
 * Admitted (200) answers per worker pid, from the load's per-socket counts and the owners.
 * @param {Map<number, { ok: number, limited: number }>} byLocalPort
 * @param {Map<number, number>|null} owners
 * @returns {{ perWorker: Map<number, { sockets: number, ok: number, limited: number }>, unmapped: number }|null}
 */
function perWorker(byLocalPort, owners) {
  if (owners === null) return null;
  const out = new Map();
  let unmapped = 0;
  for (const [port, counts] of byLocalPort) {
    const pid = owners.get(port);
    if (pid === undefined) {
      unmapped += counts.ok + counts.limited;
      continue;
    }
    const w = out.get(pid) ?? { sockets: 0, ok: 0, limited: 0 };
    w.sockets++;
    w.ok += counts.ok;
    w.limited += counts.limited;
    out.set(pid, w);
  }
  return { perWorker: out, unmapped };
}

module.exports = { socketOwners, perWorker, childPids };
