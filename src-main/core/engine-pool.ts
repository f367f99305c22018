/**
 * A small pool of engine workers, so that work that splits by example (attacks now; evaluation
 * and inversion later) uses every core: Node gives the wasm backend one thread per worker.
 *
 * Worker 0 runs every job that does not split (training). Shards of a split job run one per
 * worker in parallel — but only on the JS/wasm backends: the native TensorFlow addon must be
 * loaded in one thread per process, so on 'tensorflow'/'tensorflow-gpu' shards run one after the
 * other on worker 0 (where TensorFlow's own thread pool already uses the cores).
 */
import { availableParallelism } from 'node:os';
import { defaultEngineSettings, type EngineSettings } from '../common/environment-settings';
import type { BackendName } from '../common/backend-schemas';
import type { JobResult, JobSpec } from '../engine/protocol';
import { thrownMessage } from '../common/thrown-message';
import { EngineClient, type EngineReady, type JobHandlers, type JobOutcome } from './engine-client';

export interface Shard {
  spec: JobSpec;
  transfer: ArrayBuffer[];
  /** Share of the whole job's work, for the combined progress (shares add up to 1). */
  weight: number;
}

const threadSafeBackends: ReadonlySet<string> = new Set(['wasm', 'cpu']);

export class EnginePool {
  private readonly clients: EngineClient[];
  private backend: string | null = null;

  constructor(
    workerPath: string,
    forcedBackend: BackendName | null,
    size: number,
    onReady: (ready: EngineReady) => void,
    /** What every worker is started with (common/environment-settings.ts). */
    settings: EngineSettings = defaultEngineSettings,
  ) {
    this.clients = Array.from(
      { length: Math.max(1, size) },
      (_, index) =>
        new EngineClient(
          workerPath,
          forcedBackend,
          (ready) => {
            this.backend = ready.backend.active;
            // Every worker makes the same choice; the first one speaks for the pool.
            if (index === 0) onReady(ready);
          },
          settings,
        ),
    );
  }

  get size(): number {
    return this.clients.length;
  }

  private get primary(): EngineClient {
    return this.clients[0] as EngineClient;
  }

  /** Starts every worker (each loads its backend once); resolves when the first is ready. */
  start(): Promise<EngineReady> {
    for (const client of this.clients.slice(1)) {
      client.start().catch(() => {
        // A worker that cannot start fails the shard sent to it, with its message.
      });
    }
    return this.primary.start();
  }

  run(
    jobId: string,
    spec: JobSpec,
    transfer: ArrayBuffer[],
    handlers: JobHandlers,
  ): Promise<JobOutcome> {
    return this.primary.run(jobId, spec, transfer, handlers);
  }

  /**
   * Runs the shards of one job and merges their results. The first shard to fail or be cancelled
   * cancels the others; the job fails with the first error.
   */
  async runShards(
    jobId: string,
    shards: Shard[],
    handlers: JobHandlers,
    merge: (results: JobResult[]) => JobResult,
  ): Promise<JobOutcome> {
    await this.start();
    const parallel = this.backend !== null && threadSafeBackends.has(this.backend);
    const fractions = shards.map(() => 0);
    const shardHandlers = (index: number): JobHandlers => ({
      onProgress: (fraction, message) => {
        fractions[index] = fraction;
        const total = shards.reduce((sum, shard, i) => sum + shard.weight * (fractions[i] ?? 0), 0);
        handlers.onProgress(
          total,
          parallel ? `${message} (shard ${index + 1}/${shards.length})` : message,
        );
      },
      onMetrics: handlers.onMetrics,
    });
    let outcomes: JobOutcome[];
    // Shards running at once share the cores between their native kernels.
    const concurrent = parallel ? Math.min(shards.length, this.clients.length) : 1;
    const kernelThreads = Math.max(1, Math.floor(availableParallelism() / concurrent));
    if (parallel) {
      outcomes = await Promise.all(
        shards.map((shard, index) => {
          const client = this.clients[index % this.clients.length] as EngineClient;
          return (
            client
              .run(jobId, shard.spec, shard.transfer, shardHandlers(index), kernelThreads)
              // A shard that cannot even start (its worker failed to load) is a failed shard:
              // were it to reject, Promise.all would return while the other shards still run,
              // and the next job would find their workers busy.
              .catch((error: unknown): JobOutcome => ({
                state: 'failed',
                error: thrownMessage(error),
              }))
              .then((outcome) => {
                if (outcome.state !== 'completed') this.cancel(jobId);
                return outcome;
              })
          );
        }),
      );
    } else {
      outcomes = [];
      for (const [index, shard] of shards.entries()) {
        const outcome = await this.primary.run(
          jobId,
          shard.spec,
          shard.transfer,
          shardHandlers(index),
          kernelThreads,
        );
        outcomes.push(outcome);
        if (outcome.state !== 'completed') break;
      }
    }
    const failed = outcomes.find((outcome) => outcome.state === 'failed');
    if (failed) return failed;
    const cancelled = outcomes.filter((outcome) => outcome.state === 'cancelled');
    if (outcomes.length < shards.length || cancelled.length > 0) {
      // The worker answered for the job only if it answered for every shard that was cancelled.
      const by = cancelled.every((outcome) => outcome.by === 'worker') ? 'worker' : 'client';
      return { state: 'cancelled', by };
    }
    const results = outcomes.map((outcome) => (outcome as { result: JobResult }).result);
    return { state: 'completed', result: merge(results) };
  }

  cancel(jobId: string): void {
    for (const client of this.clients) client.cancel(jobId);
  }

  async terminate(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.terminate()));
  }
}
