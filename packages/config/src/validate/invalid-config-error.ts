import { WeirError, type ErrorDetail } from '@weir/errors';
import { compareJsonPointers } from './json-pointer';

/** The error message names this many problems; `details` always holds all of them. */
const PROBLEMS_IN_MESSAGE = 10;

/**
 * The WEIR_ERR_CONFIG_INVALID error for a non-empty list of problems. Problems are sorted in
 * document order (stable for several problems at one pointer); `pointer` is the first one's,
 * and the message lists the first ten as `pointer: message` so a log line is useful alone.
 */
export function invalidConfigError(problems: readonly ErrorDetail[]): WeirError {
  const details = problems.slice().sort((a, b) => compareJsonPointers(a.pointer, b.pointer));
  const shown = details.slice(0, PROBLEMS_IN_MESSAGE).map((d) => `${d.pointer === '' ? '(root)' : d.pointer}: ${d.message}`);
  const more = details.length > PROBLEMS_IN_MESSAGE ? `; and ${details.length - PROBLEMS_IN_MESSAGE} more` : '';
  const count = details.length === 1 ? '1 problem' : `${details.length} problems`;
  const first = details[0];
  return new WeirError('WEIR_ERR_CONFIG_INVALID', `invalid config (${count}): ${shown.join('; ')}${more}`, {
    details,
    ...(first === undefined ? {} : { pointer: first.pointer }),
  });
}
