/** A JobReporter for tests that records everything and can cancel on demand. */
import type { JobReporter } from '../../../src-main/engine/engine-types';

export class RecordingReporter implements JobReporter {
  readonly progressEvents: { fraction: number; message: string }[] = [];
  readonly metricEvents: { step: number; values: Record<string, number> }[] = [];
  cancelWhen: (reporter: RecordingReporter) => boolean = () => false;

  progress(fraction: number, message: string): void {
    this.progressEvents.push({ fraction, message });
  }

  metrics(step: number, values: Record<string, number>): void {
    this.metricEvents.push({ step, values });
  }

  cancelled(): boolean {
    return this.cancelWhen(this);
  }
}
