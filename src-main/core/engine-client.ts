/**
 * The main thread's handle on the engine worker thread. One worker serves jobs one at a time (the
 * native TensorFlow addon must not be loaded in several threads). A worker that dies fails only the
 * job it was running; the next job starts a fresh worker.
 *
 * Everything here runs inside the worker's event handlers, where an exception has no caller and
 * would end the process. So a message that does not parse, or a job handler that throws (a full
 * disk while storing a checkpoint), fails the job it belongs to instead, and events of a worker
 * that has already been replaced are ignored.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { defaultEngineSettings, type EngineSettings } from '../common/environment-settings';
import type { BackendName, BackendStatus } from '../common/backend-schemas';
import { thrownMessage } from '../common/thrown-message';
import type { FromWorker, JobResult, JobSpec, ToWorker } from '../engine/protocol';
import type { EngineFrame, TrainingCheckpoint } from '../engine/engine-types';
import type { EngineWorkerData } from '../engine/worker/engine-worker-data';
import { readEngineMessage } from './engine-message';

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

/**
 * Who ended a cancelled job: 'worker' when the worker's job noticed its cancel flag and answered
 * 'cancelled' itself; 'client' when this side closed it without that answer (the job ignored the
 * flag past the grace period and its worker was terminated, the worker was stopped or broke its
 * protocol, or the job was cancelled before it reached the engine).
 */
export type CancelledBy = 'worker' | 'client';

export type JobOutcome =
  | { state: 'completed'; result: JobResult }
  | { state: 'cancelled'; by: CancelledBy }
  | { state: 'failed'; error: string };

interface ActiveJob {
  jobId: string;
  handlers: JobHandlers;
  cancelFlag: Int32Array;
  /** Set when the main thread could not handle one of the job's reports; the job then fails. */
  failure: string | null;
  settle(outcome: JobOutcome): void;
}

/** How long a cancelled job may take to notice the flag before its worker is terminated. */
const cancelGraceMs = 800;

export class EngineClient {
  private worker: Worker | null = null;
  private ready: Promise<EngineReady> | null = null;
  /** Rejects a start still waiting for 'ready' (no-op once it resolved). */
  private rejectReady: (error: Error) => void = () => {};
  private active: ActiveJob | null = null;

  constructor(
    private readonly workerPath: string,
    private readonly forcedBackend: BackendName | null,
    private readonly onReady: (ready: EngineReady) => void,
    /** Sent to the worker with its start (engine-worker.ts reads it from workerData). */
    private readonly settings: EngineSettings = defaultEngineSettings,
  ) {}

  /** Starts the worker if needed and resolves with the backend it chose. */
  start(): Promise<EngineReady> {
    if (this.ready) return this.ready;
    const workerData: EngineWorkerData = { settings: this.settings };
    const worker = new Worker(this.workerPath, { workerData });
    this.worker = worker;
    this.ready = new Promise<EngineReady>((resolveReady, rejectReady) => {
      this.rejectReady = rejectReady;
      worker.on('message', (raw: unknown) => {
        // A replaced worker's late messages belong to nobody.
        if (this.worker !== worker) return;
        const message = readEngineMessage(raw);
        if ('invalid' in message) {
          this.protocolBroken(`the engine sent ${message.invalid}`);
        } else if (message.type === 'ready') {
          const ready = { backend: message.backend, engineVersion: message.engineVersion };
          resolveReady(ready);
          try {
            this.onReady(ready);
          } catch (error) {
            console.error('engine client: the ready handler failed', error);
          }
        } else {
          this.dispatch(message);
        }
      });
      worker.on('messageerror', (error) => {
        if (this.worker !== worker) return;
        this.protocolBroken(`a message from the engine could not be read: ${error.message}`);
      });
      worker.on('error', (error) => {
        rejectReady(error);
        // 'exit' follows 'error'; by then a new worker may serve the next job, which it must
        // not fail, so only the worker that is current speaks.
        if (this.worker === worker) this.workerGone(`the engine worker crashed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        rejectReady(new Error(`the engine worker exited with code ${code} before it was ready`));
        if (this.worker === worker) this.workerGone(`the engine worker exited (code ${code})`);
      });
    });
    // Every caller awaits or catches the promise it is given; this keeps a start that fails
    // after its callers went away (a terminated worker) from becoming an unhandled rejection.
    this.ready.catch(() => {});
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
      const active: ActiveJob = {
        jobId,
        handlers,
        cancelFlag,
        failure: null,
        settle: (outcome) => {
          this.active = null;
          settle(active.failure === null ? outcome : { state: 'failed', error: active.failure });
        },
      };
      this.active = active;
      try {
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
      } catch (error) {
        // A spec that cannot be cloned, or a transfer list with a detached or repeated buffer:
        // without this the engine would stay "busy" with a job it never received.
        active.settle({
          state: 'failed',
          error: `could not send the job to the engine: ${thrownMessage(error)}`,
        });
      }
    });
  }

  /** Asks the running job to stop; if it has not stopped within the grace period, kills the worker. */
  cancel(jobId: string): void {
    const active = this.active;
    if (!active || active.jobId !== jobId) return;
    this.stop(active);
  }

  /** Raises the job's cancel flag; a job that ignores it has its worker terminated. */
  private stop(active: ActiveJob): void {
    Atomics.store(active.cancelFlag, 0, 1);
    setTimeout(() => {
      if (this.active === active) {
        active.settle({ state: 'cancelled', by: 'client' });
        this.terminate().catch((error: unknown) =>
          console.error('engine client: could not terminate the engine worker', error),
        );
      }
    }, cancelGraceMs);
  }

  /** Stops the worker; a job still running is settled as cancelled so its run is closed too. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    this.rejectReady(new Error('the engine worker was stopped before it was ready'));
    this.active?.settle({ state: 'cancelled', by: 'client' });
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
    try {
      this.deliver(active, message);
    } catch (error) {
      // The job cannot go on without this report (a checkpoint or metrics that were not
      // stored): it stops, and ends failed with the handler's message.
      console.error(
        `engine client: the ${message.type} report of job ${active.jobId} failed`,
        error,
      );
      active.failure ??= thrownMessage(error);
      this.stop(active);
    }
  }

  private deliver(active: ActiveJob, message: Exclude<FromWorker, { type: 'ready' }>): void {
    // After a failed report the job is stopping: only its end is still of interest.
    const ending =
      message.type === 'done' || message.type === 'cancelled' || message.type === 'failed';
    if (active.failure !== null && !ending) return;
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
        active.settle({ state: 'cancelled', by: 'worker' });
        break;
      case 'failed':
        active.settle({ state: 'failed', error: message.error });
        break;
    }
  }

  /** The worker said something we cannot act on: its job fails and a fresh worker takes over. */
  private protocolBroken(reason: string): void {
    console.error(`engine client: ${reason}`);
    this.rejectReady(new Error(reason));
    const active = this.active;
    if (active !== null) {
      active.failure ??= `the engine stopped following its protocol (${reason})`;
      active.settle({ state: 'cancelled', by: 'client' });
    }
    this.terminate().catch((error: unknown) =>
      console.error('engine client: could not terminate the engine worker', error),
    );
  }

  private workerGone(reason: string): void {
    this.worker = null;
    this.ready = null;
    this.rejectReady(new Error(reason));
    this.active?.settle({ state: 'failed', error: reason });
  }
}
