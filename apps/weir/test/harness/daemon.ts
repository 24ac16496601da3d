import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';

/** The built daemon (`npm test` runs `tsc -b` before jest). */
export const DAEMON_MAIN = path.resolve(__dirname, '../../dist/main.js');

/** One JSON log line of the daemon (pino: `level` as a label, `msg`, then the fields). */
export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly pid?: number;
  readonly [field: string]: unknown;
}

/** A listener as reported by `weir ready`. */
export interface ReadyListener {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

/** How the process ended. */
export interface DaemonExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options of {@link Daemon.start}. */
export interface DaemonOptions {
  /** `--config FILE`. Default: none (the embedded default config). */
  readonly configPath?: string;
  /** Further command-line arguments, after `--config`. */
  readonly args?: readonly string[];
  /** Extra environment, on top of this process's. */
  readonly env?: Readonly<Record<string, string>>;
  /** Wait for `weir ready` before resolving. Default true. */
  readonly waitForReady?: boolean;
  /** How long `weir ready` may take. Default 30000 ms. */
  readonly readyTimeoutMs?: number;
  /**
   * `--state-dir DIR`. Default: a fresh temporary directory, removed when the daemon has
   * stopped, so no test reads another's history or the user's own. Pass one to restart a daemon
   * on the same state (and remove it yourself).
   */
  readonly stateDir?: string;
}

type LogListener = (line: LogLine) => void;

/**
 * A running `weir` daemon for end-to-end tests: spawns `node apps/weir/dist/main.js`, parses its
 * JSON log lines from stdout, and lets a test wait for a log event (never a fixed sleep),
 * signal it and stop it. Non-JSON stdout and all of stderr are kept for failure messages.
 */
export class Daemon {
  readonly child: ChildProcess;
  /** Every JSON log line so far, primary and workers interleaved, in arrival order. */
  readonly logs: LogLine[] = [];
  /** stderr, plus any stdout line that is not JSON. */
  output = '';
  /** The `weir ready` line, once seen. */
  ready: LogLine | null = null;
  private exit: DaemonExit | null = null;
  private readonly exited: Promise<DaemonExit>;
  private readonly listeners = new Set<LogListener>();
  /** The state directory passed with `--state-dir`. */
  readonly stateDir: string;

  private constructor(child: ChildProcess, stateDir: string, ownsStateDir: boolean) {
    this.child = child;
    this.stateDir = stateDir;
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': it fires once stdout is drained, so `logs` is complete by then.
      child.once('close', (code, signal) => {
        this.exit = { code, signal };
        if (ownsStateDir) fs.rmSync(stateDir, { recursive: true, force: true });
        resolve(this.exit);
      });
    });
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (text) => this.onLine(text));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.output += chunk;
    });
  }

  /** Start the daemon and (by default) wait until it logs `weir ready`. */
  static async start(options: DaemonOptions = {}): Promise<Daemon> {
    const args = [DAEMON_MAIN];
    if (options.configPath !== undefined) args.push('--config', options.configPath);
    const stateDir = options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'weir-state-'));
    args.push('--state-dir', stateDir);
    args.push(...(options.args ?? []));
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The admin API on a free port, so daemons of parallel tests (and a developer's own Weir
      // on 9901) never collide; a test's `env` may still override it.
      env: { ...process.env, WEIR_ADMIN_LISTEN: '127.0.0.1:0', ...(options.env ?? {}) },
    });
    const daemon = new Daemon(child, stateDir, options.stateDir === undefined);
    if (options.waitForReady === false) return daemon;
    try {
      daemon.ready = await daemon.waitForLog((line) => line.msg === 'weir ready', options.readyTimeoutMs ?? 30_000);
    } catch (err) {
      await daemon.stop();
      throw err;
    }
    return daemon;
  }

  /** Pid of the primary. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Listeners reported by `weir ready` (bound ports, so port 0 in the config is resolved). */
  get readyListeners(): readonly ReadyListener[] {
    return (this.ready?.['listeners'] as ReadyListener[] | undefined) ?? [];
  }

  /** Port of the first listener; throws before `weir ready`. */
  get port(): number {
    const first = this.readyListeners[0];
    if (first === undefined) throw new Error('the daemon has not reported a listener (no "weir ready" yet)');
    return first.port;
  }

  /** Version reported by `weir ready`. */
  get version(): string | null {
    return (this.ready?.['version'] as string | undefined) ?? null;
  }

  /** Exit code, null while running (or when killed by a signal). */
  get exitCode(): number | null {
    return this.exit?.code ?? null;
  }

  /** True once the primary has exited. */
  get hasExited(): boolean {
    return this.exit !== null;
  }

  /** Pids of workers started and not yet reported exited, from the lifecycle log lines. */
  liveWorkerPids(): number[] {
    const live = new Set<number>();
    for (const line of this.logs) {
      const pid = line['workerPid'];
      if (typeof pid !== 'number') continue;
      if (line.msg === 'worker started') live.add(pid);
      // A worker the watchdog replaced was detached from its slot first, so its end is logged
      // as `unresponsive worker killed`, not `worker exited`.
      else if (line.msg === 'worker exited' || line.msg === 'unresponsive worker killed') live.delete(pid);
    }
    return [...live];
  }

  /** Call `listener` for every later log line; returns the function that unsubscribes it. */
  onLog(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The first log line at index `since` or later (default 0: already logged lines count) that
   * satisfies `predicate`. Rejects after `timeoutMs`, or if the daemon exits first.
   */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000, since = 0): Promise<LogLine> {
    for (let i = since; i < this.logs.length; i++) {
      const line = this.logs[i] as LogLine;
      if (predicate(line)) return Promise.resolve(line);
    }
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        unsubscribe();
        this.child.off('close', onExit);
      };
      const unsubscribe = this.onLog((line) => {
        if (!predicate(line)) return;
        done();
        resolve(line);
      });
      const onExit = (): void => {
        done();
        reject(new Error(`the daemon exited before the awaited log line\n${this.describe()}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching log line within ${timeoutMs} ms\n${this.describe()}`));
      }, timeoutMs);
      if (this.exit !== null) onExit();
      else this.child.once('close', onExit);
    });
  }

  /** The next log line (logged after this call) that satisfies `predicate`. */
  nextLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    return this.waitForLog(predicate, timeoutMs, this.logs.length);
  }

  /** Send a signal to the primary. */
  signal(signal: NodeJS.Signals): void {
    if (this.exit === null) this.child.kill(signal);
  }

  /** Resolves when the primary exits; rejects after `timeoutMs`. */
  async waitForExit(timeoutMs = 30_000): Promise<DaemonExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the daemon did not exit within ${timeoutMs} ms\n${this.describe()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * SIGTERM, then wait up to `timeoutMs` for the exit; past that, SIGKILL the primary and every
   * worker it reported, so a failing test never leaks processes. Returns how it ended.
   */
  async stop(timeoutMs = 30_000): Promise<DaemonExit> {
    if (this.exit !== null) return this.exit;
    this.signal('SIGTERM');
    try {
      return await this.waitForExit(timeoutMs);
    } catch {
      for (const pid of this.liveWorkerPids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      this.child.kill('SIGKILL');
      return this.exited;
    }
  }

  /** The last log lines and stderr, for assertion messages. */
  describe(): string {
    const tail = this.logs.slice(-20).map((l) => JSON.stringify(l));
    return `last log lines:\n${tail.join('\n')}\noutput:\n${this.output.slice(-4_000)}`;
  }

  private onLine(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      this.output += `${text}\n`;
      return;
    }
    if (typeof line !== 'object' || line === null || typeof line.msg !== 'string') {
      this.output += `${text}\n`;
      return;
    }
    this.logs.push(line);
    for (const listener of [...this.listeners]) listener(line);
  }
}
