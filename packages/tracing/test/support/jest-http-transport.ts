import * as http from 'node:http';
import type { SpanSink } from '@weir/tracing';

/**
 * Jest cannot run a native `import()` without `--experimental-vm-modules`, and the OTLP
 * exporter's HTTP transport loads `http` that way on its first send (otlp-exporter-base 0.212,
 * `HttpExporterTransport._loadUtils`). Outside jest nothing is needed. This hands the transport
 * its `{ agent, request }` up front, through the exporter's private fields, so everything else
 * (serializer, headers, timeout, retries) runs unchanged. Returns the agent to destroy.
 */
export function preloadHttpTransport(sink: SpanSink): http.Agent {
  const exporter = (sink as unknown as { exporter: { _delegate: { _transport: { _transport: { _utils: unknown } } } } }).exporter;
  const transport = exporter._delegate._transport._transport;
  if (!('_utils' in transport)) throw new Error('OTLP exporter internals changed: update preloadHttpTransport');
  const agent = new http.Agent({ keepAlive: false });
  transport._utils = { agent, request: http.request };
  return agent;
}
