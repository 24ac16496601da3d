/**
 * The bundle puller (issue 12; apps/weir/docs/operations.md, "Bundles"): a pure schedule
 * (interval, jitter, capped exponential backoff), a source interface with its plain HTTP(S)
 * implementation, the puller (fetch -> verify -> apply or roll out -> keep), and the state file
 * of the last verified bundle.
 */
export { BundlePuller } from './bundle-puller';
export type { BundlePullerOptions } from './bundle-puller';
export type { PullApplier, PullOutcome, PullRollouts, PullStatus, PullTimers, PulledBundleStore } from './puller-deps';
export { PullSchedule } from './pull-schedule';
export type { PullScheduleSettings } from './pull-schedule';
export type { BundleSource, SourceFetch, SourceMark } from './bundle-source';
export { HttpBundleSource } from './http-bundle-source';
export type { HttpBundleSourceOptions } from './http-bundle-source';
export { PULLED_BUNDLE_FILE, PulledBundleFile, fileSha256 } from './pulled-bundle-file';
export type { PulledBundle } from './pulled-bundle-file';
export { pullTrust } from './pull-trust';
export type { ReadKeyFile } from './pull-trust';
export { bundleConfigValidator, withHostPull } from './bundle-config';
export { checkHeldBundle } from './held-bundle';
export type { HeldBundleCheck } from './held-bundle';
