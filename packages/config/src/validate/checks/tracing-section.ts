import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * `tracing` (issue 18): the collector endpoint parses as a URL, a batch fits in the queue, and
 * sampling settings (`tracing.sampling`, `routes[].tracing`) come with an `export`: without a
 * collector no span is recorded, so a ratio there would silently do nothing.
 */
export function checkTracingSection(config: WeirConfig, report: Report): void {
  const tracing = config.tracing;
  const exporter = tracing?.export;
  if (exporter !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(exporter.endpoint);
    } catch {
      report(jsonPointer('tracing', 'export', 'endpoint'), `invalid URL "${exporter.endpoint}"`);
    }
    if (url !== null && (url.search !== '' || url.hash !== '')) {
      report(jsonPointer('tracing', 'export', 'endpoint'), 'the collector URL takes no query or fragment');
    }
    const queue = exporter.maxQueueSpans ?? 2048;
    const batch = exporter.maxBatchSpans ?? 512;
    if (batch > queue) {
      report(jsonPointer('tracing', 'export', 'maxBatchSpans'), `maxBatchSpans (${batch}) is larger than maxQueueSpans (${queue})`);
    }
    return;
  }
  if (tracing?.sampling !== undefined) {
    report(jsonPointer('tracing', 'sampling'), 'sampling needs "tracing.export": without a collector no span is recorded');
  }
  for (const [i, route] of config.routes.entries()) {
    if (route.tracing !== undefined) {
      report(jsonPointer('routes', i, 'tracing'), 'route sampling needs "tracing.export": without a collector no span is recorded');
    }
  }
}
