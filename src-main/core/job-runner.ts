/**
 * The job queue. Jobs run one at a time on the engine; each has a run row in the project that
 * follows its state. The runner turns the worker's reports into contract events: progress with
 * an ETA at least once a second (a heartbeat repeats the latest report while a step is long),
 * metrics as they come, and one `job.finished` per job. A failing job reports its message and
 * the queue goes on.
 *
 * It is also the last line of defence for jobs: whatever a job's callbacks, prepare() or merge()
 * throw, and however the engine fails, the job ends failed with a message in the person's words
 * (storage-failure.ts), the error is logged with its stack, and the next job starts. Nothing
 * escapes into the engine's event handlers or a timer, where it would end the process.
 *
 * A run whose end cannot be written (the disk is still full) keeps its end here and the runner
 * writes it before the next job starts and at shutdown; until then the row says 'running', and
 * if the process ends first, the next open marks it interrupted, as after a crash.
 */
import { randomUUID } from 'node:crypto';
import type { EventName, EventPayload } from '../common/contract';
import type { JobSummary, RunKind } from '../common/run-schemas';
import type { JobResult, JobSpec } from '../engine/protocol';
import type { EngineFrame, TrainingCheckpoint } from '../engine/engine-types';
import type { JobHandlers, JobOutcome } from './engine-client';
import type { EnginePool, Shard } from './engine-pool';
import { describeAttempt, failureMessage, storageProblem, type Attempt } from './storage-failure';

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

/** What the runner needs of the engine (the pool; a fake in tests). */
export type JobEngine = Pick<EnginePool, 'start' | 'run' | 'runShards' | 'cancel' | 'terminate'>;

type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

interface QueuedJob {
  jobId: string;
  definition: JobDefinition;
  summary: JobSummary;
  startedAt: number;
  /** The first failure of one of the job's own steps; the job ends failed with it. */
  failure: string | null;
}

/** A run's end that could not be written yet. */
interface UnwrittenEnd {
  runId: number;
  write(): void;
}

const heartbeatMs = 1000;

export class JobRunner {
  private readonly queue: QueuedJob[] = [];
  private current: QueuedJob | null = null;
  private readonly finished: JobSummary[] = [];
  private readonly unwritten: UnwrittenEnd[] = [];

  constructor(
    private readonly engine: JobEngine,
    private readonly emit: Emit,
    private readonly engineInfo: () => { backend: string; engineVersion: string },
    /** The open project's file, named in messages about writes to it. */
    private readonly projectPath: () => string | null = () => null,
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
      failure: null,
      summary: {
        jobId,
        runId: definition.runId,
        kind: definition.kind,
        state: 'queued',
        fraction: 0,
        message: 'queued',
      },
    });
    queueMicrotask(() => this.next());
    return { jobId, runId: definition.runId };
  }

  cancel(jobId: string): void {
    const queuedAt = this.queue.findIndex((job) => job.jobId === jobId);
    if (queuedAt >= 0) {
      const [job] = this.queue.splice(queuedAt, 1);
      if (job) this.end(job, { state: 'cancelled', by: 'client' });
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
    // The last chance to write the ends that were kept back.
    this.writeUnwritten();
    await this.engine.terminate();
  }

  /** Starts the next job; pump never rejects, and this keeps even a bug in it from escaping. */
  private next(): void {
    this.pump().catch((error: unknown) => console.error('job runner: the queue failed', error));
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
      this.writeUnwritten();
      this.end(job, await this.execute(job));
    } catch (error) {
      console.error(`job runner: job ${job.jobId} failed outside its steps`, error);
      this.end(job, {
        state: 'failed',
        error: failureMessage(error, { doing: 'run the job' }, null),
      });
    } finally {
      clearInterval(heartbeat);
      this.current = null;
      this.next();
    }
  }

  /** Runs the job to its outcome; every step's error becomes a failed outcome. */
  private async execute(job: QueuedJob): Promise<JobOutcome> {
    const { definition } = job;
    let prepared: PreparedJob;
    try {
      prepared = definition.prepare();
    } catch (error) {
      return this.failed(job, { doing: 'prepare the run' }, error);
    }
    try {
      await this.engine.start();
    } catch (error) {
      return this.failed(job, { doing: 'start the engine' }, error);
    }
    const info = this.engineInfo();
    if (
      !this.step(job, { writing: "the run's start" }, () =>
        definition.onStarted(info.backend, info.engineVersion),
      )
    ) {
      return { state: 'failed', error: job.failure ?? 'the run could not start' };
    }
    this.emitProgress(job);
    const handlers = this.handlers(job);
    let outcome: JobOutcome;
    try {
      outcome =
        'shards' in prepared
          ? await this.engine.runShards(job.jobId, prepared.shards, handlers, (results) =>
              this.merged(job, prepared, results),
            )
          : await this.engine.run(job.jobId, prepared.spec, prepared.transfer, handlers);
    } catch (error) {
      outcome = this.failed(job, { doing: 'run the job in the engine' }, error);
    }
    // A step that failed on this side (a checkpoint not stored) stopped the engine; the job
    // ends with that failure, whatever the engine answered after it.
    return job.failure === null ? outcome : { state: 'failed', error: job.failure };
  }

  /** The engine's reports, each stored and passed on; a report that cannot be stored stops the job. */
  private handlers(job: QueuedJob): JobHandlers {
    const { definition } = job;
    const runId = definition.runId;
    return {
      onProgress: (fraction, message) => {
        job.summary.fraction = Math.min(1, Math.max(0, fraction));
        job.summary.message = message;
      },
      onMetrics: (step, values) => {
        if (job.failure !== null) return;
        if (
          this.step(job, { writing: `the metrics of step ${step}` }, () =>
            definition.onMetrics(step, values),
          )
        ) {
          this.emit('job.metrics', { runId, step, values });
        }
      },
      onCheckpoint: (checkpoint) => {
        if (job.failure !== null) return;
        this.step(job, { writing: `the checkpoint of epoch ${checkpoint.epoch}` }, () =>
          definition.onCheckpoint?.(checkpoint),
        );
      },
      onFrames: (frames) => this.emit('job.frames', { runId, frames: frames.map(encodeFrame) }),
    };
  }

  private merged(
    job: QueuedJob,
    prepared: { merge(results: JobResult[]): JobResult },
    results: JobResult[],
  ): JobResult {
    try {
      return prepared.merge(results);
    } catch (error) {
      this.failed(job, { doing: "combine the shards' results" }, error);
      throw error;
    }
  }

  /**
   * Runs one of the job's steps. On an error: logs it, keeps the job's first failure, stops the
   * job in the engine, and returns false.
   */
  private step(job: QueuedJob, attempt: Attempt, run: () => void): boolean {
    try {
      run();
      return true;
    } catch (error) {
      this.failed(job, attempt, error);
      this.engine.cancel(job.jobId);
      return false;
    }
  }

  private failed(job: QueuedJob, attempt: Attempt, error: unknown): JobOutcome {
    console.error(
      `job runner: run ${job.definition.runId} could not ${describeAttempt(attempt)}`,
      error,
    );
    job.failure ??= failureMessage(error, attempt, this.projectPath());
    return { state: 'failed', error: job.failure };
  }

  /**
   * Writes the run's end and announces it. An end that cannot be written turns into a failure
   * with that message (a completed run whose model could not be stored did not complete); a
   * failure that cannot be written either is kept and written later (writeUnwritten).
   */
  private end(job: QueuedJob, outcome: JobOutcome): void {
    const { definition } = job;
    if (outcome.state === 'completed') {
      if (
        this.step(job, { writing: "the run's results" }, () =>
          definition.onCompleted(outcome.result),
        )
      ) {
        this.settle(job, 'completed', null);
        return;
      }
    } else if (outcome.state === 'cancelled') {
      if (
        this.step(job, { writing: "the run's end (cancelled)" }, () => definition.onCancelled())
      ) {
        this.settle(job, 'cancelled', null);
        return;
      }
    }
    const error = outcome.state === 'failed' ? outcome.error : (job.failure ?? 'the run failed');
    try {
      definition.onFailed(error);
    } catch (writeError) {
      console.error(`job runner: run ${definition.runId} could not be marked failed`, writeError);
      this.unwritten.push({ runId: definition.runId, write: () => definition.onFailed(error) });
    }
    this.settle(job, 'failed', error);
  }

  /** Retries the ends kept back; keeps those that still meet a storage problem. */
  private writeUnwritten(): void {
    for (const end of this.unwritten.splice(0)) {
      try {
        end.write();
      } catch (error) {
        if (storageProblem(error) !== null) this.unwritten.push(end);
        // Anything else (the project was closed since) will not get better: the next open of
        // that project marks the run interrupted.
        else console.error(`job runner: gave up writing the end of run ${end.runId}`, error);
      }
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
    job.summary.state = state;
    if (state === 'completed') job.summary.fraction = 1;
    job.summary.message = error ?? state;
    this.finished.push({ ...job.summary });
    this.emit('job.finished', { jobId: job.jobId, runId: job.definition.runId, state, error });
  }
}

function encodeFrame(frame: EngineFrame) {
  return {
    key: frame.key,
    caption: frame.caption,
    shape: frame.shape,
    data: Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength).toString(
      'base64',
    ),
  };
}
