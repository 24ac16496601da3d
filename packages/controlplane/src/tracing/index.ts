/**
 * The tracing module (issue 18): the primary's own spans. `ControlTracer` follows the committed
 * `tracing` section and hands out `ControlSpan`s; the apply manager, the rollout manager and the
 * bundle puller start and end them (their names and attributes: apps/weir/docs/tracing.md,
 * "Control-plane spans"). A leaf module: it imports no other module of the control plane.
 */
export { ControlTracer, CONTROL_SCOPE_VERSION } from './control-tracer';
export type { ControlSinkFactory, ControlTracerOptions } from './control-tracer';
export { NOOP_SPAN } from './control-span';
export type { ControlAttributes, ControlAttributeValue, ControlSpan, SpanParent } from './control-span';
export { urlWithoutCredentials } from './url-without-credentials';
