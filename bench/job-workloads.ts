/**
 * "What the user sees": the workbench's own training and attack jobs, through the contract
 * (dispatchCall, as the CLI and both shells call it), the job runner and the real engine worker
 * (out/main/engine-worker.js), timed from the start call to the job.finished event. That
 * includes building the engine spec from the project file, the transfer to the worker, the
 * engine's own loop and progress reports, and storing the results (model weights, artifacts).
 *
 *   job W1 (attack):   PGD-20 L∞ ε 0.3 α 0.01 on 128 images of a 28×28×1 dataset, madry-cnn.
 *   job W2 (training): 1 epoch of 1 batch of 128 (PGD-7 adversarial, momentum SGD), then the
 *                      job's epoch-end evaluation on a 16-image test split (clean and PGD-7).
 * The dataset is seeded random pixels (128 train + 16 test), so the job's shapes are W1's/W2's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BackendName } from '../src-main/common/schemas';
import { Workbench } from '../src-main/core/workbench';
import type { NewDataset } from '../src-main/db/repositories/dataset-repository';
import { mulberry32 } from '../src-main/engine/random/seeded-random';
import { appVersion } from '../src-main/shells/app-version';
import { dispatchCall } from '../src-main/shells/dispatch';
import { defaultEngineWorkers } from '../src-main/shells/workbench-options';
import { median } from './measure';
import { BENCH_SEED } from './workloads';

export interface JobTiming {
  name: 'job W1 (attack)' | 'job W2 (training)';
  backend: string;
  seconds: number;
  samples: number[];
  /** The workload the job's shape matches, for the rate and the ratio to PyTorch. */
  workload: 'W1' | 'W2';
  /** Attack steps in the job (20 / 7 in a full run, fewer with --quick). */
  steps: number;
}

const trainCount = 128;
const testCount = 16;

function benchDataset(): NewDataset {
  const count = trainCount + testCount;
  const random = mulberry32(BENCH_SEED);
  const pixels = Uint8Array.from({ length: count * 28 * 28 }, () => Math.floor(random() * 256));
  const labels = Int32Array.from({ length: count }, () => Math.floor(random() * 10));
  const splits = Uint8Array.from({ length: count }, (_, i) => (i < trainCount ? 0 : 1));
  return {
    name: 'bench: seeded random 28×28×1',
    imageShape: [28, 28, 1],
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    source: `bench/job-workloads.ts, mulberry32 seed ${BENCH_SEED}`,
    split: {
      method: 'first 128 train, last 16 test',
      seed: BENCH_SEED,
      train: trainCount,
      test: testCount,
    },
    pixels,
    labels,
    splits,
  };
}

async function call<T>(workbench: Workbench, method: string, input: unknown): Promise<T> {
  const outcome = await dispatchCall(workbench, method, input);
  if (!outcome.ok) throw new Error(`${method}: ${outcome.error.message}`);
  return outcome.output as T;
}

/** Starts a job and resolves with its wall time, start call to job.finished. */
async function timeJob(
  workbench: Workbench,
  method: 'jobs.startTraining' | 'jobs.startAttack',
  config: unknown,
): Promise<{ seconds: number; runId: number }> {
  const finished = new Map<string, { state: string; error: string | null }>();
  let wake: (() => void) | null = null;
  const unsubscribe = workbench.subscribe((event, payload) => {
    if (event !== 'job.finished') return;
    const done = payload as { jobId: string; state: string; error: string | null };
    finished.set(done.jobId, done);
    wake?.();
  });
  try {
    const start = performance.now();
    const started = await call<{ jobId: string; runId: number }>(workbench, method, config);
    const jobId = started.jobId;
    while (!finished.has(jobId)) {
      await new Promise<void>((resolveWake) => {
        wake = resolveWake;
      });
    }
    const seconds = (performance.now() - start) / 1000;
    const outcome = finished.get(jobId);
    if (outcome?.state !== 'completed') {
      throw new Error(`${method} ended ${outcome?.state ?? '?'}: ${outcome?.error ?? ''}`);
    }
    return { seconds, runId: started.runId };
  } finally {
    unsubscribe();
  }
}

export interface JobBenchOptions {
  engineWorkerPath: string;
  forcedBackend: BackendName | null;
  repeats: number;
  /** Attack steps of the attack job / of the training job's PGD (20 / 7 in a full run). */
  attackSteps: number;
  trainingAttackSteps: number;
}

export async function measureJobs(options: JobBenchOptions): Promise<JobTiming[]> {
  const home = mkdtempSync(join(tmpdir(), 'rfw-bench-'));
  const workbench = new Workbench({
    homeDir: home,
    engineWorkerPath: options.engineWorkerPath,
    forcedBackend: options.forcedBackend,
    shell: 'cli',
    sqliteNativeBinding: null,
    engineWorkers: defaultEngineWorkers(),
    version: appVersion,
  });
  try {
    workbench.projects.create(join(home, 'bench.rfw'), 'bench');
    const datasetId = workbench.projects.requireCurrent().datasets.insert(benchDataset());
    const perturbation = (steps: number) => ({
      constraint: 'linf',
      epsilon: 0.3,
      steps,
      stepSize: 0.01,
      randomStart: false,
    });
    const training = {
      datasetId,
      modelName: 'bench madry-cnn',
      architecture: 'madry-cnn',
      epochs: 1,
      batchSize: 128,
      learningRate: 0.01,
      optimizer: 'momentum',
      seed: BENCH_SEED,
      trainLimit: null,
      adversarial: perturbation(options.trainingAttackSteps),
      epsilonWarmupEpochs: 0,
    };
    // The first job starts the engine worker and picks the backend: it is the warm-up.
    const warm = await timeJob(workbench, 'jobs.startTraining', training);
    const trainSamples: number[] = [];
    for (let r = 0; r < options.repeats; r++) {
      trainSamples.push((await timeJob(workbench, 'jobs.startTraining', training)).seconds);
    }
    const runs = await call<{ id: number; modelId: number | null }[]>(workbench, 'runs.list', {});
    const modelId = runs.find((run) => run.id === warm.runId)?.modelId;
    if (modelId === null || modelId === undefined)
      throw new Error('the training job stored no model');
    const attack = {
      modelId,
      datasetId,
      indices: Array.from({ length: trainCount }, (_, i) => i),
      method: 'pgd',
      perturbation: perturbation(options.attackSteps),
      restarts: 1,
      targetClass: null,
      seed: BENCH_SEED,
    };
    await timeJob(workbench, 'jobs.startAttack', attack);
    const attackSamples: number[] = [];
    for (let r = 0; r < options.repeats; r++) {
      attackSamples.push((await timeJob(workbench, 'jobs.startAttack', attack)).seconds);
    }
    const status = await call<{ backend: { active: string | null } }>(workbench, 'app.status', {});
    const backend = status.backend.active ?? 'unknown';
    return [
      {
        name: 'job W1 (attack)',
        backend,
        seconds: median(attackSamples),
        samples: attackSamples,
        workload: 'W1',
        steps: options.attackSteps,
      },
      {
        name: 'job W2 (training)',
        backend,
        seconds: median(trainSamples),
        samples: trainSamples,
        workload: 'W2',
        steps: options.trainingAttackSteps,
      },
    ];
  } finally {
    await workbench.dispose();
    rmSync(home, { recursive: true, force: true });
  }
}
