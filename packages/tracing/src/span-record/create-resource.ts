import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { InstrumentationScope } from '@opentelemetry/core';

/**
 * The OpenTelemetry resource of this process (`service.name`, `service.instance.id`, ...), built
 * once per worker from the spec. No host or process detectors run: they are asynchronous,
 * read the environment, and the operator already says what the service is in the config.
 *
 * Share the one object between all spans: the OTLP serializer groups spans by resource
 * *identity*, so one resource means one `ResourceSpans` per export request.
 */
export function createResource(attributes: Record<string, string>): Resource {
  return resourceFromAttributes(attributes);
}

/** The instrumentation scope Weir's spans are reported under: `{ name: 'weir', version }`. */
export function weirScope(version: string): InstrumentationScope {
  return { name: 'weir', version };
}
