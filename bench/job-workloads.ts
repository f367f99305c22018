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
 *
 * Each job runs on each pool size asked for (the workbench's default, RFW_ENGINE_WORKERS or one
 * per core up to 4, against a single worker): the attack splits its 128 images into shards of
 * 64 run in parallel, one per worker, the cores split between them (2 workers × 1 native
 * thread on 2 cores), where one worker runs all 128 with every core (1 × 2). Training never
 * splits: it runs on worker 0 with every core whatever the pool.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BackendName, BackendStatus } from '../src-main/common/backend-schemas';
import { shardPlan } from '../src-main/engine/jobs/job-shards';
import type { EngineSettings } from '../src-main/common/environment-settings';
import { Workbench } from '../src-main/core/workbench';
import type { NewDataset } from '../src-main/db/repositories/dataset-repository';
import { mulberry32 } from '../src-main/engine/random/seeded-random';
import { appVersion } from '../src-main/shells/app-version';
import { dispatchCall } from '../src-main/shells/dispatch';
import { isNativeBackend, variantName } from './engine-variants';
import { median } from './measure';
import { BENCH_SEED } from './workloads';

export interface JobTiming {
  name: 'job W1 (attack)' | 'job W2 (training)';
  /** The pool's backend as engine-variants.ts names it: 'wasm+native', 'wasm', … */
  engine: string;
  /** Engine workers in the pool (the workbench's engineWorkers option). */
  engineWorkers: number;
  /** Workers this job ran on at once: the attack's shards in parallel, training on worker 0. */
  concurrentWorkers: number;
  /** Native kernel threads per running worker; null without native kernels. */
  kernelThreads: number | null;
  /** BackendStatus.nativeKernels.detail of the pool's workers; null where there is none. */
  nativeKernels: string | null;
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
  /** Pool sizes to compare, each a workbench of its own; duplicates are measured once. */
  poolSizes: number[];
  /** What the workers are started with (RFW_NATIVE_KERNELS, RFW_KERNEL_THREADS). */
  engineSettings: EngineSettings;
}

/** One workbench with its own pool, project and samples. */
interface PoolBench {
  workers: number;
  home: string;
  workbench: Workbench;
  datasetId: number;
  /** The model the warm-up training stored; the attack job attacks it. */
  modelId: number | null;
  trainingSamples: number[];
  attackSamples: number[];
}

async function openPoolBench(workers: number, options: JobBenchOptions): Promise<PoolBench> {
  const home = mkdtempSync(join(tmpdir(), 'rfw-bench-'));
  const workbench = new Workbench({
    homeDir: home,
    engineWorkerPath: options.engineWorkerPath,
    forcedBackend: options.forcedBackend,
    engineSettings: options.engineSettings,
    shell: 'cli',
    sqliteNativeBinding: null,
    engineWorkers: workers,
    version: appVersion,
  });
  const bench: PoolBench = {
    workers,
    home,
    workbench,
    datasetId: 0,
    modelId: null,
    trainingSamples: [],
    attackSamples: [],
  };
  try {
    workbench.projects.create(join(home, 'bench.rfw'), 'bench');
    bench.datasetId = workbench.projects.requireCurrent().datasets.insert(benchDataset());
    return bench;
  } catch (error) {
    await closePoolBench(bench);
    throw error;
  }
}

async function closePoolBench(bench: PoolBench): Promise<void> {
  await bench.workbench.dispose();
  rmSync(bench.home, { recursive: true, force: true });
}

function perturbation(steps: number) {
  return { constraint: 'linf', epsilon: 0.3, steps, stepSize: 0.01, randomStart: false };
}

function trainingConfig(bench: PoolBench, options: JobBenchOptions) {
  return {
    datasetId: bench.datasetId,
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
}

function attackConfig(bench: PoolBench, options: JobBenchOptions) {
  return {
    modelId: bench.modelId,
    datasetId: bench.datasetId,
    indices: Array.from({ length: trainCount }, (_, i) => i),
    method: 'pgd',
    perturbation: perturbation(options.attackSteps),
    restarts: 1,
    targetClass: null,
    seed: BENCH_SEED,
  };
}

/**
 * One untimed job of each kind: it starts the pool's workers (each loads its backend and warms
 * its kernels) and stores the model the timed attacks use.
 */
async function warmUp(bench: PoolBench, options: JobBenchOptions): Promise<void> {
  const { workbench } = bench;
  const warm = await timeJob(workbench, 'jobs.startTraining', trainingConfig(bench, options));
  const runs = await call<{ id: number; modelId: number | null }[]>(workbench, 'runs.list', {});
  bench.modelId = runs.find((run) => run.id === warm.runId)?.modelId ?? null;
  if (bench.modelId === null) throw new Error('the training job stored no model');
  await timeJob(workbench, 'jobs.startAttack', attackConfig(bench, options));
}

/**
 * Workers an attack on `trainCount` images runs on at once, and the native threads each gets:
 * mirrors EnginePool.runShards (shards run in parallel on wasm/cpu only, the cores are split
 * between them) and threadsFor in register-native-kernels.ts (RFW_KERNEL_THREADS wins).
 */
function jobThreads(
  backend: string,
  workers: number,
  sharded: boolean,
  settings: EngineSettings,
): { concurrent: number; threads: number } {
  const shards = sharded ? shardPlan(trainCount, workers).length : 1;
  const concurrent = isNativeBackend(backend) ? Math.min(shards, workers) : 1;
  const threads =
    settings.kernelThreads ?? Math.max(1, Math.floor(availableParallelism() / concurrent));
  return { concurrent, threads };
}

async function poolTimings(bench: PoolBench, options: JobBenchOptions): Promise<JobTiming[]> {
  const status = await call<{ backend: BackendStatus }>(bench.workbench, 'app.status', {});
  const backend = status.backend.active ?? 'unknown';
  const native = status.backend.nativeKernels;
  const timing = (
    name: JobTiming['name'],
    workload: JobTiming['workload'],
    samples: number[],
    steps: number,
  ): JobTiming => {
    const { concurrent, threads } = jobThreads(
      backend,
      bench.workers,
      workload === 'W1',
      options.engineSettings,
    );
    return {
      name,
      engine: variantName(backend, native?.active ?? null),
      engineWorkers: bench.workers,
      concurrentWorkers: concurrent,
      kernelThreads: native?.active ? threads : null,
      nativeKernels: native?.active ? native.detail : null,
      seconds: median(samples),
      samples,
      workload,
      steps,
    };
  };
  return [
    timing('job W1 (attack)', 'W1', bench.attackSamples, options.attackSteps),
    timing('job W2 (training)', 'W2', bench.trainingSamples, options.trainingAttackSteps),
  ];
}

/**
 * Times both jobs on every pool size. All pools are open at once and their runs interleave
 * (A B, then B A, …), so a change in machine load during the bench falls on every pool alike:
 * the comparison decides the default pool size, so it has to be fair.
 */
export async function measureJobs(options: JobBenchOptions): Promise<JobTiming[]> {
  const benches: PoolBench[] = [];
  try {
    for (const workers of new Set(options.poolSizes)) {
      benches.push(await openPoolBench(workers, options));
    }
    for (const bench of benches) await warmUp(bench, options);
    for (let r = 0; r < options.repeats; r++) {
      const order = r % 2 === 0 ? benches : [...benches].reverse();
      for (const bench of order) {
        const config = trainingConfig(bench, options);
        bench.trainingSamples.push(
          (await timeJob(bench.workbench, 'jobs.startTraining', config)).seconds,
        );
      }
      for (const bench of order) {
        const config = attackConfig(bench, options);
        bench.attackSamples.push(
          (await timeJob(bench.workbench, 'jobs.startAttack', config)).seconds,
        );
      }
    }
    const timings: JobTiming[] = [];
    for (const bench of benches) timings.push(...(await poolTimings(bench, options)));
    return timings;
  } finally {
    for (const bench of benches) await closePoolBench(bench);
  }
}
