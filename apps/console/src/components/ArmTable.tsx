import { ms, percent } from '../format';
import type { Rollout } from '../types';
import { TableWrap } from './TableWrap';

/** Stable against candidate over the stage window, with the thresholds the analysis applies. */
export function ArmTable({ rollout }: { rollout: Rollout }) {
  const a = rollout.lastAnalysis;
  const t = rollout.analysis;
  const num = (k: string): number | null => (typeof t[k] === 'number' ? (t[k] as number) : null);
  const stableErr = a?.stable.errorRate ?? null;
  const errLimit = stableErr === null ? null : stableErr + (num('maxErrorRateIncrease') ?? 0.01);
  const maxErr = num('maxErrorRate');
  const stableP99 = a?.stable.p99Ms ?? null;
  const p99Limit = stableP99 === null ? null : stableP99 * (num('maxP99Ratio') ?? 1.5) + (num('p99ToleranceMs') ?? 10);
  const maxP99 = num('maxP99Ms');
  const errBound = [errLimit, maxErr].filter((x): x is number => x !== null);
  const p99Bound = [p99Limit, maxP99].filter((x): x is number => x !== null);
  const errMax = errBound.length === 0 ? null : Math.min(...errBound);
  const p99Max = p99Bound.length === 0 ? null : Math.min(...p99Bound);
  const cand = a?.candidate;
  const errBad = cand?.errorRate != null && errMax !== null && cand.errorRate > errMax;
  const p99Bad = cand?.p99Ms != null && p99Max !== null && cand.p99Ms > p99Max;
  return (
    <TableWrap label="Arms">
      <table data-testid="arms">
        <caption>
          Arms over the stage window{a !== null ? '' : ' (no analysis yet)'} · at least {num('minRequests') ?? 20} candidate requests for a verdict
        </caption>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Requests</th>
            <th scope="col">Errors</th>
            <th scope="col">Error rate</th>
            <th scope="col">p99</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">stable {rollout.stableVersion}</th>
            <td>{a?.stable.requests ?? '–'}</td>
            <td>{a?.stable.errors ?? '–'}</td>
            <td>{percent(a?.stable.errorRate)}</td>
            <td>{ms(a?.stable.p99Ms)}</td>
          </tr>
          <tr class={errBad || p99Bad ? 'row-bad' : ''}>
            <th scope="row">candidate {rollout.candidateVersion}</th>
            <td>{cand?.requests ?? '–'}</td>
            <td>{cand?.errors ?? '–'}</td>
            <td data-testid="candidate-error-rate">
              {percent(cand?.errorRate)} {errBad ? <span class="tag bad">over the limit</span> : null}
            </td>
            <td>
              {ms(cand?.p99Ms)} {p99Bad ? <span class="tag bad">over the limit</span> : null}
            </td>
          </tr>
          <tr class="limits">
            <th scope="row">limit for the candidate</th>
            <td colSpan={2} />
            <td>≤ {percent(errMax)}</td>
            <td>≤ {ms(p99Max)}</td>
          </tr>
        </tbody>
      </table>
    </TableWrap>
  );
}
