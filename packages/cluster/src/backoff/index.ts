export { monotonicClock } from './clock';
export type { Clock } from './clock';
export { RestartBackoff } from './restart-backoff';
export type { RestartBackoffOptions } from './restart-backoff';
