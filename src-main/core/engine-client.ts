/**
 * The main thread's handle on the engine worker thread. One worker serves jobs one at a time (the
 * native TensorFlow addon must not be loaded in several threads). A worker that dies fails only the
 * job it was running; the next job starts a fresh worker.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BackendName, BackendStatus } from '../common/schemas';
import type {
  EngineFrame,
  FromWorker,
  JobResult,
  JobSpec,
  ToWorker,
  TrainingCheckpoint,
} from '../engine/protocol';

export interface EngineReady {
  backend: BackendStatus;
  engineVersion: string;
}

export interface JobHandlers {
  onProgress(fraction: number, message: string): void;
  onMetrics(step: number, values: Record<string, number>): void;
  /** A training job's epoch-end checkpoint (training jobs only). */
  onCheckpoint?(checkpoint: TrainingCheckpoint): void;
  /** Intermediate pictures of a features view. */
  onFrames?(frames: EngineFrame[]): void;
}

export type JobOutcome =
  | { state: 'completed'; result: JobResult }
  | { state: 'cancelled' }
  | { state: 'failed'; error: string };

interface ActiveJob {
  jobId: string;
  handlers: JobHandlers;
  cancelFlag: Int32Array;
  settle(outcome: JobOutcome): void;
}

/** How long a cancelled job may take to notice the flag before its worker is terminated. */
const cancelGraceMs = 800;

export class EngineClient {
  private worker: Worker | null = null;
  private ready: Promise<EngineReady> | null = null;
  private active: ActiveJob | null = null;

  constructor(
    private readonly workerPath: string,
    private readonly forcedBackend: BackendName | null,
    private readonly onReady: (ready: EngineReady) => void,
  ) {}

  /** Starts the worker if needed and resolves with the backend it chose. */
  start(): Promise<EngineReady> {
    if (this.ready) return this.ready;
    const worker = new Worker(this.workerPath);
    this.worker = worker;
    this.ready = new Promise<EngineReady>((resolveReady, rejectReady) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          const ready = { backend: message.backend, engineVersion: message.engineVersion };
          this.onReady(ready);
          resolveReady(ready);
        } else {
          this.dispatch(message);
        }
      });
      worker.on('error', (error) => {
        rejectReady(error);
        this.workerGone(`the engine worker crashed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        rejectReady(new Error(`the engine worker exited with code ${code} before it was ready`));
        this.workerGone(`the engine worker exited (code ${code})`);
      });
    });
    this.post({ type: 'init', forcedBackend: this.forcedBackend });
    return this.ready;
  }

  /** Runs one job; resolves with its outcome (never rejects for job errors). */
  async run(
    jobId: string,
    spec: JobSpec,
    transfer: ArrayBuffer[],
    handlers: JobHandlers,
    kernelThreads: number = availableParallelism(),
  ): Promise<JobOutcome> {
    if (this.active) throw new Error('the engine is already running a job');
    await this.start();
    const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
    return new Promise<JobOutcome>((settle) => {
      this.active = {
        jobId,
        handlers,
        cancelFlag,
        settle: (outcome) => {
          this.active = null;
          settle(outcome);
        },
      };
      this.post(
        {
          type: 'run',
          jobId,
          spec,
          cancelFlag: cancelFlag.buffer as SharedArrayBuffer,
          kernelThreads,
        },
        transfer,
      );
    });
  }

  /** Asks the running job to stop; if it has not stopped within the grace period, kills the worker. */
  cancel(jobId: string): void {
    const active = this.active;
    if (!active || active.jobId !== jobId) return;
    Atomics.store(active.cancelFlag, 0, 1);
    setTimeout(() => {
      if (this.active === active) {
        active.settle({ state: 'cancelled' });
        void this.terminate();
      }
    }, cancelGraceMs);
  }

  /** Stops the worker; a job still running is settled as cancelled so its run is closed too. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    this.active?.settle({ state: 'cancelled' });
    if (worker) {
      worker.removeAllListeners();
      await worker.terminate();
    }
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  private dispatch(message: Exclude<FromWorker, { type: 'ready' }>): void {
    const active = this.active;
    if (!active || active.jobId !== message.jobId) return;
    switch (message.type) {
      case 'progress':
        active.handlers.onProgress(message.fraction, message.message);
        break;
      case 'metrics':
        active.handlers.onMetrics(message.step, message.values);
        break;
      case 'checkpoint':
        active.handlers.onCheckpoint?.(message.checkpoint);
        break;
      case 'frames':
        active.handlers.onFrames?.(message.frames);
        break;
      case 'done':
        active.settle({ state: 'completed', result: message.result });
        break;
      case 'cancelled':
        active.settle({ state: 'cancelled' });
        break;
      case 'failed':
        active.settle({ state: 'failed', error: message.error });
        break;
    }
  }

  private workerGone(reason: string): void {
    this.worker = null;
    this.ready = null;
    this.active?.settle({ state: 'failed', error: reason });
  }
}
