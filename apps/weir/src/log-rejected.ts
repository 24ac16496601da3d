import type { ConfigSource } from '@weir/controlplane';
import { toErrorJSON } from '@weir/errors';
import type { Logger } from '@weir/obs';

/**
 * Log an error that refused a config, in the shape of the `config rejected` contract
 * (operations.md, "Log events"): source, code, message and, for invalid configs, every problem
 * with its JSON pointer.
 */
export function logRejected(logger: Logger, source: ConfigSource, err: unknown): void {
  const json = toErrorJSON(err);
  const fields = { source, code: json.code, message: json.message };
  logger.error(json.details === undefined ? fields : { ...fields, details: json.details }, 'config rejected');
}
