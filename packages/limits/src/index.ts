/** @weir/limits: host-wide and global rate limits (issue 9). */
export type { Clock, LeaseGrant, LeaseRequest, LeaseReturn, LeaseTransport, LimitParams, TakeResult } from './lease-types';
