import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Fleet } from '@weir/cluster/primary';
import { validateConfig, type WeirConfig } from '@weir/config';
import { ApplyManager, FileProvider, type ConfigSource } from '@weir/controlplane';
import { toErrorJSON } from '@weir/errors';
import { createLogger, type Logger } from '@weir/obs';
import { configDefaults } from '@weir/runtime';
import { runCheck } from './check-command';
import { HELP_TEXT, parseCliArgs, type CliOptions } from './cli-args';
import { DEFAULT_CONFIG } from './default-config';
import { exitAfterFlush } from './exit-after-flush';
import { envLogLevel } from './log-level';
import { readVersion } from './version';

/**
 * The primary process: command line, then the control plane (file provider, apply manager)
 * driving the fleet of workers. It never serves proxy traffic and never loads the data plane.
 */
export async function runPrimary(argv: readonly string[]): Promise<void> {
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

/** Log an error that refused a config, in the shape of the `config rejected` contract. */
function logRejected(logger: Logger, source: ConfigSource, err: unknown): void {
  const json = toErrorJSON(err);
  const fields = { source, code: json.code, message: json.message };
  logger.error(json.details === undefined ? fields : { ...fields, details: json.details }, 'config rejected');
}

function resolveWorkers(configured: WeirConfig['workers']): number {
  return configured === undefined || configured === 'auto' ? availableParallelism() : configured;
}

async function serve(options: CliOptions): Promise<void> {
  const forcedLevel = envLogLevel(process.env);
  const logger = createLogger({ level: forcedLevel ?? 'info', name: 'weir-primary' });
  const provider = options.configPath === null ? null : new FileProvider(options.configPath);
  const source: ConfigSource = provider === null ? 'default' : 'file';

  let initial: unknown;
  try {
    initial = provider === null ? DEFAULT_CONFIG : await provider.load();
  } catch (err) {
    logRejected(logger, source, err);
    logger.fatal({ code: toErrorJSON(err).code }, 'cannot start: the config file cannot be loaded');
    exitAfterFlush(logger, 1);
    return;
  }
  // Validated here too (the apply manager validates again) because the worker count must be
  // known before forking, and an invalid config should fail before any process is started.
  const check = validateConfig(initial);
  if (!check.ok) {
    logRejected(logger, source, check.error);
    logger.fatal({ code: check.error.code }, 'cannot start: the config is invalid');
    exitAfterFlush(logger, 1);
    return;
  }
  if (forcedLevel === null) logger.level = check.config.logging?.level ?? configDefaults.logging.level;
  const workers = options.workers ?? resolveWorkers(check.config.workers);
  logger.info(
    provider === null ? { workers, configSource: source } : { workers, configSource: source, configPath: provider.path },
    'weir starting',
  );

  const fleet = new Fleet({ workers, logger, exec: path.join(__dirname, 'main.js') });
  const manager = new ApplyManager({ fleet, logger });
  let stopping = false;
  /** False until the initial config is applied; a SIGHUP before that is deferred. */
  let started = false;
  let reloadDeferred = false;

  const applyLogLevel = (config: WeirConfig): void => {
    if (forcedLevel === null) logger.level = config.logging?.level ?? configDefaults.logging.level;
  };

  const shutdown = async (signal: NodeJS.Signals | null, code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
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
    if (provider === null) {
      logger.warn({}, 'SIGHUP ignored: serving the embedded default config (start with --config FILE to reload a file)');
      return;
    }
    let next: unknown;
    try {
      next = await provider.load();
    } catch (err) {
      logRejected(logger, 'file', err);
      return;
    }
    try {
      const outcome = await manager.apply(next, 'file');
      const config = manager.current?.config;
      if (outcome.changed && config !== undefined) {
        applyLogLevel(config);
        if (options.workers === null && resolveWorkers(config.workers) !== workers) {
          logger.warn({ workers, configured: config.workers }, 'a change of "workers" takes effect at the next start');
        }
      }
    } catch {
      // Already logged as `config rejected` by the apply manager; the running config stays.
    }
  };

  // Installed before forking so a signal during start-up is handled (SIGHUP's default would
  // terminate the process).
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGHUP', () => void reload());

  await fleet.start();
  if (stopping) return;
  try {
    await manager.apply(check.config, source);
  } catch (err) {
    if (stopping) return;
    // Logged as `config rejected`; say plainly that Weir is giving up.
    logger.fatal({ code: toErrorJSON(err).code }, 'cannot start: the workers did not accept the config');
    await shutdown(null, 1);
    return;
  }
  started = true;
  if (reloadDeferred) void reload();
  // Once, when every worker serves the committed version (a worker that crashed meanwhile is
  // restarted and synced first). A SIGHUP in between is fine: the wait follows the version.
  if (!(await fleet.whenServing())) return;
  const current = manager.current;
  logger.info({ version: current?.spec.version ?? null, workers, listeners: current?.listeners ?? [] }, 'weir ready');
}
