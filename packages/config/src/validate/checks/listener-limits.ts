import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

/**
 * When `requestTimeoutMs` is set (non-zero), `headersTimeoutMs` must not exceed it: the header
 * section is part of the request, and Node's HTTP server refuses such options with
 * ERR_OUT_OF_RANGE, which would fail every worker at apply time instead of at validation.
 * Reported at `headersTimeoutMs` when it is written, else at `requestTimeoutMs` (the default
 * headers timeout is what conflicts).
 */
export function checkListenerLimits(config: WeirConfig, report: Report): void {
  for (const [i, listener] of config.listeners.entries()) {
    const limits = listener.limits;
    const requestTimeoutMs = limits?.requestTimeoutMs ?? 0;
    if (limits === undefined || requestTimeoutMs === 0) continue;
    const headersTimeoutMs = limits.headersTimeoutMs ?? configDefaults.headersTimeoutMs;
    if (headersTimeoutMs <= requestTimeoutMs) continue;
    const explicit = limits.headersTimeoutMs !== undefined;
    report(
      jsonPointer('listeners', i, 'limits', explicit ? 'headersTimeoutMs' : 'requestTimeoutMs'),
      `headersTimeoutMs (${headersTimeoutMs}${explicit ? '' : ', the default'}) must not exceed requestTimeoutMs (${requestTimeoutMs}): the header section is part of the request`,
    );
  }
}
