'use strict';

const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { treePids } = require('./process-tree');

/**
 * CPU time of a process and its descendants (a proxy's primary and workers, nginx's master and
 * workers) from /proc (Linux): user + system, in seconds. Read before and after a measured cell,
 * the difference divided by the requests served is the CPU the proxy spent per request (issue
 * 13's "CPU per request"; the client and the upstream are separate processes and not counted).
 * /proc counts in clock ticks (`getconf CLK_TCK`, usually 100 per second): over an 8 s cell that
 * is well under 1% of the figure.
 */

let ticksPerSecond = 0;

function clockTicks() {
  if (ticksPerSecond === 0) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout;
    ticksPerSecond = Number(out) > 0 ? Number(out) : 100;
  }
  return ticksPerSecond;
}

/**
 * @param {number} pid
 * @returns {number|null} seconds of CPU of the tree, null when /proc is unreadable
 */
function treeCpuSeconds(pid) {
  let ticks = 0;
  let read = false;
  for (const p of treePids(pid)) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
      read = true;
    } catch {
      // gone meanwhile: counted as far as read
    }
  }
  return read ? ticks / clockTicks() : null;
}

module.exports = { treeCpuSeconds };
