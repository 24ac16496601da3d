/**
 * The bundle puller (issue 12; apps/weir/docs/operations.md, "Bundles"): a pure schedule
 * (interval, jitter, capped exponential backoff), a source interface with its plain HTTP(S) and
 * S3 (SigV4, through aws4) implementations, the puller (fetch -> verify -> apply or roll out ->
 * keep), and the state file of the last verified bundle.
 */
export { BundlePuller } from './bundle-puller';
export type { BundlePullerOptions } from './bundle-puller';
export type { PullApplier, PullOutcome, PullRollouts, PullStatus, PullTimers, PulledBundleStore } from './puller-deps';
export { PullSchedule } from './pull-schedule';
export type { PullScheduleSettings } from './pull-schedule';
export type { BundleSource, SourceFetch, SourceMark } from './bundle-source';
export { HttpBundleSource } from './http-bundle-source';
export type { HttpBundleSourceOptions } from './http-bundle-source';
export { S3BundleSource, s3CredentialsFromEnv, s3ObjectUrl } from './s3-bundle-source';
export type { S3BundleSourceOptions, S3Credentials } from './s3-bundle-source';
export { createBundleSource } from './create-bundle-source';
export { PULLED_BUNDLE_FILE, PulledBundleFile, fileSha256 } from './pulled-bundle-file';
export type { PulledBundle } from './pulled-bundle-file';
export { pullTrust } from './pull-trust';
export type { ReadKeyFile } from './pull-trust';
export { bundleConfigValidator, withHostPull } from './bundle-config';
export { checkHeldBundle } from './held-bundle';
export type { HeldBundleCheck } from './held-bundle';
