/**
 * Server module: listeners, server limits, answers to client errors and unacceptable request
 * heads, and the internal mux (readiness), DESIGN.md section 3 step 1.
 */
export { ListenerSet } from './listener-set';
export type { BoundListener, ConnectionObserver, Listener, ListenerSetOptions } from './listener-set';
export { listenerKey } from './listener-key';
export { READY_PATH } from './ready-endpoint';
export { rawErrorResponse, clientErrorCode } from './client-error';
