import { WeirError } from '@weir/errors';
import type { RolloutService } from './admin-deps';
import type { AdminReply } from './admin-reply';
import type { AdminPrincipal } from './token-verifier';

/** Longest `?wait=` accepted, in seconds: below the admin server's 120 s request timeout. */
export const MAX_WAIT_SECONDS = 60;

/**
 * The rollout endpoints (admin-api.md, "Rollouts"): start, list, get (with `?wait=` long-poll)
 * and the four actions. The rollout manager does the work; this turns calls into replies.
 */
export class RolloutApi {
  constructor(private readonly rollouts: RolloutService | null) {}

  async start(body: unknown, principal: AdminPrincipal): Promise<AdminReply> {
    const record = await this.service().start(body, principal.name);
    return { status: 201, body: record, headers: { location: `/admin/rollouts/${encodeURIComponent(record.id)}` } };
  }

  list(): AdminReply {
    const service = this.service();
    return { status: 200, body: { current: service.current, rollouts: service.list() } };
  }

  async get(id: string, query: string): Promise<AdminReply> {
    const wait = waitSeconds(query);
    const service = this.service();
    const record = wait === 0 ? service.get(id) : await service.wait(id, wait * 1000);
    return { status: 200, body: record };
  }

  async act(id: string, action: 'promote' | 'pause' | 'resume' | 'abort', body: unknown, principal: AdminPrincipal): Promise<AdminReply> {
    return { status: 200, body: await this.service().act(id, action, principal.name, body) };
  }

  private service(): RolloutService {
    if (this.rollouts === null) throw new WeirError('WEIR_ERR_ADMIN_NOT_FOUND', 'this process runs no rollout manager');
    return this.rollouts;
  }
}

/** `wait` from the query string: 0 when absent. @throws WEIR_ERR_BAD_REQUEST when malformed. */
function waitSeconds(query: string): number {
  const params = new URLSearchParams(query);
  const raw = params.get('wait');
  if (raw === null) return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_WAIT_SECONDS) {
    throw new WeirError('WEIR_ERR_BAD_REQUEST', `wait must be a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}`);
  }
  return n;
}
