import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RouteConfig, UpstreamConfig, WeirConfig } from '@weir/config';

/** Name of the one listener every end-to-end config declares. */
export const LISTENER = 'main';

export interface ProxyConfigParts {
  readonly routes: readonly RouteConfig[];
  readonly upstreams?: readonly UpstreamConfig[];
  /** Default 2 (the end-to-end setting). */
  readonly workers?: number;
  /** Default 5000: drains in tests must not wait the production 30 s. */
  readonly drainTimeoutMs?: number;
}

/**
 * A config for end-to-end tests: one listener on 127.0.0.1 port 0 (under node:cluster every
 * worker shares the one port the daemon reports in `weir ready`), 2 workers, info logs (the
 * lifecycle lines the tests wait for are at info).
 */
export function proxyConfig(parts: ProxyConfigParts): WeirConfig {
  return {
    workers: parts.workers ?? 2,
    logging: { level: 'info' },
    server: { drainTimeoutMs: parts.drainTimeoutMs ?? 5000 },
    listeners: [{ name: LISTENER, address: '127.0.0.1', port: 0 }],
    routes: parts.routes,
    upstreams: parts.upstreams ?? [],
  };
}

/** An upstream with one endpoint. */
export function upstream(name: string, address: string, timeouts?: UpstreamConfig['timeouts']): UpstreamConfig {
  return timeouts === undefined ? { name, endpoints: [{ address }] } : { name, endpoints: [{ address }], timeouts };
}

/**
 * A config file in a fresh temporary directory. `write` replaces it atomically (temp file +
 * rename) so a daemon reading it on SIGHUP never sees half a file. `remove` deletes the directory.
 */
export class ConfigFile {
  /** Absolute path of the config file. */
  readonly path: string;
  /** The temporary directory holding it (also usable as a state directory). */
  readonly dir: string;

  constructor(initial: WeirConfig | string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-e2e-'));
    this.path = path.join(this.dir, 'weir.json');
    this.write(initial);
  }

  /** Replace the file's content: a config object (as JSON) or raw text (for broken files). */
  write(content: WeirConfig | string): void {
    const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
    const tmp = `${this.path}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, this.path);
  }

  /** Delete the directory and everything in it. */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
