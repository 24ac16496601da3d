/**
 * @weir/controlplane: the primary's control plane. Primary-only: it never imports the data plane
 * (STYLE.md section 1.1).
 */
export { ApplyManager, BUILD_TASK_FILE, InlineSpecBuilder, ThreadSpecBuilder } from './apply/index';
export type {
  ApplyManagerOptions,
  ApplyOutcome,
  AppliedConfig,
  BuiltSpec,
  ConfigSource,
  SnapshotTarget,
  SpecBuilder,
} from './apply/index';
export { FileProvider } from './provider/index';
