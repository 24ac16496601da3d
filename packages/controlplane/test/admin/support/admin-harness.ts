import * as http from 'node:http';
import type { AdminTokenConfig, WeirConfig } from '@weir/config';
import type { WorkerStats, WorkerStatus } from '@weir/cluster/primary';
import { AdminServer, type AdminServerOptions, type FleetView, type MetricsSource, type VersionHistory } from '../../../src/admin/index';
import { hashToken } from '../../../src/admin/token-hash';
import { ApplyManager, InlineSpecBuilder } from '../../../src/apply/index';
import { RolloutManager } from '../../../src/rollout/index';
import type { StoredVersion, VersionSummary } from '../../../src/state/index';
import { FakeFleet } from '../../apply/fake-fleet';
import { CapturedLog } from '../../support/captured-log';

/** A bearer token per scope, and their config entries. */
export const TOKENS = {
  reader: 'weir_reader-token-0000000000000000000000000000000000',
  writer: 'weir_writer-token-0000000000000000000000000000000000',
  roller: 'weir_roller-token-0000000000000000000000000000000000',
  admin: 'weir_admin-token-00000000000000000000000000000000000',
} as const;

export const TOKEN_ENTRIES: readonly AdminTokenConfig[] = [
  { name: 'reader', hash: hashToken(TOKENS.reader), scopes: ['read'] },
  { name: 'writer', hash: hashToken(TOKENS.writer), scopes: ['read', 'write'] },
  { name: 'roller', hash: hashToken(TOKENS.roller), scopes: ['rollout'] },
  { name: 'ops', hash: hashToken(TOKENS.admin), scopes: ['admin'] },
];

/** A valid config answering `body` on every path; the admin section carries the test tokens. */
export function configWith(body: string, admin: WeirConfig['admin'] = { tokens: TOKEN_ENTRIES }): WeirConfig {
  return {
    workers: 2,
    listeners: [{ name: 'main', address: '127.0.0.1', port: 0 }],
    routes: [{ name: 'hello', directResponse: { status: 200, body } }],
    admin,
  };
}

/** Kept versions in memory, newest last, filled by the apply manager's commit hook. */
export class MemoryHistory implements VersionHistory {
  readonly versions: StoredVersion[] = [];

  list(): VersionSummary[] {
    return this.versions
      .slice()
      .reverse()
      .map(({ id, version, hash, source, principal, committedAt }, i) => ({ id, version, hash, source, principal, committedAt, current: i === 0 }));
  }

  async get(id: string): Promise<StoredVersion | null> {
    return this.versions.find((v) => v.id === id) ?? null;
  }
}

/** Two ready workers, with in-flight counts from the second only (the first "does not answer"). */
export class FakeFleetView implements FleetView {
  version = 'v-none';
  status(): WorkerStatus[] {
    return [
      { index: 0, pid: 101, state: 'ready', version: this.version, restarts: 0, uptimeMs: 1000 },
      { index: 1, pid: 102, state: 'ready', version: this.version, restarts: 2, uptimeMs: 500 },
    ];
  }
  async stats(): Promise<WorkerStats[]> {
    return [{ index: 1, pid: 102, version: this.version, inFlight: 3, candidateVersion: null, candidatePercent: 0 }];
  }
}

/** A clock the test moves. */
export class ManualClock {
  ms = 0;
  now(): number {
    return this.ms;
  }
}

/** A parsed response. */
export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  readonly json: any;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Raw body text, sent as is. */
  readonly raw?: string | Buffer;
  readonly headers?: http.OutgoingHttpHeaders;
}

/**
 * A real AdminServer on 127.0.0.1 port 0 over a real ApplyManager (inline builds) and a fake
 * fleet: everything but the worker processes.
 */
export class AdminHarness {
  readonly log = new CapturedLog();
  readonly fleet = new FakeFleet();
  readonly fleetView = new FakeFleetView();
  readonly history = new MemoryHistory();
  readonly clock = new ManualClock();
  readonly manager: ApplyManager;
  /** A real rollout manager over the fake fleet, with no traffic (its analysis never decides). */
  readonly rollouts: RolloutManager;
  server!: AdminServer;
  /** Calls of `manager.apply` so far (the admin API's and the test's). */
  applyCalls = 0;
  private nextId = 0;
  private applyWaiters: { count: number; resolve: () => void }[] = [];

  private constructor() {
    this.manager = new ApplyManager({
      fleet: this.fleet,
      logger: this.log.logger,
      builder: new InlineSpecBuilder(),
      onCommitted: ({ applied }) => {
        this.fleetView.version = applied.spec.version;
        this.history.versions.push({
          id: String(++this.nextId),
          version: applied.spec.version,
          hash: applied.spec.hash,
          source: applied.source,
          principal: applied.principal,
          committedAt: new Date(0).toISOString(),
          file: null,
          config: applied.config,
        });
      },
    });
    this.rollouts = new RolloutManager({
      applier: this.manager,
      fleet: this.fleet,
      metrics: async () => [],
      persistence: { load: async () => [], save: async () => undefined },
      logger: this.log.logger,
      tickMs: 0,
    });
    const apply = this.manager.apply.bind(this.manager);
    this.manager.apply = (...args) => {
      this.applyCalls += 1;
      for (const waiter of this.applyWaiters.filter((w) => w.count <= this.applyCalls)) waiter.resolve();
      this.applyWaiters = this.applyWaiters.filter((w) => w.count > this.applyCalls);
      return apply(...args);
    };
  }

  /** Resolves once `manager.apply` has been called `count` times in all. */
  appliesStarted(count: number): Promise<void> {
    if (this.applyCalls >= count) return Promise.resolve();
    return new Promise((resolve) => this.applyWaiters.push({ count, resolve }));
  }

  /** Apply `initial` as the file would, then start the server. */
  static async start(initial: WeirConfig = configWith('one'), options: Partial<AdminServerOptions> & { metrics?: MetricsSource } = {}): Promise<AdminHarness> {
    const harness = new AdminHarness();
    await harness.manager.apply(initial, 'file');
    harness.server = new AdminServer({
      applier: harness.manager,
      history: harness.history,
      fleet: harness.fleetView,
      logger: harness.log.logger,
      listen: { address: '127.0.0.1', port: 0 },
      weirVersion: '9.9.9',
      rateLimit: { clock: harness.clock },
      rollouts: harness.rollouts,
      ...options,
    });
    await harness.server.listen();
    return harness;
  }

  get port(): number {
    return this.server.address?.port ?? 0;
  }

  /** The running version. */
  get version(): string {
    return this.manager.current?.spec.version ?? '';
  }

  /** One request on a fresh connection; JSON bodies get content-type application/json. */
  call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: http.OutgoingHttpHeaders = { host: `127.0.0.1:${this.port}` };
    let payload: string | Buffer | undefined = options.raw;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    Object.assign(headers, options.headers ?? {});
    return new Promise<Answer>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  async close(): Promise<void> {
    await this.server?.close();
    await this.manager.close();
  }
}
