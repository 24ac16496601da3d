/**
 * Arm module: during a rollout, which runtime (stable or candidate) serves a request.
 */
export { ArmChooser } from './arm-chooser';
export type { ArmSettings } from './arm-chooser';
export { ArmedRuntimes } from './armed-runtimes';
