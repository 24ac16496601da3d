import type { Api } from '../api';
import { duration } from '../format';
import { useStats } from '../live';
import type { ArmSample, StatsSample } from '../types';
import { Chart, type ChartSeries } from './Chart';

interface Metric {
  readonly title: string;
  readonly unit: string;
  readonly pick: (s: ArmSample) => number | null;
  readonly text: (v: number | null) => string;
}

const METRICS: readonly Metric[] = [
  { title: 'Requests per second', unit: '/s', pick: (s) => s.requestsPerSecond, text: (v) => (v === null ? '–' : `${v.toFixed(1)} /s`) },
  { title: 'Error rate', unit: ' %', pick: (s) => (s.errorRatio === null ? null : s.errorRatio * 100), text: (v) => (v === null ? '–' : `${v.toFixed(2)} %`) },
  { title: 'p99 latency', unit: ' ms', pick: (s) => (s.p99Seconds === null ? null : s.p99Seconds * 1000), text: (v) => (v === null ? '–' : `${v.toFixed(1)} ms`) },
];

function seconds(at: string | number): number {
  return (typeof at === 'number' ? at : Date.parse(at)) / 1000;
}

function seriesOf(samples: readonly StatsSample[], metric: Metric): ChartSeries[] {
  const hasCandidate = samples.some((s) => s.arms?.candidate != null);
  if (!hasCandidate) return [{ label: 'all', color: '#2f6fd6', values: samples.map((s) => metric.pick(s)) }];
  return [
    { label: 'stable', color: '#2f6fd6', values: samples.map((s) => (s.arms ? metric.pick(s.arms.stable) : null)) },
    { label: 'candidate', color: '#d9480f', values: samples.map((s) => (s.arms?.candidate ? metric.pick(s.arms.candidate) : null)) },
  ];
}

/** Request rate, error rate and p99 of the last 5 minutes, from `GET /admin/stats`, every 2 s. */
export function StatsCharts({ api }: { api: Api }) {
  const stats = useStats(api);
  if (stats === 'unsupported') {
    return (
      <p class="muted" data-testid="stats-unsupported">
        This primary has no <code>GET /admin/stats</code> yet: the charts need a newer Weir. Prometheus (<code>/metrics</code>) has the same figures.
      </p>
    );
  }
  if (stats === null) return <p aria-busy="true">Loading the last minutes of traffic…</p>;
  const times = stats.samples.map((s) => seconds(s.at));
  // Sampling starts at the first read (GET /admin/stats), so a fresh primary has less than 5 min.
  const spanMs = times.length < 2 ? 0 : ((times[times.length - 1] as number) - (times[0] as number)) * 1000;
  const span = spanMs >= 290_000 ? 'last 5 min' : `sampled for ${duration(spanMs)}`;
  return (
    <div class="charts">
      {METRICS.map((m) => {
        const series = seriesOf(stats.samples, m);
        const last = series.map((s) => `${s.label}: ${m.text(s.values[s.values.length - 1] ?? null)}`).join(', ');
        return (
          <figure key={m.title} class="card">
            <figcaption>
              <strong>{m.title}</strong> <span class="muted">({span}; now {last})</span>
            </figcaption>
            <Chart times={times} series={series} unit={m.unit} />
          </figure>
        );
      })}
    </div>
  );
}
