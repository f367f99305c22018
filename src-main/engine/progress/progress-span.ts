/**
 * A JobReporter for one stage of a multi-stage job: the stage's progress 0..1 lands in
 * [start, end] of the whole job's, its messages get a prefix, and its metric keys a namespace,
 * so stages that each train a model do not overwrite each other's curves.
 */
import type { JobReporter } from '../engine-types';

export function progressSpan(
  reporter: JobReporter,
  start: number,
  end: number,
  label: string,
  metricPrefix = '',
): JobReporter {
  return {
    progress: (fraction, message) =>
      reporter.progress(
        start + Math.min(1, Math.max(0, fraction)) * (end - start),
        `${label} · ${message}`,
      ),
    metrics: (step, values) =>
      reporter.metrics(
        step,
        Object.fromEntries(
          Object.entries(values).map(([key, value]) => [metricPrefix + key, value]),
        ),
      ),
    cancelled: () => reporter.cancelled(),
  };
}
