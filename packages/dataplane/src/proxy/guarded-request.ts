import type { PluginRequest } from '@weir/plugins';
import type { ConcurrencyGate, KeySource } from '../limits/index';

/**
 * The per-request state of a route with plugins or limits (STYLE.md rule 7: one object, every
 * field set in the constructor): the request as plugins see and edit it, the facts limits key
 * on, and the concurrency slot it holds. Routes without plugins and limits never make one.
 */
export class GuardedRequest implements PluginRequest, KeySource {
  readonly method: string;
  readonly host: string;
  readonly clientAddress: string;
  readonly secure: boolean;
  path: string;
  readonly headers: string[];
  readonly rawHeaders: readonly string[];
  responseHeaders: string[] | null;
  requestId: string | null;
  /** The request's trace id (issue 18), null without propagation (see `PluginRequest.traceId`). */
  readonly traceId: string | null;
  claims: Readonly<Record<string, unknown>> | null;
  principal: string | null;
  /** The concurrency gate this request entered; left when the exchange finishes. */
  gate: ConcurrencyGate | null;

  constructor(
    method: string,
    host: string,
    clientAddress: string,
    secure: boolean,
    path: string,
    headers: string[],
    rawHeaders: readonly string[],
    traceId: string | null = null,
  ) {
    this.method = method;
    this.host = host;
    this.clientAddress = clientAddress;
    this.secure = secure;
    this.path = path;
    this.headers = headers;
    this.rawHeaders = rawHeaders;
    this.responseHeaders = null;
    this.requestId = null;
    this.traceId = traceId;
    this.claims = null;
    this.principal = null;
    this.gate = null;
  }

  /** Leaves the concurrency gate, once. */
  leave(): void {
    const gate = this.gate;
    if (gate !== null) {
      this.gate = null;
      gate.leave();
    }
  }
}
