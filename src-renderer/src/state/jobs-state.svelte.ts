/** Progress, live metrics and final state of the jobs this window has seen, keyed by run id. */
import type { EventPayload } from '@common/contract';
import type { MetricPoint } from '@common/run-schemas';

export type JobPhase = 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobView {
  jobId: string;
  runId: number;
  fraction: number;
  etaSeconds: number | null;
  /** Seconds the job had run at its last progress event (null before the first one)… */
  elapsedSeconds: number | null;
  /** …and when, in this window's Date.now(), that event arrived: the clock counts on from it. */
  elapsedAt: number;
  message: string;
  phase: JobPhase;
  error: string | null;
}

export class JobsState {
  #jobs = $state.raw<Record<number, JobView>>({});
  #metrics = $state.raw<Record<number, MetricPoint[]>>({});

  job(runId: number | null): JobView | undefined {
    return runId === null ? undefined : this.#jobs[runId];
  }

  /** Metric points streamed for a run since this window started watching it. */
  liveMetrics(runId: number | null): readonly MetricPoint[] {
    return runId === null ? [] : (this.#metrics[runId] ?? []);
  }

  get running(): readonly JobView[] {
    return Object.values(this.#jobs).filter((job) => job.phase === 'running');
  }

  started(jobId: string, runId: number): void {
    this.#put({
      jobId,
      runId,
      fraction: 0,
      etaSeconds: null,
      elapsedSeconds: null,
      elapsedAt: Date.now(),
      message: 'queued',
      phase: 'running',
      error: null,
    });
  }

  progress(event: EventPayload<'job.progress'>): void {
    const previous = this.#jobs[event.runId];
    if (previous && previous.phase !== 'running') return;
    this.#put({
      jobId: event.jobId,
      runId: event.runId,
      fraction: event.fraction,
      etaSeconds: event.etaSeconds,
      elapsedSeconds: event.elapsedSeconds,
      elapsedAt: Date.now(),
      message: event.message,
      phase: 'running',
      error: null,
    });
  }

  metrics(event: EventPayload<'job.metrics'>): void {
    const added = Object.entries(event.values).map(([key, value]) => ({
      step: event.step,
      key,
      value,
    }));
    const existing = this.#metrics[event.runId] ?? [];
    this.#metrics = { ...this.#metrics, [event.runId]: [...existing, ...added] };
  }

  finished(event: EventPayload<'job.finished'>): void {
    const previous = this.#jobs[event.runId];
    this.#put({
      jobId: event.jobId,
      runId: event.runId,
      fraction: event.state === 'completed' ? 1 : (previous?.fraction ?? 0),
      etaSeconds: null,
      elapsedSeconds: null,
      elapsedAt: Date.now(),
      message: event.state,
      phase: event.state,
      error: event.error,
    });
  }

  clear(): void {
    this.#jobs = {};
    this.#metrics = {};
  }

  #put(job: JobView): void {
    this.#jobs = { ...this.#jobs, [job.runId]: job };
  }
}
