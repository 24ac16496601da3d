/**
 * Running work that is split into steps (issue 15): a generator does one slice of the work
 * between `yield`s. The primary and tests run it in one go (`runSteps`); a worker's prepare runs
 * it with `runStepsAsync`, which awaits its `YieldFn` between slices so proxied requests are
 * served in between instead of waiting behind a whole 100,000-route decode or assemble.
 */

/**
 * Called between two slices of work; resolves when the next slice may run. Rejecting cancels
 * the work: `runStepsAsync` closes the generator (its `finally` blocks release what it took) and
 * rejects with that error. Tests inject one to count slices or to cancel.
 */
export type YieldFn = () => Promise<void>;

/** The default `YieldFn`: lets the event loop run its pending I/O once (`setImmediate`). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>(resolveOnImmediate);
}

function resolveOnImmediate(resolve: () => void): void {
  setImmediate(resolve);
}

/** Runs every step of `steps` at once and returns its result. */
export function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * Runs `steps`, awaiting `yieldFn` between two steps. When `yieldFn` rejects, the generator is
 * closed (`return()`, which runs its `finally` blocks) and the rejection is passed on.
 */
export async function runStepsAsync<T>(steps: Generator<void, T, void>, yieldFn: YieldFn): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    try {
      await yieldFn();
    } catch (err) {
      steps.return(undefined as unknown as T);
      throw err;
    }
  }
}
