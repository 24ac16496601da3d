import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Fleet, MetricsAggregator } from '@weir/cluster/primary';
import type { WeirConfig } from '@weir/config';
import {
  ApplyManager,
  ControlTracer,
  FileProvider,
  HealthChecker,
  PulledBundleFile,
  RolloutHistoryFile,
  RolloutManager,
  StateStore,
  contentHash,
  resolveStateDir,
  type AdminServer,
  type CommittedApply,
  type StateLoad,
} from '@weir/controlplane';
import { WeirError, isWeirError, toErrorJSON } from '@weir/errors';
import { ControlPlaneMetrics, HealthCheckMetrics, createLogger, type BundleReading, type Logger } from '@weir/obs';
import { configDefaults } from '@weir/runtime';
import { runCheck } from './check-command';
import { HELP_TEXT, parseCliArgs, type CliOptions } from './cli-args';
import { BundlePulling } from './bundle-pulling';
import { DEFAULT_CONFIG } from './default-config';
import { EdgePolicyHost } from './edge-policy-host';
import { exitAfterFlush } from './exit-after-flush';
import { FileReloader } from './file-reloader';
import { envLogLevel } from './log-level';
import { logRejected } from './log-rejected';
import { bundleAtStart } from './startup-bundle';
import { checkStartupConfig, chooseStartupConfig, type FileAtStart } from './startup-config';
import { startAdminServer } from './start-admin-server';
import { runTokenCommand } from './token-command';
import { readVersion } from './version';

/**
 * The primary process: command line, then the control plane (file provider, apply manager)
 * driving the fleet of workers. It never serves proxy traffic and never loads the data plane.
 */
export async function runPrimary(argv: readonly string[]): Promise<void> {
  if (argv[0] === 'token') {
    const result = runTokenCommand(argv.slice(1));
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
    return;
  }
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`weir: ${parsed.error}\nRun "weir --help" for usage.\n`);
    process.exitCode = 2;
    return;
  }
  const options = parsed.options;
  if (options.help) {
    process.stdout.write(HELP_TEXT);
    return;
  }
  if (options.version) {
    process.stdout.write(`weir ${readVersion()}\n`);
    return;
  }
  if (options.check) {
    process.exitCode = await runCheck(options.configPath, DEFAULT_CONFIG);
    return;
  }
  await serve(options);
}

/** How long the primary's last spans may take to reach the collector at shutdown (as the workers'). */
const TRACE_CLOSE_TIMEOUT_MS = 2_000;

function resolveWorkers(configured: WeirConfig['workers']): number {
  return configured === undefined || configured === 'auto' ? availableParallelism() : configured;
}

function asWeirError(err: unknown): WeirError {
  return isWeirError(err) ? err : new WeirError('WEIR_ERR_INTERNAL', 'reading the config file failed unexpectedly', { cause: err });
}

/** The fatal line when the start-up config cannot be applied, naming the real cause. */
function startFailure(code: string): string {
  if (code === 'WEIR_ERR_CONFIG_INVALID' || code === 'WEIR_ERR_CONFIG_PARSE') return 'cannot start: the config is invalid';
  if (code.startsWith('WEIR_ERR_APPLY_') || code === 'WEIR_ERR_NO_WORKERS') return 'cannot start: the workers did not accept the config';
  return 'cannot start: the config could not be applied';
}

/** Read and validate the config file once, at start; never throws. */
async function readAtStart(provider: FileProvider): Promise<FileAtStart> {
  let bytes: Buffer;
  try {
    bytes = await provider.readBytes();
  } catch (err) {
    return { ok: false, error: asWeirError(err), hash: null };
  }
  const hash = contentHash(bytes);
  try {
    const check = checkStartupConfig(provider.parse(bytes));
    return check.ok ? { ok: true, config: check.config, hash } : { ok: false, error: check.error, hash };
  } catch (err) {
    return { ok: false, error: asWeirError(err), hash };
  }
}

async function serve(options: CliOptions): Promise<void> {
  const forcedLevel = envLogLevel(process.env);
  const logger = createLogger({ level: forcedLevel ?? 'info', name: 'weir-primary' });
  const provider = options.configPath === null ? null : new FileProvider(options.configPath);

  // The file is read before the state directory is opened: its `state.dir` says where that is.
  const file = provider === null ? null : await readAtStart(provider);
  const fileConfig = file !== null && file.ok ? file.config : null;
  const stateDir = resolveStateDir(options.stateDir ?? fileConfig?.state?.dir);
  let store: StateStore;
  let state: StateLoad;
  try {
    store = await StateStore.open(stateDir.dir, {
      historySize: fileConfig?.state?.historySize ?? configDefaults.state.historySize,
      logger,
    });
    state = await store.load();
  } catch (err) {
    logger.fatal({ err, code: toErrorJSON(err).code, stateDir: stateDir.dir, origin: stateDir.origin }, 'cannot start: the state directory cannot be used');
    exitAfterFlush(logger, 1);
    return;
  }
  for (const problem of state.problems) {
    logger.warn({ file: problem.file, fault: problem.fault, message: problem.message }, 'state version skipped');
  }

  // Which config to start with: the start-up rule of operations.md (startup-config.ts).
  const choice = chooseStartupConfig({ path: provider?.path ?? null, file, state, defaultConfig: DEFAULT_CONFIG });
  for (const passed of choice.passedOver) logRejected(logger, passed.source, passed.error);
  if (!choice.ok) {
    const first = choice.passedOver[0];
    logger.fatal({ code: first === undefined ? 'WEIR_ERR_CONFIG_INVALID' : toErrorJSON(first.error).code }, `cannot start: ${choice.reason}`);
    exitAfterFlush(logger, 1);
    return;
  }
  const stored = choice.stored;
  // The bundle row of the start-up rule: a config file with `pull` is a bootstrap when the state
  // directory keeps a bundle that still verifies (startup-bundle.ts).
  const pulledFile = new PulledBundleFile(store.dir);
  const held = await pulledFile.load();
  const fromBundle = bundleAtStart(choice.from, choice.config, held, { now: Date.now() });
  if (!fromBundle.serve && fromBundle.error !== null) {
    logger.warn({ code: fromBundle.error.code, message: fromBundle.error.message, revision: held?.revision ?? null }, 'kept bundle not served at start');
  }
  logger.info(
    {
      from: fromBundle.serve ? 'bundle' : choice.from,
      reason: fromBundle.serve ? `the config file has a pull section and the kept bundle (revision ${fromBundle.revision}) verifies; the file's other sections are a bootstrap` : choice.reason,
      path: provider?.path ?? null,
      stateDir: store.dir,
      stateDirOrigin: stateDir.origin,
      id: stored?.id ?? null,
      version: stored?.version ?? null,
      committedSource: stored?.source ?? null,
      committedAt: stored?.committedAt ?? null,
    },
    'config source',
  );
  if (forcedLevel === null) logger.level = choice.config.logging?.level ?? configDefaults.logging.level;
  const workers = options.workers ?? resolveWorkers(choice.config.workers);
  logger.info(
    provider === null ? { workers, configSource: choice.from } : { workers, configSource: choice.from, configPath: provider.path },
    'weir starting',
  );

  /** Set once the rollout manager exists; the rollout gauges read it at scrape time. */
  let rollouts: RolloutManager | null = null;
  /** Set once the puller exists; the bundle gauges read it at scrape time. */
  let bundleReading: () => BundleReading = () => ({ revision: null, lastSuccessMs: null });
  const metrics: ControlPlaneMetrics = new ControlPlaneMetrics({
    rollout: () => rollouts?.reading() ?? { state: 'none', percent: 0 },
    bundle: () => bundleReading(),
    fleet: () => {
      const rows = fleet.status();
      let restarts = 0;
      for (const row of rows) restarts += row.restarts;
      return { states: rows.map((r) => r.state), restarts, watchdogReplacements: fleet.watchdogReplacements };
    },
  });
  /** Rate-limit leases for the workers and JWKS keys for their jwt plugins (issue 9). */
  const edgePolicy: EdgePolicyHost = new EdgePolicyHost({ logger, metrics, publishJwks: (url, jwks) => fleet.publishJwks(url, jwks) });
  const fleet: Fleet = new Fleet({ workers, logger, exec: path.join(__dirname, 'main.js'), leases: edgePolicy.leases });
  /** The source of the admin API's GET /metrics: every worker's metrics aggregated, then the primary's own. */
  const aggregator = new MetricsAggregator({ fleet, registries: [metrics.registry] });
  /** Active health checks, once for the whole host (issue 4); the fleet forwards results to workers. */
  const health = new HealthChecker({ publisher: fleet, logger, metrics: new HealthCheckMetrics(metrics.registry) });
  /** The primary's own spans (issue 18): applies, rollouts, bundle pulls; follows `tracing`. */
  const tracer = new ControlTracer({ logger });
  /** Set once the apply manager exists; the puller applies through it. */
  let applyManager: ApplyManager | null = null;
  /** The bundle puller, following the committed config's `pull` section (issue 12). */
  const pulling = new BundlePulling({
    file: pulledFile,
    held,
    logger,
    puller: {
      applier: { apply: (config, source, opts) => (applyManager as ApplyManager).apply(config, source, opts) },
      rollouts: { start: (body, principal) => (rollouts as RolloutManager).start(body, principal) },
      onPoll: (outcome) => metrics.bundlePulled(outcome),
      onRejected: (code) => metrics.bundleRejected(code),
      tracer,
    },
  });
  bundleReading = () => pulling.reading();

  /** After every commit, whatever its source: persist it, then follow its process settings. */
  const committed = async ({ applied, file: mark }: CommittedApply): Promise<void> => {
    const config = applied.config;
    // Checked endpoints follow every committed spec; unchanged ones keep their health.
    health.reconcile(applied.spec);
    tracer.configure(applied.spec.tracing);
    pulling.follow(config);
    edgePolicy.follow(config);
    fleet.setWatchdog(config.server?.watchdogTimeoutMs ?? configDefaults.server.watchdogTimeoutMs);
    if (forcedLevel === null) logger.level = config.logging?.level ?? configDefaults.logging.level;
    if (started && options.workers === null && resolveWorkers(config.workers) !== workers) {
      logger.warn({ workers, configured: config.workers }, 'a change of "workers" takes effect at the next start');
    }
    // The version read back at start is already the newest in the history.
    if (applied.source === 'state') return;
    store.historySize = config.state?.historySize ?? configDefaults.state.historySize;
    const version = await store.record({
      config,
      spec: { version: applied.spec.version, hash: applied.spec.hash },
      source: applied.source,
      principal: applied.principal,
      ...(mark === undefined ? {} : { file: mark }),
    });
    logger.info({ id: version.id, version: version.version, source: version.source }, 'config recorded');
  };
  const manager = new ApplyManager({
    fleet,
    logger,
    onCommitted: committed,
    onFinished: (event) => metrics.applyFinished(event.source, event.outcome, event.seconds),
    tracer,
  });
  applyManager = manager;
  manager.setCompose((config, source) => pulling.compose(config, source));
  rollouts = new RolloutManager({
    applier: manager,
    fleet,
    metrics: () => aggregator.families(),
    persistence: new RolloutHistoryFile(store.dir),
    logger,
    onTransition: (event) => metrics.rolloutTransition(event),
    tracer,
  });
  const rolloutManager = rollouts;
  const reloader =
    provider === null
      ? null
      : new FileReloader({
          provider,
          applier: manager,
          logger,
          rejected: (code) => metrics.fileRejected(code),
          watch: options.watch,
          initialHash: file?.hash ?? null,
        });
  let stopping = false;
  /** The admin API, once started (after the first apply); closed first on shutdown. */
  let admin: AdminServer | null = null;
  /** False until the initial config is applied; a SIGHUP before that is deferred. */
  let started = false;
  let reloadDeferred = false;

  const shutdown = async (signal: NodeJS.Signals | null, code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    reloader?.close();
    // No config change may start once draining has begun.
    await pulling.stop();
    await admin?.close();
    rolloutManager.close();
    health.close();
    await edgePolicy.close();
    const timeoutMs = manager.current?.spec.server.drainTimeoutMs ?? configDefaults.server.drainTimeoutMs;
    logger.info({ timeoutMs, signal }, 'draining');
    try {
      await fleet.drain(timeoutMs);
      await manager.close();
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      exitAfterFlush(logger, 1);
      return;
    }
    // Last, so the spans of the shutdown's own steps (an interrupted rollout) go out too.
    await tracer.close(TRACE_CLOSE_TIMEOUT_MS);
    logger.info({}, 'stopped');
    exitAfterFlush(logger, code);
  };

  const reload = async (): Promise<void> => {
    if (stopping) return;
    if (!started) {
      // Applying the file before the initial config would let the start-up apply overwrite it.
      reloadDeferred = true;
      return;
    }
    if (reloader === null) {
      logger.warn({}, 'SIGHUP ignored: no config file (start with --config FILE to reload a file)');
      return;
    }
    await reloader.reload();
  };

  // Installed before forking so a signal during start-up is handled (SIGHUP's default would
  // terminate the process).
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGHUP', () => void reload());

  await fleet.start();
  if (stopping) return;
  try {
    if (fromBundle.serve) {
      await manager.apply(fromBundle.config, 'bundle', choice.file === null ? {} : { file: choice.file });
    } else if (choice.from === 'state' && stored !== null) {
      // Under its stored version id, so ETags and dashboards keep naming it the same.
      await manager.apply(choice.config, 'state', { version: stored.version });
    } else {
      await manager.apply(choice.config, choice.from, choice.file === null ? {} : { file: choice.file });
    }
  } catch (err) {
    if (stopping) return;
    // Logged as `config rejected`; say plainly that Weir is giving up, and why.
    logger.fatal({ code: toErrorJSON(err).code }, startFailure(toErrorJSON(err).code));
    await shutdown(null, 1);
    return;
  }
  started = true;
  // A rollout that was live when the primary stopped is ended now: the stable version serves.
  await rolloutManager.init();
  try {
    admin = await startAdminServer({
      manager,
      rollouts: rolloutManager,
      history: store,
      fleet,
      metrics: aggregator,
      logger,
      stateDir: store.dir,
      weirVersion: readVersion(),
      env: process.env,
      pull: () => pulling.status(),
      jwks: () => edgePolicy.jwksStatus(),
    });
  } catch (err) {
    if (stopping) return;
    logger.fatal({ code: toErrorJSON(err).code, message: toErrorJSON(err).message }, 'cannot start: the admin API cannot listen');
    await shutdown(null, 1);
    return;
  }
  if (stopping) {
    // A signal arrived while the admin API was binding: shutdown ran before it existed.
    await admin?.close();
    return;
  }
  reloader?.start();
  pulling.start();
  if (reloadDeferred) void reload();
  // Once, when every worker serves the committed version (a worker that crashed meanwhile is
  // restarted and synced first). A SIGHUP in between is fine: the wait follows the version.
  if (!(await fleet.whenServing())) return;
  const current = manager.current;
  logger.info({ version: current?.spec.version ?? null, workers, listeners: current?.listeners ?? [], admin: admin?.address ?? null }, 'weir ready');
}
