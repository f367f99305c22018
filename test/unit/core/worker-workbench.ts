/**
 * For core tests on the real engine worker (out/main/engine-worker.js, built by `npm run build`,
 * which `npm test` runs first): a workbench with the demo project open, a way to wait for a job's
 * end, and tiny trained models to work on.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TrainingConfig } from '../../../src-main/common/training-schemas';
import { Workbench } from '../../../src-main/core/workbench';

const workerPath = resolve('out/main/engine-worker.js');

export interface JobEnd {
  state: string;
  error: string | null;
}

export interface WorkerWorkbench {
  workbench: Workbench;
  /** The demo project's file and its bundled MNIST dataset. */
  path: string;
  datasetId: number;
  /** Resolves with how a started job ended. */
  end(started: { jobId: string }): Promise<JobEnd>;
  /** Trains a small-cnn on `trainLimit` images for one epoch and returns the model's id. */
  trainTinyModel(seed: number, trainLimit?: number): Promise<number>;
}

export function workerWorkbench(engineWorkers: number, prefix: string): WorkerWorkbench {
  if (!existsSync(workerPath)) {
    throw new Error(`${workerPath} is missing: run \`npm run build\` first`);
  }
  const home = mkdtempSync(join(tmpdir(), prefix));
  const workbench = new Workbench({
    homeDir: home,
    engineWorkerPath: workerPath,
    forcedBackend: null,
    shell: 'cli',
    version: 'test',
    sqliteNativeBinding: null,
    engineWorkers,
  });
  const waiting = new Map<string, (end: JobEnd) => void>();
  workbench.subscribe((event, payload) => {
    if (event !== 'job.finished') return;
    const { jobId, state, error } = payload as { jobId: string } & JobEnd;
    waiting.get(jobId)?.({ state, error });
  });
  const path = workbench.projects.openDemo().path;
  const datasetId = workbench.projects.requireCurrent().datasets.list()[0]?.id ?? 0;
  const end = (started: { jobId: string }) =>
    new Promise<JobEnd>((done) => waiting.set(started.jobId, done));
  return {
    workbench,
    path,
    datasetId,
    end,
    async trainTinyModel(seed, trainLimit = 512) {
      const started = await workbench.handlers['jobs.startTraining'](
        TrainingConfig.parse({
          datasetId,
          modelName: `m${seed}`,
          architecture: 'small-cnn',
          epochs: 1,
          batchSize: 32,
          learningRate: 0.002,
          optimizer: 'adam',
          seed,
          trainLimit,
          adversarial: null,
        }),
      );
      const ended = await end(started);
      if (ended.state !== 'completed') throw new Error(`training failed: ${ended.error}`);
      const model = workbench.projects
        .requireCurrent()
        .models.list()
        .find((m) => m.trainingRunId === started.runId);
      if (!model) throw new Error('training left no model');
      return model.id;
    },
  };
}
