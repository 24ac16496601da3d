/**
 * Server module: listeners, server limits, answers to client errors and unacceptable request
 * heads, and the internal mux (readiness), DESIGN.md section 3 step 1.
 */
export { ListenerSet } from './listener-set';
export type { BoundListener, ConnectionObserver, EdgeObserver, Listener, ListenerSetOptions } from './listener-set';
export type { GoawayReason } from './h2-sessions';
export { H2Request, h1RawHeaders } from './h2-request';
export { ResetBudget } from './reset-budget';
export { listenerKey, bindKey } from './listener-key';
export { READY_PATH } from './ready-endpoint';
export { rawErrorResponse, clientErrorCode } from './client-error';
export { sendHttpsRedirect } from './https-redirect';
export type { AnyResponse } from './request-head';
export { parseAbsoluteTarget } from './absolute-target';
export type { AbsoluteTarget } from './absolute-target';
export { normalisePath, normaliseTarget } from './normalise-path';
export { ClientAddressResolver } from './client-address';
