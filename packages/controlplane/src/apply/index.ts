export { ApplyManager } from './apply-manager';
export type {
  ApplyEvent,
  ApplyCompose,
  ApplyGate,
  ApplyManagerOptions,
  ApplyOptions,
  ApplyOutcome,
  ApplyOutcomeKind,
  AppliedConfig,
  CheckedConfig,
  CommittedApply,
  ConfigFileMark,
  ConfigSource,
  LastApply,
  SnapshotTarget,
} from './apply-manager';
export { BUILD_TASK_FILE, InlineSpecBuilder, ThreadSpecBuilder } from './spec-builder';
export type { BuiltSpec, SpecBuilder } from './spec-builder';
