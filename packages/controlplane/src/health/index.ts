/**
 * Health module: active HTTP health checks, once per host in the primary, with results
 * published to the workers (issue 4).
 */
export { HealthChecker } from './health-checker';
export type { HealthCheckerOptions, HealthCheckEvent, HealthPublisher } from './health-checker';
export { HealthState } from './health-state';
export { healthCheckKey } from './health-check-key';
export { httpProbe } from './http-probe';
export type { Probe, ProbeResult, ProbeTarget } from './http-probe';
export { realHealthTimers } from './health-timers';
export type { HealthTimers } from './health-timers';
