import type { CachePurgeResult, CachePurgeTarget, WorkerRef } from '@weir/cluster/primary';
import { WeirError, isWeirError } from '@weir/errors';
import type { CachePurger, ConfigApplier } from './admin-deps';
import type { AdminReply } from './admin-reply';
import type { AuditLog, CachePurgeAuditEntry } from './audit-log';
import type { ChangeContext } from './config-api';

/** How long a purge waits for every worker's acknowledgement before answering 504. */
export const PURGE_TIMEOUT_MS = 5_000;

/** A purge request, checked. */
interface PurgeRequest {
  readonly route: string;
  readonly target: CachePurgeTarget;
}

/**
 * `POST /admin/cache/purge` (issue 10): remove a route's cached responses on every worker, by
 * exact key or by prefix. The route must have a `cache` in the running config. The answer
 * comes once every worker acknowledged, with what each removed; a worker that stays silent past
 * the timeout makes it a 504 WEIR_ERR_CACHE_PURGE_TIMEOUT naming it (the others did purge, so
 * the purge may be partial; repeating it is safe). Every attempt is audit-logged.
 */
export class CacheApi {
  constructor(
    private readonly applier: ConfigApplier,
    private readonly purger: CachePurger | null,
    private readonly audit: AuditLog,
    private readonly timeoutMs: number = PURGE_TIMEOUT_MS,
  ) {}

  async purge(body: unknown, context: Pick<ChangeContext, 'principal' | 'remoteAddress'>): Promise<AdminReply> {
    const base = { action: 'purge-cache' as const, principal: context.principal.name, remoteAddress: context.remoteAddress };
    let request: PurgeRequest | null = null;
    let result: CachePurgeResult;
    try {
      request = purgeRequest(body);
      this.checkRoute(request.route);
      if (this.purger === null) throw new WeirError('WEIR_ERR_ADMIN_NOT_FOUND', 'this process has no workers whose caches it could purge');
      result = await this.purger.purgeCache(request.route, request.target, this.timeoutMs);
    } catch (err) {
      const code = isWeirError(err) ? err.code : 'WEIR_ERR_INTERNAL';
      this.audit.record({ ...base, ...described(request), outcome: 'rejected', code });
      throw err;
    }
    const what = described(request);
    const purged = result.workers.reduce((sum, w) => sum + w.purged, 0);
    if (result.missing.length !== 0) {
      const entry: CachePurgeAuditEntry = {
        ...base,
        ...what,
        outcome: 'partial',
        purged,
        missingWorkers: result.missing.map((w) => w.pid),
        code: 'WEIR_ERR_CACHE_PURGE_TIMEOUT',
      };
      this.audit.record(entry);
      const answered = result.workers.length === 0 ? 'no worker acknowledged' : `${names(result.workers)} acknowledged, ${purged} ${purged === 1 ? 'entry' : 'entries'} removed`;
      throw new WeirError(
        'WEIR_ERR_CACHE_PURGE_TIMEOUT',
        `${names(result.missing)} did not acknowledge the purge of route "${request.route}" within ${this.timeoutMs} ms, so the purge may be partial (${answered}); repeating it is safe`,
      );
    }
    this.audit.record({ ...base, ...what, outcome: 'purged', purged });
    return {
      status: 200,
      body: {
        route: request.route,
        ...('key' in request.target ? { key: request.target.key } : { prefix: request.target.prefix }),
        purged,
        workers: result.workers.map((w) => ({ index: w.index, pid: w.pid, purged: w.purged })),
        exited: result.exited.map((w) => ({ index: w.index, pid: w.pid })),
      },
    };
  }

  /** The route must exist in the running config and have a cache. */
  private checkRoute(name: string): void {
    const running = this.applier.current;
    if (running === null) throw new WeirError('WEIR_ERR_NO_WORKERS', 'no config has been applied yet');
    const route = running.spec.routes.find((r) => r.name === name);
    if (route === undefined) throw new WeirError('WEIR_ERR_ADMIN_CACHE_ROUTE_NOT_FOUND', `the running config has no route named "${name}"`);
    if (route.action.kind !== 'forward' || route.action.cache === null) {
      throw new WeirError('WEIR_ERR_ADMIN_CACHE_ROUTE_NOT_FOUND', `route "${name}" of the running config has no cache`);
    }
  }
}

/** "workers 0 (pid 101), 1 (pid 102)". */
function names(workers: readonly WorkerRef[]): string {
  return `${workers.length === 1 ? 'worker' : 'workers'} ${workers.map((w) => `${w.index} (pid ${w.pid})`).join(', ')}`;
}

/** The audit fields naming what was asked. */
function described(request: PurgeRequest | null): Pick<CachePurgeAuditEntry, 'route' | 'key' | 'prefix'> {
  if (request === null) return { route: null };
  return 'key' in request.target ? { route: request.route, key: request.target.key } : { route: request.route, prefix: request.target.prefix };
}

const URL_START = /^https?:\/\//;

/**
 * `{"route", "key"}` or `{"route", "prefix"}`: exactly one of key and prefix, each an absolute
 * `http://` or `https://` URL (or the start of one), as the cache keys entries.
 *
 * @throws WeirError WEIR_ERR_BAD_REQUEST for any other shape.
 */
function purgeRequest(body: unknown): PurgeRequest {
  const shape = 'the purge body must be {"route": NAME, "key": "http://host/path?query"} or {"route": NAME, "prefix": "http://host/path"}';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WeirError('WEIR_ERR_BAD_REQUEST', shape);
  const record = body as Readonly<Record<string, unknown>>;
  const extra = Object.keys(record).filter((k) => k !== 'route' && k !== 'key' && k !== 'prefix');
  if (extra.length !== 0) throw new WeirError('WEIR_ERR_BAD_REQUEST', `${shape}; unknown field "${extra[0] as string}"`, { pointer: `/${extra[0] as string}` });
  const route = record['route'];
  if (typeof route !== 'string' || route === '') throw new WeirError('WEIR_ERR_BAD_REQUEST', `${shape}; "route" must be a route name`, { pointer: '/route' });
  const key = record['key'];
  const prefix = record['prefix'];
  if ((key === undefined) === (prefix === undefined)) throw new WeirError('WEIR_ERR_BAD_REQUEST', `${shape}; give exactly one of "key" and "prefix"`);
  const field = key !== undefined ? 'key' : 'prefix';
  const value = key ?? prefix;
  if (typeof value !== 'string' || !URL_START.test(value)) {
    throw new WeirError('WEIR_ERR_BAD_REQUEST', `"${field}" must be a URL starting with http:// or https://, as the cache keys responses`, { pointer: `/${field}` });
  }
  return { route, target: field === 'key' ? { key: value } : { prefix: value } };
}
