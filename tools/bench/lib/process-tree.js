'use strict';

const fs = require('node:fs');

/**
 * The pids of a process and its descendants (a proxy's primary and workers, nginx's master and
 * workers, down to 4 levels), from /proc (Linux): the root first. Children are read from every
 * thread's `children` file (a child belongs to the thread that forked it). A process that is gone
 * or unreadable ends its branch; an empty list means the root itself is gone (or no /proc).
 * @param {number} root
 * @returns {number[]}
 */
function treePids(root) {
  const pids = [];
  const seen = new Set();
  const walk = (p, depth) => {
    if (seen.has(p) || depth > 4) return;
    seen.add(p);
    let tasks;
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    pids.push(p);
    for (const task of tasks) {
      let children = '';
      try {
        children = fs.readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
      } catch {
        // the thread ended meanwhile
      }
      if (children !== '') for (const c of children.split(/\s+/)) walk(Number(c), depth + 1);
    }
  };
  walk(root, 0);
  return pids;
}

module.exports = { treePids };
