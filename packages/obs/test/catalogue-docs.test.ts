/**
 * STYLE.md rule 4: the metric catalogue and apps/weir/docs/metrics.md must agree, in both
 * directions. Adding a metric without documenting it, or documenting one that does not exist,
 * fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { metricDefinitions, requestDurationBuckets } from '@weir/obs';

const docFile = path.resolve(__dirname, '../../../apps/weir/docs/metrics.md');

interface DocRow {
  readonly name: string;
  readonly type: string;
  readonly labels: string[];
  readonly aggregator: string;
}

/** Rows of the metric tables: "| `weir_x` | counter | `a`, `b` | sum | Text. |". */
function docRows(markdown: string): DocRow[] {
  const rows: DocRow[] = [];
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`(weir_[a-z0-9_]+)`\s*\|\s*(\w+)\s*\|\s*(.*?)\s*\|\s*(\w+)\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (match === null) continue;
    const labels = match[3] === 'none' ? [] : (match[3] as string).split(',').map((l) => l.trim().replace(/^`|`$/g, ''));
    rows.push({ name: match[1] as string, type: match[2] as string, labels, aggregator: match[4] as string });
  }
  return rows;
}

describe('apps/weir/docs/metrics.md', () => {
  const markdown = fs.readFileSync(docFile, 'utf8');
  const rows = docRows(markdown);

  it('documents every catalogue metric once, with its type, labels and aggregation', () => {
    for (const d of metricDefinitions) {
      expect({ name: d.name, rows: rows.filter((r) => r.name === d.name) }).toEqual({
        name: d.name,
        rows: [{ name: d.name, type: d.type, labels: [...d.labels], aggregator: d.aggregator }],
      });
    }
  });

  it('documents no metric that the catalogue lacks', () => {
    const names = new Set(metricDefinitions.map((d) => d.name));
    expect(rows.map((r) => r.name).filter((name) => !names.has(name))).toEqual([]);
    expect(rows).toHaveLength(metricDefinitions.length);
  });

  it('documents every label used', () => {
    const labels = new Set(metricDefinitions.flatMap((d) => d.labels));
    for (const label of labels) expect(markdown).toContain(`- \`${label}\`:`);
  });

  it('lists the histogram buckets', () => {
    expect(markdown).toContain('`' + requestDurationBuckets.join(', ') + '`');
  });
});
