/**
 * One endpoint's active health: a pure state machine over check results (STYLE.md rule 10).
 *
 * ```
 *              failure x unhealthyThreshold (consecutive)
 *   healthy  ─────────────────────────────────────────────>  unhealthy
 *            <─────────────────────────────────────────────
 *              success x healthyThreshold (consecutive),
 *              or the first success of a never-checked endpoint
 * ```
 *
 * A never-checked endpoint that starts unhealthy (`initialState: "unhealthy"`) turns healthy
 * after one success, as Envoy does for new hosts, so a new endpoint joins after one pass rather
 * than `healthyThreshold` intervals. A result always resets the opposite streak.
 */
export class HealthState {
  /** Current judgement. */
  healthy: boolean;
  /** Consecutive successes (0 after a failure). */
  successes: number;
  /** Consecutive failures (0 after a success). */
  failures: number;
  /** At least one result was recorded. */
  checked: boolean;

  constructor(healthy: boolean) {
    this.healthy = healthy;
    this.successes = 0;
    this.failures = 0;
    this.checked = false;
  }

  /**
   * Records one check result under the given thresholds (both at least 1). Returns true when
   * `healthy` changed.
   */
  record(success: boolean, healthyThreshold: number, unhealthyThreshold: number): boolean {
    const first = !this.checked;
    this.checked = true;
    if (success) {
      this.failures = 0;
      this.successes++;
      if (!this.healthy && (first || this.successes >= healthyThreshold)) {
        this.healthy = true;
        return true;
      }
      return false;
    }
    this.successes = 0;
    this.failures++;
    if (this.healthy && this.failures >= unhealthyThreshold) {
      this.healthy = false;
      return true;
    }
    return false;
  }
}
