import { randomUUID } from 'node:crypto';
import { getHeader, setHeader, addResponseHeader } from '../header-list';
import { CONTINUE, type Plugin, type PluginOutcome, type PluginRequest } from '../plugin';
import type { RequestIdPluginSpec } from '../plugin-spec';

/** The longest incoming id kept (config types/policy.ts `RequestIdPluginConfig.propagate`). */
const MAX_ID_LENGTH = 200;

/** True for 1-200 visible ASCII characters (0x21-0x7e): safe in a header and in a log line. */
export function isValidRequestId(value: string): boolean {
  const length = value.length;
  if (length === 0 || length > MAX_ID_LENGTH) return false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/**
 * `requestId`: gives the request an id in `header` (default `x-request-id`). With `propagate`
 * (the default) a valid id the client sent is kept; otherwise, or when the incoming one is
 * empty, too long or has spaces or non-ASCII characters, a new UUID v4 (`crypto.randomUUID`,
 * which draws from a cached entropy pool: no syscall per id) replaces every incoming line.
 * With `useTraceId` the new id is the request's W3C trace id (`req.traceId`, issue 18: "the
 * request-id plugin can use the trace id") instead, when the data plane has one (tracing
 * propagation on); a UUID otherwise. An id kept by `propagate` is never replaced by it.
 * The id goes upstream in `header`, into `req.requestId` (the access log), and back to the
 * client in `header` on every response (upstream responses and plugin replies).
 */
export class RequestIdPlugin implements Plugin {
  readonly type = 'requestId';
  private readonly header: string;
  private readonly propagate: boolean;
  /** A generated id is the request's trace id when it has one (default false). */
  private readonly useTraceId: boolean;
  /** Generates ids; tests inject a counter. */
  private readonly generate: () => string;

  constructor(spec: RequestIdPluginSpec, generate: () => string = randomUUID) {
    this.header = spec.header.toLowerCase();
    this.propagate = spec.propagate;
    this.useTraceId = spec.useTraceId;
    this.generate = generate;
  }

  onRequest(req: PluginRequest): PluginOutcome {
    const header = this.header;
    let id = this.propagate ? getHeader(req.headers, header) : null;
    if (id === null || !isValidRequestId(id)) {
      const traceId = this.useTraceId ? req.traceId : null;
      id = traceId === null ? this.generate() : traceId;
    }
    setHeader(req.headers, header, id);
    req.requestId = id;
    addResponseHeader(req, header, id);
    return CONTINUE;
  }
}
