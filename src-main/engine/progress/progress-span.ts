/**
 * A JobReporter for one stage of a multi-stage job: the stage's progress 0..1 lands in
 * [start, end] of the whole job's, its messages get a prefix, and its metric keys a namespace,
 * so stages that each train a model do not overwrite each other's curves.
 */
import type { JobReporter } from '../engine-types';

/**
 * A stage that is itself split into labelled stages: only its progress is rescaled to
 * [start, end]; messages and metrics pass through as its own stages name them.
 */
export function progressRange(reporter: JobReporter, start: number, end: number): JobReporter {
  return {
    progress: (fraction, message) =>
      reporter.progress(start + Math.min(1, Math.max(0, fraction)) * (end - start), message),
    metrics: (step, values) => reporter.metrics(step, values),
    cancelled: () => reporter.cancelled(),
  };
}

export function progressSpan(
  reporter: JobReporter,
  start: number,
  end: number,
  label: string,
  metricPrefix = '',
): JobReporter {
  const range = progressRange(reporter, start, end);
  return {
    progress: (fraction, message) => range.progress(fraction, `${label} · ${message}`),
    metrics: (step, values) =>
      range.metrics(
        step,
        Object.fromEntries(
          Object.entries(values).map(([key, value]) => [metricPrefix + key, value]),
        ),
      ),
    cancelled: () => range.cancelled(),
  };
}
