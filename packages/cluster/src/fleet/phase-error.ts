import { WeirError, fromErrorJSON, type ErrorDetail } from '@weir/errors';
import type { PhaseFailure } from './phase-wait';

/**
 * The error an apply rejects with when its prepare phase failed. The message names the worker
 * (pid) and its reason; a worker's own error is kept as `cause`, and its config pointers are
 * lifted into `details` so the admin API and logs can show them.
 */
export function phaseError(failure: PhaseFailure, version: string): WeirError {
  switch (failure.kind) {
    case 'nack': {
      const cause = fromErrorJSON(failure.error);
      const details: ErrorDetail[] = [...(failure.error.details ?? [])];
      if (failure.error.pointer !== undefined) details.unshift({ pointer: failure.error.pointer, message: failure.error.message });
      return new WeirError(
        'WEIR_ERR_APPLY_REJECTED',
        `worker ${failure.pid} rejected version ${version}: ${failure.error.code}: ${failure.error.message}`,
        details.length > 0 ? { cause, details } : { cause },
      );
    }
    case 'exit':
      return new WeirError(
        'WEIR_ERR_APPLY_REJECTED',
        `worker ${failure.pid} exited during prepare of version ${version} (code ${String(failure.code)}, signal ${String(failure.signal)})`,
      );
    case 'timeout':
      return new WeirError(
        'WEIR_ERR_APPLY_TIMEOUT',
        `worker(s) ${failure.pids.join(', ')} did not acknowledge prepare of version ${version} in time`,
      );
  }
}
