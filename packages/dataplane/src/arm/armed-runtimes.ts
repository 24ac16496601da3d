import type { IncomingMessage } from 'node:http';
import { RuntimeStore } from '@weir/runtime';
import type { WorkerRuntime } from '../assemble/index';
import { ArmChooser, type ArmSettings } from './arm-chooser';

/**
 * The runtimes requests can get: the committed (stable) one, and during a rollout a candidate
 * next to it (DESIGN.md section 7: "rollout arms are two runtimes in one worker"). Each arm has
 * its own `RuntimeStore`, so a dropped candidate retires after its last request like any
 * superseded runtime.
 *
 * ```
 *   acquire(req):  chooser === null ──────────────────────► stable.acquire()
 *                  chooser.candidate(req) ? candidate.acquire() : stable.acquire()
 *   release(rt):   rt.arm === 'candidate' ? candidate.release(rt) : stable.release(rt)
 * ```
 *
 * Without a rollout `chooser` is null, and a request pays one null check for all of this.
 */
export class ArmedRuntimes {
  readonly stable: RuntimeStore<WorkerRuntime>;
  readonly candidate: RuntimeStore<WorkerRuntime>;
  private chooser: ArmChooser | null = null;
  private settings: ArmSettings | null = null;
  private readonly random: () => number;

  constructor(onRetireError: (err: unknown, runtime: WorkerRuntime) => void, random: () => number = Math.random) {
    this.stable = new RuntimeStore<WorkerRuntime>({ onRetireError });
    this.candidate = new RuntimeStore<WorkerRuntime>({ onRetireError });
    this.random = random;
  }

  /** The committed runtime (what readiness and status report), or null before the first commit. */
  current(): WorkerRuntime | null {
    return this.stable.current();
  }

  /** The candidate runtime of a rollout, or null. */
  currentCandidate(): WorkerRuntime | null {
    return this.candidate.current();
  }

  /** The arm split in force, or null when every request goes to the stable runtime. */
  get arm(): ArmSettings | null {
    return this.settings;
  }

  acquire(req: IncomingMessage): WorkerRuntime {
    const chooser = this.chooser;
    if (chooser !== null) {
      // Sticky by client address means the resolved one (behind trusted proxies, the stable
      // runtime's `clientAddress` policy), as everywhere else.
      const peer = req.socket.remoteAddress;
      const stable = this.stable.current();
      const client = stable === null || peer === undefined ? peer : stable.clientAddressOf(peer, req.rawHeaders);
      if (chooser.candidate(req.rawHeaders, client)) return this.candidate.acquire();
    }
    return this.stable.acquire();
  }

  release(runtime: WorkerRuntime): void {
    if (runtime.arm === 'candidate') this.candidate.release(runtime);
    else this.stable.release(runtime);
  }

  /** Requests holding any runtime of either arm. */
  inFlight(): number {
    return this.stable.inFlight() + this.candidate.inFlight();
  }

  /** Serve `runtime` as the candidate; requests reach it once `split` gives it a share. */
  publishCandidate(runtime: WorkerRuntime): void {
    this.candidate.publish(runtime);
  }

  /**
   * Send `settings.percent` of requests to the candidate. Ignored (the split stays off) while no
   * candidate is published: a request must never be chosen for a runtime that does not exist.
   */
  split(settings: ArmSettings): void {
    if (this.candidate.current() === null) return;
    this.settings = settings;
    this.chooser = settings.percent > 0 ? new ArmChooser(settings, this.random) : null;
  }

  /** Stop choosing the candidate; it retires after its last request. */
  dropCandidate(): void {
    this.chooser = null;
    this.settings = null;
    this.candidate.withdraw();
  }

  /** Shutdown: retire both arms now, held or not (after the drain timeout). */
  async retireAll(): Promise<void> {
    this.chooser = null;
    this.settings = null;
    await Promise.all([this.candidate.retireAll(), this.stable.retireAll()]);
  }
}
