/**
 * The timers the JWKS fetcher schedules with (STYLE.md rule 9): refreshes, retries and each
 * fetch's deadline. Unit tests inject a manual scheduler and fire timers by hand.
 */
export interface JwksTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd: a pending refresh never keeps the primary alive on its own. */
export const realJwksTimers: JwksTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
