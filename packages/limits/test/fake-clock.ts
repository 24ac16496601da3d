/** A manual clock for the pure modules: `now()` is the Clock, `advance(ms)` moves it. */
export class FakeClock {
  t = 1000;
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}
