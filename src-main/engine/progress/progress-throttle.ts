/**
 * Progress from inside tight loops: forwards at most one message per interval (default 250 ms,
 * so the UI sees ≥ 1 update a second without a flood), and always the first and `force`d ones.
 * Also the single place that turns a cancel request into a JobCancelledError.
 */
import { JobCancelledError, type JobReporter } from '../engine-types';
import { IntervalGate } from './interval-gate';

export class ProgressThrottle {
  constructor(
    private readonly reporter: JobReporter,
    private readonly gate = new IntervalGate(250),
  ) {}

  report(fraction: number, message: string, force = false): void {
    if (!this.gate.pass(force)) return;
    this.reporter.progress(Math.min(1, Math.max(0, fraction)), message);
  }

  throwIfCancelled(): void {
    if (this.reporter.cancelled()) throw new JobCancelledError();
  }
}
