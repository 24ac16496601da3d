import type { CachePurger, FleetView, MetricsSource, RolloutService, VersionHistory } from '@weir/controlplane';
import { AdminServer, BootstrapToken, type ApplyManager } from '@weir/controlplane';
import { WeirError } from '@weir/errors';
import type { Logger } from '@weir/obs';
import { resolveAdminListen } from './admin-listen';

/** What {@link startAdminServer} wires together. */
export interface StartAdminOptions {
  readonly manager: ApplyManager;
  /** The rollout manager behind the `/admin/rollouts` endpoints. */
  readonly rollouts: RolloutService;
  readonly history: VersionHistory;
  /** The workers: their status, and the purges of their response caches (`Fleet`). */
  readonly fleet: FleetView & CachePurger;
  readonly metrics: MetricsSource;
  readonly logger: Logger;
  /** The state directory, for the generated admin token. */
  readonly stateDir: string;
  readonly weirVersion: string;
  readonly env: NodeJS.ProcessEnv;
  /** The bundle puller's status for `GET /admin/status` (null without a puller). */
  readonly pull?: () => object | null;
  /** The JWKS fetch state for `GET /admin/status` (`jwks`). */
  readonly jwks?: () => readonly object[];
}

/**
 * Start the admin API for the committed config (call it after the first apply): resolve where to
 * listen (`WEIR_ADMIN_LISTEN`, else `admin.listen`), make the generated admin token available
 * for when the config lists no tokens, and bind. Resolves null when the admin API is off.
 *
 * @throws WeirError WEIR_ERR_LISTEN when `WEIR_ADMIN_LISTEN` is malformed or the address cannot
 *   be bound: a daemon whose operators cannot reach it should not start half-way.
 */
export async function startAdminServer(options: StartAdminOptions): Promise<AdminServer | null> {
  const resolved = resolveAdminListen(options.manager.current?.config.admin, options.env);
  if (!resolved.ok) throw new WeirError('WEIR_ERR_LISTEN', resolved.error);
  // Not a pino child: children keep the level they were created with, and the primary changes
  // its logger's level when a config with another logging.level is committed.
  const logger = options.logger;
  if (resolved.listen === null) {
    logger.info({}, 'admin api disabled');
    return null;
  }
  const bootstrap = new BootstrapToken({ stateDir: options.stateDir, logger });
  const server = new AdminServer({
    applier: options.manager,
    history: options.history,
    fleet: options.fleet,
    metrics: options.metrics,
    logger,
    listen: resolved.listen,
    weirVersion: options.weirVersion,
    fallbackToken: () => bootstrap.ensure(),
    rollouts: options.rollouts,
    cache: options.fleet,
    ...(options.pull === undefined ? {} : { pull: options.pull }),
    ...(options.jwks === undefined ? {} : { jwks: options.jwks }),
  });
  await server.listen();
  return server;
}
