import type { LeaseGrant, LeaseRequest, LeaseReturn } from '@weir/limits';
import type { Logger } from '@weir/obs';
import type { WorkerChannel } from './worker-channel';

/** What the fleet needs of the primary's lease bank (`LeaseServer` of `@weir/limits`). */
export interface LeaseBankPort {
  request(req: LeaseRequest): LeaseGrant | Promise<LeaseGrant>;
  giveBack(ret: LeaseReturn): void;
}

/**
 * Answers workers' rate-limit leases (`weir:lease` -> `weir:lease-grant`) from the primary's
 * bank. Without a bank, or when it throws or rejects (logged), a lease is granted in full:
 * rate limits fail open rather than refuse every request.
 */
export class LeaseAnswers {
  private readonly bank: LeaseBankPort | null;
  private readonly logger: Logger;

  constructor(bank: LeaseBankPort | null, logger: Logger) {
    this.bank = bank;
    this.logger = logger;
  }

  answer(channel: WorkerChannel, id: number, request: LeaseRequest): void {
    const bank = this.bank;
    if (bank === null) {
      channel.send({ type: 'weir:lease-grant', id, grant: openGrant(request) });
      return;
    }
    let answer: LeaseGrant | Promise<LeaseGrant>;
    try {
      answer = bank.request(request);
    } catch (err) {
      this.failed(channel, id, request, err);
      return;
    }
    if (!(answer instanceof Promise)) {
      channel.send({ type: 'weir:lease-grant', id, grant: answer });
      return;
    }
    answer.then(
      (grant) => channel.send({ type: 'weir:lease-grant', id, grant }),
      (err: unknown) => this.failed(channel, id, request, err),
    );
  }

  /** Unspent tokens a worker hands back (`weir:lease-return`). */
  giveBack(ret: LeaseReturn): void {
    if (this.bank !== null) this.bank.giveBack(ret);
  }

  private failed(channel: WorkerChannel, id: number, request: LeaseRequest, err: unknown): void {
    this.logger.error({ err }, 'lease bank failed');
    channel.send({ type: 'weir:lease-grant', id, grant: openGrant(request) });
  }
}

/** The grant of a lease nobody can judge: everything asked for (rate limits fail open). */
function openGrant(request: LeaseRequest): LeaseGrant {
  return { granted: request.want, retryAfterMs: 0, remaining: 0 };
}
