import type { LogLevel } from '@weir/obs';

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The level forced by `WEIR_LOG_LEVEL`, or null when unset or not a level (then the config's
 * `logging.level` applies).
 */
export function envLogLevel(env: NodeJS.ProcessEnv): LogLevel | null {
  const value = env['WEIR_LOG_LEVEL'];
  return value !== undefined && LEVELS.includes(value) ? (value as LogLevel) : null;
}
