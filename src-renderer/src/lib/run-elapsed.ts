/**
 * How long a run has taken, or has been running, as shown in run headers and the runs table.
 * Self-contained (no @common import) so that the unit tests load it directly.
 */
import { duration, elapsed } from './format';

/** The parts of a RunSummary (common/run-schemas.ts) read here. */
export interface TimedRun {
  startedAt: string | null;
  finishedAt: string | null;
}

/** What of a live job the elapsed time needs (JobView has it). */
export interface LiveJobTime {
  phase: string;
  /** Seconds the job had run at its last progress event; null before the first. */
  elapsedSeconds: number | null;
  /** When that event arrived, in the same clock as `now` (milliseconds). */
  elapsedAt: number;
}

/**
 * A running job counts on from its last progress event (the run list may not hold its startedAt
 * yet); otherwise the run's own start and finish times, with `now` for a run still going.
 */
export function runElapsed(
  run: TimedRun | undefined,
  job: LiveJobTime | undefined,
  now: number,
): string {
  if (job?.phase === 'running' && job.elapsedSeconds !== null) {
    return duration(job.elapsedSeconds + Math.max(0, now - job.elapsedAt) / 1000);
  }
  return run ? elapsed(run.startedAt, run.finishedAt, now) : '—';
}
