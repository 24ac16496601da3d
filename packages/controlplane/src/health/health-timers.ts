/**
 * The timers the health checker schedules with (STYLE.md rule 9): intervals between checks and
 * each check's timeout. Unit tests inject a manual scheduler and fire timers by hand.
 */
export interface HealthTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Node's timers, unref'd: pending checks never keep the primary alive on their own (the fleet
 * and the admin server decide when it exits).
 */
export const realHealthTimers: HealthTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
