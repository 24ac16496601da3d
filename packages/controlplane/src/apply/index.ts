export { ApplyManager } from './apply-manager';
export type { ApplyManagerOptions, ApplyOutcome, AppliedConfig, ConfigSource, SnapshotTarget } from './apply-manager';
export { BUILD_TASK_FILE, InlineSpecBuilder, ThreadSpecBuilder } from './spec-builder';
export type { BuiltSpec, SpecBuilder } from './spec-builder';
