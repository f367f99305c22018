/**
 * The worker's protocol logic, apart from worker_threads so tests can drive it with a fake port:
 *   init → select the backend once → 'ready' {backend, engineVersion}
 *   run  → runJob with a reporter whose cancelled() reads the shared flag → progress/metrics…,
 *          then exactly one of 'done' (buffers transferred) | 'cancelled' | 'failed'.
 * A failing job never takes the worker down: it answers 'failed' and keeps serving.
 */
import { defaultEngineSettings, type EngineSettings } from '../../common/environment-settings';
import type { BackendName, BackendStatus } from '../../common/backend-schemas';
import { selectBackend } from '../backend/select-backend';
import { engineVersion } from '../engine-version';
import { runJob } from '../jobs/run-job';
import { setNativeKernelThreads } from '../kernels/native/register-native-kernels';
import { errorMessage } from '../backend/load-optional-package';
import type { FromWorker, ToWorker } from '../protocol';
import { JobCancelledError, type JobReporter } from '../engine-types';
import { transferList } from './transfer-list';
import { checkpointBuffers } from '../training/training-checkpoint';

export type Post = (message: FromWorker, transfer?: ArrayBuffer[]) => void;

export function cancelFlagReader(cancelFlag: SharedArrayBuffer): () => boolean {
  const flag = new Int32Array(cancelFlag);
  return () => Atomics.load(flag, 0) !== 0;
}

export class EngineMessageHandler {
  private backend: Promise<BackendStatus> | null = null;
  /** Jobs run one at a time; a 'run' that arrives during one waits for it. */
  private queue: Promise<void> = Promise.resolve();

  private readonly choose: (forced: BackendName | null) => Promise<BackendStatus>;

  constructor(
    private readonly post: Post,
    /** Picks the backend; selectBackend with these settings by default (tests pass a fake). */
    choose?: (forced: BackendName | null) => Promise<BackendStatus>,
    /** The settings the worker was started with (engine-worker-data.ts). */
    private readonly settings: EngineSettings = defaultEngineSettings,
  ) {
    this.choose = choose ?? ((forced) => selectBackend(forced, { settings }));
  }

  handle(message: ToWorker): Promise<void> {
    if (message.type === 'init') return this.init(message.forcedBackend);
    if (message.type === 'run') {
      const run = this.queue.then(() => this.run(message.jobId, message));
      // A job whose end could not even be posted must not stop the jobs queued after it.
      this.queue = run.catch(() => undefined);
      return run;
    }
    return Promise.resolve();
  }

  private async init(forced: BackendName | null): Promise<void> {
    // Backend selection is per process (tfjs is global): a second init reports the first result.
    this.backend ??= this.choose(forced);
    try {
      const backend = await this.backend;
      this.post({ type: 'ready', backend, engineVersion: engineVersion() });
    } catch (error) {
      this.backend = null;
      const status: BackendStatus = {
        active: null,
        attempts: [{ backend: forced ?? 'cpu', ok: false, reason: errorMessage(error) }],
        forcedBy: forced === null ? null : 'init',
        nativeKernels: null,
      };
      this.post({ type: 'ready', backend: status, engineVersion: engineVersion() });
    }
  }

  private async run(jobId: string, message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
    const cancelled = cancelFlagReader(message.cancelFlag);
    const reporter: JobReporter = {
      progress: (fraction, text) => this.post({ type: 'progress', jobId, fraction, message: text }),
      metrics: (step, values) => this.post({ type: 'metrics', jobId, step, values }),
      // A checkpoint is built from fresh buffers (see TrainingCheckpoint): move them, not copy.
      checkpoint: (checkpoint) =>
        this.post({ type: 'checkpoint', jobId, checkpoint }, checkpointBuffers(checkpoint)),
      frames: (frames) =>
        this.post(
          { type: 'frames', jobId, frames },
          frames.map((frame) => frame.data.buffer as ArrayBuffer),
        ),
      cancelled,
    };
    try {
      if (this.backend === null) throw new Error('the engine worker got a job before init');
      await this.backend;
      setNativeKernelThreads(message.kernelThreads, this.settings);
      const result = await runJob(message.spec, reporter);
      this.post({ type: 'done', jobId, result }, transferList(result));
    } catch (error) {
      this.postEnd(jobId, error);
    }
  }

  /**
   * Says how a job ended. Posting can fail too (a result that cannot be cloned, a closed port):
   * then the failure is reported as the job's error, so the main side never waits forever.
   */
  private postEnd(jobId: string, error: unknown): void {
    try {
      if (error instanceof JobCancelledError) this.post({ type: 'cancelled', jobId });
      else this.post({ type: 'failed', jobId, error: errorMessage(error) });
    } catch (postError) {
      this.post({
        type: 'failed',
        jobId,
        error: `${errorMessage(error)} (and reporting it failed: ${errorMessage(postError)})`,
      });
    }
  }
}
