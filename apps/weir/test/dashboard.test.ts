import * as fs from 'node:fs';
import * as path from 'node:path';
import { metricDefinitions, type MetricDefinition } from '@weir/obs';
import { promqlReferences } from './harness/promql-references';

/**
 * deploy/dashboards/weir.json against the metric catalogue (issue 12, "Deployment"; STYLE.md
 * rule 4: catalogues are checked by tests). Every query of the dashboard (panel targets,
 * annotations, template variables) may name only catalogue metrics, a histogram's `_bucket`,
 * `_sum` or `_count` series, and only labels those metrics have, plus the target labels
 * Prometheus adds when it scrapes (`job`, `instance`). And every catalogue metric has a panel: a
 * new metric without one fails here, like a metric without a row in docs/metrics.md.
 */

const DASHBOARD = path.resolve(__dirname, '../../../deploy/dashboards/weir.json');
/** Labels Prometheus attaches to every scraped series. */
const TARGET_LABELS = ['job', 'instance'];
const HISTOGRAM_SERIES = ['_bucket', '_sum', '_count'] as const;

const catalogue = new Map<string, MetricDefinition>(metricDefinitions.map((d) => [d.name, d]));

/** The catalogue metric a series name belongs to, and the labels that series has; null if none. */
function resolveSeries(name: string): { readonly metric: string; readonly labels: ReadonlySet<string> } | null {
  const direct = catalogue.get(name);
  if (direct !== undefined && direct.type !== 'histogram') return { metric: name, labels: new Set([...direct.labels, ...TARGET_LABELS]) };
  for (const suffix of HISTOGRAM_SERIES) {
    if (!name.endsWith(suffix)) continue;
    const base = catalogue.get(name.slice(0, -suffix.length));
    if (base?.type !== 'histogram') continue;
    return { metric: base.name, labels: new Set([...base.labels, ...TARGET_LABELS, ...(suffix === '_bucket' ? ['le'] : [])]) };
  }
  return null;
}

/** Everything wrong with one expression; empty when it only uses catalogue metrics and labels. */
function problems(expr: string): string[] {
  const found: string[] = [];
  const refs = promqlReferences(expr);
  for (const selector of refs.selectors) {
    const series = resolveSeries(selector.metric);
    if (series === null) {
      found.push(`${selector.metric} is not in the metric catalogue (packages/obs/src/metrics/catalogue.ts)`);
      continue;
    }
    for (const label of selector.labels) {
      if (!series.labels.has(label)) found.push(`${selector.metric} has no label "${label}"`);
    }
  }
  for (const grouping of refs.groupings) {
    for (const label of grouping.labels) {
      const having = grouping.metrics.filter((m) => resolveSeries(m)?.labels.has(label) === true);
      // group_left/right copy labels from one side only; the others need the label everywhere.
      const enough = grouping.clause === 'group_left' || grouping.clause === 'group_right' ? having.length > 0 : having.length === grouping.metrics.length;
      if (!enough) found.push(`${grouping.clause} (${label}): not a label of ${grouping.metrics.filter((m) => !having.includes(m)).join(', ')}`);
    }
  }
  return found;
}

interface Target {
  readonly expr?: string;
}
interface Panel {
  readonly title?: string;
  readonly type: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly annotations: { readonly list: ReadonlyArray<{ readonly expr?: string; readonly name: string }> };
  readonly templating: { readonly list: ReadonlyArray<{ readonly name: string; readonly type: string; readonly query: unknown }> };
}

const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as Dashboard;

/** Every panel, rows' collapsed panels included. */
function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** [where, expression] for every PromQL expression of the dashboard. */
function expressions(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const panel of allPanels(dashboard.panels)) {
    for (const target of panel.targets ?? []) if (target.expr !== undefined) out.push([`panel "${panel.title ?? ''}"`, target.expr]);
  }
  for (const annotation of dashboard.annotations.list) if (annotation.expr !== undefined) out.push([`annotation "${annotation.name}"`, annotation.expr]);
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : (variable.query as { query: string }).query;
    // label_values(SELECTOR, LABEL): the selector is PromQL; LABEL must be one of its labels.
    const m = /^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(query);
    if (m === null) throw new Error(`variable ${variable.name}: only label_values(SELECTOR, LABEL) is checked, got ${query}`);
    out.push([`variable "${variable.name}"`, `count by (${m[2] ?? ''}) (${m[1] ?? ''})`]);
  }
  return out;
}

describe('deploy/dashboards/weir.json', () => {
  it('queries only catalogue metrics, with their own labels', () => {
    const exprs = expressions();
    expect(exprs.length).toBeGreaterThan(40);
    const found = exprs.flatMap(([where, expr]) => problems(expr).map((p) => `${where}: ${p}`));
    expect(found).toEqual([]);
  });

  it('has a panel for every catalogue metric', () => {
    const queried = new Set(
      expressions().flatMap(([, expr]) => promqlReferences(expr).selectors.map((s) => resolveSeries(s.metric)?.metric ?? s.metric)),
    );
    const missing = metricDefinitions.map((d) => d.name).filter((name) => !queried.has(name));
    expect(missing).toEqual([]);
  });

  it('reads every panel from the datasource variable, so it imports onto any Prometheus', () => {
    const datasources = new Set(allPanels(dashboard.panels).filter((p) => p.type !== 'row').map((p) => JSON.stringify(p.datasource ?? null)));
    expect([...datasources]).toEqual([JSON.stringify({ type: 'prometheus', uid: '${datasource}' })]);
    expect(dashboard.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    expect(dashboard.uid).toBe('weir-overview');
  });
});

describe('the dashboard check itself', () => {
  it('finds unknown metrics, unknown labels and labels a grouping does not have', () => {
    expect(problems('sum(rate(weir_no_such_metric_total[5m]))')).toEqual([
      'weir_no_such_metric_total is not in the metric catalogue (packages/obs/src/metrics/catalogue.ts)',
    ]);
    expect(problems('rate(weir_requests_total{path="/x"}[$__rate_interval])')).toEqual(['weir_requests_total has no label "path"']);
    expect(problems('sum by (code) (rate(weir_requests_total[5m]))')).toEqual(['by (code): not a label of weir_requests_total']);
    // le exists on _bucket only, and a counter has no _bucket series.
    expect(problems('sum by (le) (rate(weir_request_duration_seconds_count[5m]))')).toEqual([
      'by (le): not a label of weir_request_duration_seconds_count',
    ]);
    expect(problems('rate(weir_requests_total_bucket[5m])')).toHaveLength(1);
    expect(problems('rate(weir_request_duration_seconds[5m])')).toHaveLength(1);
  });

  it('reads the PromQL forms the dashboard uses', () => {
    const refs = promqlReferences(
      'histogram_quantile(0.99, sum without (instance) (rate(weir_request_duration_seconds_bucket{job=~"$job", route!~"a|b"}[5m:1m] offset -1h)))' +
        ' / on (route) group_left () sum(weir_tunnels_open) by (route) > bool 0 and weir_config_info @ 1700000000',
    );
    expect(refs.selectors.map((s) => [s.metric, s.labels])).toEqual([
      ['weir_request_duration_seconds_bucket', ['job', 'route']],
      ['weir_tunnels_open', []],
      ['weir_config_info', []],
    ]);
    expect(refs.groupings.map((g) => [g.clause, g.labels])).toEqual([
      ['without', ['instance']],
      ['by', ['route']],
      ['on', ['route']],
      ['group_left', []],
    ]);
    expect(() => promqlReferences('{job="weir"}')).toThrow('a selector without a metric name');
    expect(() => promqlReferences('sum(weir_requests_total')).toThrow('PromQL');
  });
});
