import * as http from 'node:http';

/** One finished request of a load run. */
export interface LoadSample {
  /** The load's epoch when the request was sent (see {@link Load.nextEpoch}). */
  readonly epoch: number;
  /** HTTP status, or 0 when the request failed without a response. */
  readonly status: number;
  /** Response body (UTF-8), or the error code of a failed request. */
  readonly body: string;
  /** Whether the request failed (no response, or a status other than 200). */
  readonly failed: boolean;
}

export interface LoadOptions {
  /** Proxy port on 127.0.0.1. */
  readonly port: number;
  /** Concurrent clients, each with its own keep-alive connection. Default 50. */
  readonly concurrency?: number;
  /** Request target. Default `/`. */
  readonly path?: string;
  /** Fresh connection per request instead of keep-alive. Default `false`. */
  readonly fresh?: boolean;
  /** Hard stop: no request is sent after this many ms, whatever the test does. Default 30000. */
  readonly maxDurationMs?: number;
}

/**
 * A bounded closed-loop load: `concurrency` clients each send a GET, wait for the whole
 * response, and send the next one, until {@link Load.stop} or the hard deadline. Every request
 * is kept as a sample, tagged with the epoch current when it was sent, so a test can ask what
 * happened to requests sent after some event (a reload, a worker restart).
 */
export class Load {
  /** Every finished request, in completion order. */
  readonly samples: LoadSample[] = [];
  private epochValue = 0;
  private stopped = false;
  private readonly agent: http.Agent | false;
  private readonly deadline: number;
  private readonly loops: Promise<void>[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly options: LoadOptions) {
    const concurrency = options.concurrency ?? 50;
    this.agent = options.fresh === true ? false : new http.Agent({ keepAlive: true, maxSockets: concurrency });
    this.deadline = Date.now() + (options.maxDurationMs ?? 30_000);
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop());
  }

  /** The current epoch. */
  get epoch(): number {
    return this.epochValue;
  }

  /** Start a new epoch: requests sent from now on carry the returned number. */
  nextEpoch(): number {
    this.epochValue += 1;
    return this.epochValue;
  }

  /** Samples whose request was sent in `epoch` or later. */
  since(epoch: number): LoadSample[] {
    return this.samples.filter((sample) => sample.epoch >= epoch);
  }

  /** Failed samples so far. */
  failures(): LoadSample[] {
    return this.samples.filter((sample) => sample.failed);
  }

  /**
   * Resolve once `count` requests sent in `epoch` or later have finished; reject after
   * `timeoutMs`.
   */
  waitFor(count: number, epoch: number, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): boolean => this.since(epoch).length >= count;
      if (check()) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`load: ${this.since(epoch).length}/${count} requests of epoch ${epoch} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        count,
        resolve: (): void => {
          if (!check()) return;
          clearTimeout(timer);
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Stop sending, wait for in-flight requests, close the connections. */
  async stop(): Promise<LoadSample[]> {
    this.stopped = true;
    await Promise.all(this.loops);
    if (this.agent) this.agent.destroy();
    return this.samples;
  }

  private async loop(): Promise<void> {
    while (!this.stopped && Date.now() < this.deadline) {
      const sample = await this.one(this.epochValue);
      this.samples.push(sample);
      for (const waiter of this.waiters.slice()) waiter.resolve();
    }
  }

  private one(epoch: number): Promise<LoadSample> {
    return new Promise<LoadSample>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port: this.options.port, path: this.options.path ?? '/', agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (err: NodeJS.ErrnoException) =>
            resolve({ epoch, status: 0, body: err.code ?? 'ERR', failed: true }),
          );
          res.on('close', () => {
            if (!res.complete) resolve({ epoch, status: 0, body: 'ABORTED', failed: true });
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            resolve({ epoch, status, body: Buffer.concat(chunks).toString('utf8'), failed: status !== 200 });
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ epoch, status: 0, body: err.code ?? 'ERR', failed: true }));
      req.end();
    });
  }
}

/** Count samples by body. */
export function countBodies(samples: readonly LoadSample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < samples.length; i++) {
    const body = (samples[i] as LoadSample).body;
    counts[body] = (counts[body] ?? 0) + 1;
  }
  return counts;
}
