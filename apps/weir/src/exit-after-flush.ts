import { flushLogger, type Logger } from '@weir/obs';

/** Upper bound on waiting for the log to flush: a stuck stdout must not keep the process up. */
const FLUSH_TIMEOUT_MS = 2_000;

/**
 * Exit once the logger's asynchronous destination has written everything queued: the last
 * lines (`stopped`, a fatal reason) are the ones operators and tests read. A pipe nobody reads
 * would never drain, so the wait is bounded (pino's exit hook then flushes what it can).
 */
export function exitAfterFlush(logger: Logger, code: number): void {
  const timer = setTimeout(() => process.exit(code), FLUSH_TIMEOUT_MS);
  timer.unref();
  void flushLogger(logger).then(() => process.exit(code));
}
