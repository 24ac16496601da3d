import { LeaseChannel, WorkerAgent, processPort, tlsTicketSecret, workerCount } from '@weir/cluster/worker';
import { DataPlane } from '@weir/dataplane';
import { AccessLog, createDataplaneMetrics, createLogger, metricsToJSON } from '@weir/obs';
import { exitAfterFlush } from './exit-after-flush';
import { envLogLevel } from './log-level';

/**
 * A worker process: the data plane behind the cluster agent. It opens no listener until the
 * primary's first prepare, so it never accepts a connection without a snapshot.
 *
 * Its import closure must not reach the control plane, the config package, ajv, piscina or
 * tweetnacl (tools/archcheck checks it): workers consume the spec, never the config.
 */
export function runWorker(): void {
  const forcedLevel = envLogLevel(process.env);
  const index = Number(process.env['WEIR_WORKER_INDEX'] ?? '0');
  const logger = createLogger({ level: forcedLevel ?? 'info', name: 'weir-worker', base: { worker: index } });
  const metrics = createDataplaneMetrics();
  const ticketSecret = tlsTicketSecret(process.env);
  const port = processPort();
  // Rate-limit tokens are leased from the primary over the same IPC channel (issue 9).
  const leases = new LeaseChannel(port);
  const dataPlane = new DataPlane({
    logger,
    metrics,
    leases,
    workers: workerCount(process.env),
    ...(ticketSecret === null ? {} : { tlsTicketSecret: ticketSecret }),
    // Opened when a committed spec enables `logging.accessLog`; a failing write never fails a
    // request, it is reported here.
    openAccessLog: (path) => new AccessLog({ path, onError: (err) => logger.warn({ err, path }, 'access log write failed') }),
  });
  const agent = new WorkerAgent({
    sink: dataPlane,
    port,
    leases,
    logger,
    exit: (code) => exitAfterFlush(logger, code),
    // The primary's aggregated /metrics scrapes every worker over IPC (MetricsAggregator).
    metrics: () => metricsToJSON(metrics.registry),
    onCommit: (spec) => {
      if (forcedLevel === null) logger.level = spec.logging.level;
    },
  });
  // systemd sends SIGTERM to the whole control group and Ctrl-C sends SIGINT to the whole
  // process group: drain as if the primary asked (the agent drains once whoever asks first).
  process.on('SIGTERM', () => agent.requestDrain());
  process.on('SIGINT', () => agent.requestDrain());
  // Reloads are the primary's job; a terminal hang-up must not kill a worker mid-request.
  process.on('SIGHUP', () => undefined);
  if (process.env['WEIR_TEST_HOOKS'] === 'block-on-sigusr2') installBlockHook();
  agent.start();
}

/**
 * Test hook, off unless the environment says `WEIR_TEST_HOOKS=block-on-sigusr2`: SIGUSR2 blocks
 * this worker's event loop for up to two minutes, as a pathological input or a bug would, so the
 * end-to-end tests can show the primary's watchdog replacing a stuck worker.
 */
function installBlockHook(): void {
  process.on('SIGUSR2', () => {
    const until = Date.now() + 120_000;
    while (Date.now() < until) {
      // Busy on purpose: nothing else runs on this event loop.
    }
  });
}
