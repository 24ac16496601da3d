/** @weir/limits: host-wide and global rate limits (issue 9, DESIGN.md section 7). */
export type { Clock, LeaseGrant, LeaseRequest, LeaseReturn, LeaseTransport, LimitParams, TakeResult } from './lease-types';
export { TokenBucket } from './token-bucket';
export {
  GLOBAL_BATCH_SECONDS,
  LEASE_SHARE_SECONDS,
  globalBatchSize,
  globalErrorBound,
  leaseBatchSize,
  leaseErrorBound,
} from './lease-sizing';
export { DEFAULT_BANK_MAX_KEYS, LeaseBank } from './lease-bank';
export type { LeaseBankOptions } from './lease-bank';
export { ADMITTED, DENIED_ONE_SECOND, RESULT_CACHE_SIZE, admittedResult, deniedResult } from './take-results';
export {
  DEFAULT_CLIENT_MAX_KEYS,
  DEFAULT_FAILURE_HOLD_MS,
  DEFAULT_LEASE_TTL_MS,
  LeaseClient,
} from './lease-client';
export type { LeaseClientOptions } from './lease-client';
export type { GlobalFailureMode, GlobalTokenSource, LeaseServerListener } from './global-token-source';
export { GlobalLeasePool } from './global-lease-pool';
export type { GlobalLeasePoolOptions } from './global-lease-pool';
export { LeaseServer } from './lease-server';
export type { LeaseServerOptions } from './lease-server';
