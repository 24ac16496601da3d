import type { Api } from '../api';
import { ago, duration, time } from '../format';
import type { Status } from '../types';
import { CertificatesTable } from './CertificatesTable';
import { PullerCard } from './PullerCard';
import { StatsCharts } from './StatsCharts';
import { WorkersTable } from './WorkersTable';

/** Running version, who applied it and when, the bundle puller, the workers, the certificates and the live charts. */
export function Overview({ api, status }: { api: Api; status: Status }) {
  const { config, lastApply, primary, rollout } = status;
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Overview</h2>
      <div class="cards">
        <div class="card">
          <h3>Running version</h3>
          <p class="big" data-testid="running-version">
            {config?.version ?? 'none yet'}
          </p>
          <p>
            from <span class="tag">{config?.source ?? '–'}</span>
            {config?.principal != null ? (
              <>
                {' '}by <span data-testid="running-principal">{config.principal}</span>
              </>
            ) : null}
          </p>
        </div>
        <div class="card">
          <h3>Last apply</h3>
          {lastApply === null ? (
            <p>none since the primary started</p>
          ) : (
            <>
              <p>
                <span class={`tag ${lastApply.outcome === 'rejected' ? 'bad' : 'good'}`}>{lastApply.outcome}</span> {lastApply.version ?? ''}
              </p>
              <p>
                {lastApply.source}
                {lastApply.principal !== null ? ` by ${lastApply.principal}` : ''}, <time dateTime={lastApply.at}>{time(lastApply.at)}</time> ({ago(lastApply.at)})
              </p>
              {lastApply.error != null ? <p class="error">{`${lastApply.error.code}: ${lastApply.error.message ?? lastApply.error.reason ?? ''}`}</p> : null}
            </>
          )}
        </div>
        <div class="card">
          <h3>Primary</h3>
          <p>
            Weir {primary.version}, pid {primary.pid}
          </p>
          <p>
            up {duration(primary.uptimeMs)}, Node {primary.node}
          </p>
          {rollout != null ? <p class="tag warn">rollout {rollout.id}: {rollout.state}</p> : null}
        </div>
        {status.pull != null ? <PullerCard pull={status.pull} /> : null}
      </div>
      <WorkersTable workers={status.workers} running={config?.version ?? null} />
      {status.certificates !== undefined && status.certificates.length > 0 ? <CertificatesTable certificates={status.certificates} /> : null}
      <StatsCharts api={api} />
    </section>
  );
}
