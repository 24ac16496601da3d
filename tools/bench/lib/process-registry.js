'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');

/**
 * Every process the bench starts goes through one ProcessRegistry, so a single `stopAll()` (on
 * success, failure, SIGINT or SIGTERM) ends all of them.
 *
 * Servers are spawned `detached`, i.e. as leaders of their own process group: a server's
 * children (nginx workers, cluster workers) share its group, so after the leader has exited
 * (gracefully, or not within the grace period) one `kill(-pgid, SIGKILL)` sweeps whatever is
 * left. Only groups we created are ever signalled. Their own group also keeps a terminal's
 * Ctrl-C away from them, so shutdown order is ours to decide.
 */
class ProcessRegistry {
  constructor() {
    /** @type {ManagedProcess[]} */
    this.processes = [];
    /** @type {Promise<void>|null} */
    this.stopping = null;
  }

  /**
   * Starts a process with stdout and stderr appended to `logPath`.
   * @param {string} name        label for messages
   * @param {string} command
   * @param {string[]} args
   * @param {{ logPath: string, env?: NodeJS.ProcessEnv, cwd?: string, group?: boolean }} opts
   *   `group` (default true): lead a new process group (servers). wrk runs with `group: false`.
   * @returns {ManagedProcess}
   */
  spawn(name, command, args, opts) {
    if (this.stopping !== null) throw new Error(`not starting ${name}: shutting down`);
    const group = opts.group !== false;
    const fd = fs.openSync(opts.logPath, 'a');
    let child;
    try {
      child = spawn(command, args, {
        stdio: ['ignore', fd, fd],
        detached: group,
        env: opts.env ?? process.env,
        cwd: opts.cwd,
      });
    } finally {
      fs.closeSync(fd);
    }
    const proc = new ManagedProcess(name, child, group, opts.logPath);
    this.processes.push(proc);
    return proc;
  }

  /**
   * Stops every process, most recent first: SIGTERM to the leader, up to `graceMs` for it to
   * exit, then SIGKILL to its whole group. Idempotent: later calls return the same promise.
   * @param {number} graceMs default 5000
   * @returns {Promise<void>}
   */
  stopAll(graceMs = 5000) {
    if (this.stopping === null) {
      const list = this.processes.slice().reverse();
      this.stopping = Promise.all(list.map((p) => p.stop(graceMs))).then(() => undefined);
    }
    return this.stopping;
  }

  /** True once stopAll() was called: nothing new may start. */
  get closed() {
    return this.stopping !== null;
  }

  /** Last resort for `process.on('exit')`: synchronous SIGKILL of every group still alive. */
  killAllSync() {
    for (let i = 0; i < this.processes.length; i++) this.processes[i].killSync();
  }
}

/** One spawned process and the promise of its exit. */
class ManagedProcess {
  /**
   * @param {string} name
   * @param {import('node:child_process').ChildProcess} child
   * @param {boolean} group
   * @param {string} logPath
   */
  constructor(name, child, group, logPath) {
    this.name = name;
    this.child = child;
    this.pid = child.pid ?? -1;
    this.group = group;
    this.logPath = logPath;
    /** @type {{ code: number|null, signal: string|null, error: Error|null } | null} */
    this.exit = null;
    /** Set once stop() finished: the group is gone and its id must not be signalled again. */
    this.swept = false;
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        if (this.exit === null) this.exit = { code: null, signal: null, error };
        resolve(this.exit);
      });
      child.once('exit', (code, signal) => {
        if (this.exit === null) this.exit = { code, signal, error: null };
        resolve(this.exit);
      });
    });
  }

  /** True while the leader has not exited. */
  get alive() {
    return this.exit === null && this.pid > 0;
  }

  /** Human-readable exit description, for error messages. */
  describeExit() {
    if (this.exit === null) return 'still running';
    if (this.exit.error !== null) return `failed to start: ${this.exit.error.message}`;
    return this.exit.signal !== null ? `killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`;
  }

  /** The last `lines` lines of the process log (for diagnosing a failed start). */
  tail(lines = 15) {
    try {
      const text = fs.readFileSync(this.logPath, 'utf8').trimEnd();
      return text.split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /**
   * @param {number} graceMs
   * @returns {Promise<void>}
   */
  async stop(graceMs) {
    if (this.pid <= 0) return;
    if (this.alive) {
      signal(this.pid, 'SIGTERM');
      let timer = null;
      const timeout = new Promise((resolve) => { timer = setTimeout(resolve, graceMs); });
      await Promise.race([this.exited, timeout]);
      clearTimeout(timer);
    }
    this.killSync();
    if (this.alive) {
      // SIGKILL cannot be ignored; the bounded wait only guards against a zombie-reaping stall.
      let timer = null;
      const timeout = new Promise((resolve) => { timer = setTimeout(resolve, 2000); });
      await Promise.race([this.exited, timeout]);
      clearTimeout(timer);
    }
    this.swept = true;
  }

  /** SIGKILL to the group (or to the process when it has no group of its own). */
  killSync() {
    if (this.pid <= 0 || this.swept) return;
    if (this.group) signal(-this.pid, 'SIGKILL');
    else if (this.alive) signal(this.pid, 'SIGKILL');
  }
}

/** process.kill that ignores "no such process" (already gone) and permission errors. */
function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch (err) {
    const code = /** @type {NodeJS.ErrnoException} */ (err).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw err;
  }
}

module.exports = { ProcessRegistry, ManagedProcess };
