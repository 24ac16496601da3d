import { WeirError } from '@weir/errors';
import type { ConfigApplier, FleetView } from './admin-deps';
import type { AdminReply } from './admin-reply';
import { upstreamsView } from './upstreams-view';

/** How long `GET /admin/upstreams` waits for the workers' answers. */
export const UPSTREAMS_TIMEOUT_MS = 1_000;

/**
 * `GET /admin/upstreams` (issue 17): the running version's upstreams, each endpoint with the
 * primary's active health and the workers' outlier ejections and in-flight requests merged
 * (`upstreamsView`). Workers are asked over IPC (`Fleet.upstreamStates`); one that does not
 * answer within 1 s is left out, and `workers` on each endpoint says how many counted.
 */
export class UpstreamsApi {
  constructor(
    private readonly applier: ConfigApplier,
    private readonly fleet: FleetView,
  ) {}

  async getUpstreams(): Promise<AdminReply> {
    if (this.applier.current === null) throw new WeirError('WEIR_ERR_NO_WORKERS', 'no config has been applied yet');
    const answers = this.fleet.upstreamStates === undefined ? [] : await this.fleet.upstreamStates(UPSTREAMS_TIMEOUT_MS);
    const health = this.fleet.healthTable?.() ?? [];
    // Read after the round: an apply meanwhile shows its own upstreams.
    const running = this.applier.current;
    if (running === null) throw new WeirError('WEIR_ERR_NO_WORKERS', 'no config has been applied yet');
    return { status: 200, body: upstreamsView(running.spec, health, answers) };
  }
}
