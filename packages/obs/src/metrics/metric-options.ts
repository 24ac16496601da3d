import type { Registry } from 'prom-client';
import type { MetricDefinition } from './catalogue';

/** prom-client constructor options for a catalogue entry, registered in `registry` only. */
export function metricOptions(
  definition: MetricDefinition,
  registry: Registry,
): {
  name: string;
  help: string;
  labelNames: string[];
  aggregator: MetricDefinition['aggregator'];
  registers: Registry[];
} {
  return {
    name: definition.name,
    help: definition.help,
    labelNames: definition.labels.slice(),
    aggregator: definition.aggregator,
    registers: [registry],
  };
}
