/**
 * Lets through at most one event per interval, and always the first: what the progress and the
 * frame throttles share. `now` is injectable so that a test can drive the clock.
 */
export class IntervalGate {
  private lastPassed = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when an event now would go through (it lets none through). */
  due(): boolean {
    return this.now() - this.lastPassed >= this.intervalMs;
  }

  /** Lets an event through if it is due or `force`d; true when it went through. */
  pass(force = false): boolean {
    const time = this.now();
    if (!force && time - this.lastPassed < this.intervalMs) return false;
    this.lastPassed = time;
    return true;
  }
}
