/**
 * Progress from inside tight loops: forwards at most one message per interval (default 250 ms,
 * so the UI sees ≥ 1 update a second without a flood), and always the first and `force`d ones.
 * Also the single place that turns a cancel request into a JobCancelledError.
 */
import { JobCancelledError, type JobReporter } from '../engine-types';

export class ProgressThrottle {
  private lastSent = -Infinity;

  constructor(
    private readonly reporter: JobReporter,
    private readonly intervalMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  report(fraction: number, message: string, force = false): void {
    const time = this.now();
    if (!force && time - this.lastSent < this.intervalMs) return;
    this.lastSent = time;
    this.reporter.progress(Math.min(1, Math.max(0, fraction)), message);
  }

  throwIfCancelled(): void {
    if (this.reporter.cancelled()) throw new JobCancelledError();
  }
}
