import pino from 'pino';

/** The logger every component uses: pino's, JSON lines on stdout. */
export type Logger = pino.Logger;

/** Log levels accepted in the config (`logging.level`). */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  /** Minimum level. Default `"info"`. */
  readonly level?: LogLevel;
  /** Base `name` field (`weir-primary`, `weir-worker`). */
  readonly name?: string;
  /** Extra base fields, e.g. `{ worker: 1 }`. Set once, never per request. */
  readonly base?: Readonly<Record<string, unknown>>;
  /**
   * Where lines go. Default: stdout through an asynchronous sonic-boom destination, so a slow
   * terminal or pipe never blocks the event loop (pino's recommendation for servers).
   */
  readonly destination?: pino.DestinationStream;
}

/**
 * Create a process logger. Disabled levels are no-ops in pino, so `logger.debug(...)` costs a
 * function call when debug is off; build costly fields only behind `logger.isLevelEnabled()`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false, minLength: 0 });
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: options.name ?? 'weir', pid: process.pid, ...(options.base ?? {}) },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
