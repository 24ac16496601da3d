/**
 * Environment the primary gives every worker it forks, besides the primary's own.
 *
 * `WEIR_TLS_TICKET_SECRET` (hex): the secret TLS session-ticket keys are derived from, the same
 * in every worker, so a client resumes its TLS session on whichever worker accepts its next
 * connection. Random per primary unless the operator sets it (to share resumption between hosts
 * behind one load balancer).
 */
export const TLS_TICKET_SECRET_ENV = 'WEIR_TLS_TICKET_SECRET';

/** The ticket secret a worker was started with, or null (not under the primary: tests). */
export function tlsTicketSecret(env: NodeJS.ProcessEnv): Buffer | null {
  const hex = env[TLS_TICKET_SECRET_ENV];
  if (hex === undefined || !/^[0-9a-f]{32,}$/i.test(hex)) return null;
  return Buffer.from(hex, 'hex');
}

/**
 * `WEIR_WORKER_COUNT`: how many workers the primary runs, so a worker can divide host-wide
 * limits that are not leased (a route's `limits.maxConcurrent`).
 */
export const WORKER_COUNT_ENV = 'WEIR_WORKER_COUNT';

/** The worker count a worker was started with; 1 when absent or invalid (not under the primary). */
export function workerCount(env: NodeJS.ProcessEnv): number {
  const n = Number(env[WORKER_COUNT_ENV]);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
