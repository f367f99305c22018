/**
 * The job queue. Jobs run one at a time on the engine; each has a run row in the project that
 * follows its state. The runner turns the worker's reports into contract events: progress with
 * an ETA at least once a second (a heartbeat repeats the latest report while a step is long),
 * metrics as they come, and one `job.finished` per job. A failing job reports its message and
 * the queue goes on.
 */
import { randomUUID } from 'node:crypto';
import type { EventName, EventPayload } from '../common/contract';
import type { JobSummary, RunKind } from '../common/schemas';
import type { EngineFrame, JobResult, JobSpec, TrainingCheckpoint } from '../engine/protocol';
import type { JobOutcome } from './engine-client';
import type { EnginePool, Shard } from './engine-pool';

export interface JobDefinition {
  runId: number;
  kind: RunKind;
  /**
   * Builds the engine work (reads the project) when the job reaches the head of the queue:
   * one spec, or shards that the engine pool runs in parallel and `merge` puts back together.
   */
  prepare(): PreparedJob;
  onStarted(backend: string, engineVersion: string): void;
  onMetrics(step: number, values: Record<string, number>): void;
  /** Stores a training checkpoint sent at an epoch end (training jobs only). */
  onCheckpoint?(checkpoint: TrainingCheckpoint): void;
  /** Stores what the job produced; runs on the main thread, in one transaction. */
  onCompleted(result: JobResult): void;
  onFailed(error: string): void;
  onCancelled(): void;
}

export type PreparedJob =
  | { spec: JobSpec; transfer: ArrayBuffer[] }
  | { shards: Shard[]; merge(results: JobResult[]): JobResult };

type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

interface QueuedJob {
  jobId: string;
  definition: JobDefinition;
  summary: JobSummary;
  startedAt: number;
}

const heartbeatMs = 1000;

export class JobRunner {
  private readonly queue: QueuedJob[] = [];
  private current: QueuedJob | null = null;
  private readonly finished: JobSummary[] = [];

  constructor(
    private readonly engine: EnginePool,
    private readonly emit: Emit,
    private readonly engineInfo: () => { backend: string; engineVersion: string },
  ) {}

  get busy(): boolean {
    return this.current !== null || this.queue.length > 0;
  }

  list(): JobSummary[] {
    const live = [this.current, ...this.queue].filter((job): job is QueuedJob => job !== null);
    return [...live.map((job) => ({ ...job.summary })), ...this.finished.slice(-20)];
  }

  enqueue(definition: JobDefinition): { jobId: string; runId: number } {
    const jobId = randomUUID();
    this.queue.push({
      jobId,
      definition,
      startedAt: 0,
      summary: {
        jobId,
        runId: definition.runId,
        kind: definition.kind,
        state: 'queued',
        fraction: 0,
        message: 'queued',
      },
    });
    queueMicrotask(() => void this.pump());
    return { jobId, runId: definition.runId };
  }

  cancel(jobId: string): void {
    const queuedAt = this.queue.findIndex((job) => job.jobId === jobId);
    if (queuedAt >= 0) {
      const [job] = this.queue.splice(queuedAt, 1);
      if (job) this.settle(job, 'cancelled', null);
      return;
    }
    if (this.current?.jobId === jobId) {
      this.current.summary.message = 'cancelling…';
      this.engine.cancel(jobId);
      return;
    }
    throw new Error(`there is no queued or running job ${jobId}`);
  }

  /** Cancels everything (used when the app closes). */
  async shutdown(): Promise<void> {
    for (const job of [...this.queue]) this.cancel(job.jobId);
    if (this.current) this.engine.cancel(this.current.jobId);
    await this.engine.terminate();
  }

  private async pump(): Promise<void> {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    job.summary.state = 'running';
    job.startedAt = Date.now();
    const heartbeat = setInterval(() => this.emitProgress(job), heartbeatMs);
    try {
      const prepared = job.definition.prepare();
      await this.engine.start();
      const info = this.engineInfo();
      job.definition.onStarted(info.backend, info.engineVersion);
      this.emitProgress(job);
      const handlers = {
        onProgress: (fraction: number, message: string) => {
          job.summary.fraction = Math.min(1, Math.max(0, fraction));
          job.summary.message = message;
        },
        onMetrics: (step: number, values: Record<string, number>) => {
          job.definition.onMetrics(step, values);
          this.emit('job.metrics', { runId: job.definition.runId, step, values });
        },
        onCheckpoint: (checkpoint: TrainingCheckpoint) => job.definition.onCheckpoint?.(checkpoint),
        onFrames: (frames: EngineFrame[]) =>
          this.emit('job.frames', {
            runId: job.definition.runId,
            frames: frames.map((frame) => ({
              key: frame.key,
              caption: frame.caption,
              shape: frame.shape,
              data: Buffer.from(
                frame.data.buffer,
                frame.data.byteOffset,
                frame.data.byteLength,
              ).toString('base64'),
            })),
          }),
      };
      const outcome: JobOutcome =
        'shards' in prepared
          ? await this.engine.runShards(job.jobId, prepared.shards, handlers, prepared.merge)
          : await this.engine.run(job.jobId, prepared.spec, prepared.transfer, handlers);
      if (outcome.state === 'completed') {
        job.definition.onCompleted(outcome.result);
        this.settle(job, 'completed', null);
      } else if (outcome.state === 'cancelled') {
        job.definition.onCancelled();
        this.settle(job, 'cancelled', null);
      } else {
        job.definition.onFailed(outcome.error);
        this.settle(job, 'failed', outcome.error);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      try {
        job.definition.onFailed(message);
      } finally {
        this.settle(job, 'failed', message);
      }
    } finally {
      clearInterval(heartbeat);
      this.current = null;
      void this.pump();
    }
  }

  private emitProgress(job: QueuedJob): void {
    const { fraction, message } = job.summary;
    const elapsed = (Date.now() - job.startedAt) / 1000;
    // Constant-rate estimate: time so far × (what is left / what is done).
    const etaSeconds = fraction > 0.001 ? (elapsed * (1 - fraction)) / fraction : null;
    this.emit('job.progress', {
      jobId: job.jobId,
      runId: job.definition.runId,
      fraction,
      etaSeconds,
      elapsedSeconds: elapsed,
      message,
    });
  }

  private settle(
    job: QueuedJob,
    state: 'completed' | 'failed' | 'cancelled',
    error: string | null,
  ): void {
    if (state === 'cancelled' && job.summary.state === 'queued') job.definition.onCancelled();
    job.summary.state = state;
    if (state === 'completed') job.summary.fraction = 1;
    job.summary.message = error ?? state;
    this.finished.push({ ...job.summary });
    this.emit('job.finished', { jobId: job.jobId, runId: job.definition.runId, state, error });
  }
}
