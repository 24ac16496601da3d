/**
 * Assemble module: spec + previous runtime -> WorkerRuntime, reusing pools by identity
 * (STYLE.md section 1.2).
 */
export { assemble, NO_UPSTREAM_LABEL } from './assemble';
export type { AssembleDeps } from './assemble';
export { WorkerRuntime } from './worker-runtime';
export type {
  DirectResponse,
  IndexPicker,
  ListenerRoutes,
  RouteRuntime,
  RouteTarget,
  UpstreamRuntime,
} from './worker-runtime';
