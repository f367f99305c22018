/**
 * The job runner with the real engine worker (out/main/engine-worker.js, built by `npm run build`,
 * which `npm test` runs first): progress and metrics in order, a cancel that the worker itself
 * answers, and a failing job that reports its message without stopping the queue.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayload } from '../../../src-main/common/contract';
import { trainingDefaults, type TrainingConfig } from '../../../src-main/common/training-schemas';
import type { AttackConfig } from '../../../src-main/common/attack-schemas';
import type { StoredAttackResult } from '../../../src-main/core/attack-job';
import { imageBatch, splitIndices } from '../../../src-main/core/datasets/dataset-reading';
import { EngineClient, type JobOutcome } from '../../../src-main/core/engine-client';
import { Workbench } from '../../../src-main/core/workbench';
import { runJob } from '../../../src-main/engine/jobs/run-job';
import type { AttackJobResult } from '../../../src-main/engine/protocol';
import { useBackend } from '../engine/use-backend';
import {
  registerNativeKernels,
  setNativeKernelThreads,
} from '../../../src-main/engine/kernels/native/register-native-kernels';

const workerPath = resolve('out/main/engine-worker.js');

type Seen = { event: EventName; payload: EventPayload<EventName> };

function waitFor(
  seen: Seen[],
  predicate: (entry: Seen) => boolean,
  timeoutMs: number,
): Promise<Seen> {
  return new Promise((resolveEntry, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const found = seen.find(predicate);
      if (found) {
        clearInterval(poll);
        resolveEntry(found);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error('timed out waiting for an event'));
      }
    }, 20);
  });
}

/** A workbench with two engine workers, its home (recents, demo project) in `home`. */
const workbenchIn = (home: string) =>
  new Workbench({
    homeDir: home,
    engineWorkerPath: workerPath,
    forcedBackend: null,
    shell: 'cli',
    version: 'test',
    sqliteNativeBinding: null,
    engineWorkers: 2,
  });

/**
 * Records the outcome of every engine job run on a worker from now on, by job id (a split job has
 * one per shard), until vi.restoreAllMocks().
 */
function recordOutcomes(): Map<string, JobOutcome[]> {
  const outcomes = new Map<string, JobOutcome[]>();
  const run = EngineClient.prototype.run;
  vi.spyOn(EngineClient.prototype, 'run').mockImplementation(async function (
    this: EngineClient,
    ...args: Parameters<EngineClient['run']>
  ) {
    const outcome = await run.apply(this, args);
    outcomes.set(args[0], [...(outcomes.get(args[0]) ?? []), outcome]);
    return outcome;
  });
  return outcomes;
}

const finishedFor = (jobId: string) => (entry: Seen) =>
  entry.event === 'job.finished' && (entry.payload as { jobId: string }).jobId === jobId;

describe('jobs on the real engine worker', () => {
  let workbench: Workbench;
  const seen: Seen[] = [];
  let datasetId: number;

  const training = (overrides: Partial<TrainingConfig> = {}): TrainingConfig => ({
    ...trainingDefaults,
    datasetId,
    modelName: 'tiny',
    architecture: 'small-cnn',
    epochs: 1,
    batchSize: 32,
    learningRate: 0.002,
    optimizer: 'adam',
    seed: 1,
    trainLimit: 256,
    adversarial: null,
    epsilonWarmupEpochs: 0,
    ...overrides,
  });

  beforeAll(() => {
    if (!existsSync(workerPath))
      throw new Error(`${workerPath} is missing: run \`npm run build\` first`);
    const home = mkdtempSync(join(tmpdir(), 'rfw-jobs-'));
    workbench = workbenchIn(home);
    workbench.subscribe((event, payload) => seen.push({ event, payload }));
    workbench.projects.openDemo();
    datasetId = workbench.projects.requireCurrent().datasets.list()[0]?.id ?? 0;
  });

  afterAll(async () => {
    await workbench.dispose();
  });

  it('trains, reporting progress and metrics in order, and stores the run, metrics and model', async () => {
    const { jobId, runId } = await workbench.handlers['jobs.startTraining'](
      training({ trainLimit: 1024 }),
    );
    const finished = await waitFor(seen, finishedFor(jobId), 120_000);
    expect(finished.payload).toMatchObject({ state: 'completed', error: null });
    // The run's events, in the order they came: progress first (the runner reports the start),
    // then progress and metrics as the worker goes, fractions and steps never going back, and
    // job.finished last. (That progress comes at least once a second is the heartbeat's job,
    // checked on a fake clock in job-runner-heartbeat.test.ts.)
    const mine = seen.filter((e) => {
      const payload = e.payload as { jobId?: string; runId?: number };
      return payload.jobId === jobId || payload.runId === runId;
    });
    expect(mine[0]?.event).toBe('job.progress');
    expect(mine.at(-1)).toBe(finished);
    expect(mine.filter((e) => e.event === 'job.finished')).toEqual([finished]);
    const fractions = mine
      .filter((e) => e.event === 'job.progress')
      .map((e) => (e.payload as { fraction: number }).fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const steps = mine
      .filter((e) => e.event === 'job.metrics')
      .map((e) => (e.payload as { step: number }).step);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    const store = workbench.projects.requireCurrent();
    const run = store.runs.get(runId);
    expect(run.status).toBe('completed');
    expect(run.backend).toBe('wasm');
    expect(run.modelId).not.toBeNull();
    expect(store.metrics.forRun(runId).some((m) => m.key === 'train.loss')).toBe(true);
  });

  it('splits an attack over two workers and gets exactly the one-worker result', async () => {
    const store = workbench.projects.requireCurrent();
    const model = store.models.list()[0];
    if (!model) throw new Error('the training test must leave a model');
    const dataset = store.datasets.get(datasetId);
    const indices = splitIndices(dataset, 'test').slice(0, 130);
    const config: AttackConfig = {
      modelId: model.id,
      datasetId,
      indices,
      method: 'pgd',
      perturbation: {
        constraint: 'linf',
        epsilon: 0.2,
        steps: 5,
        stepSize: 0.05,
        randomStart: true,
      },
      restarts: 1,
      targetClass: null,
      seed: 3,
    };
    const { jobId, runId } = await workbench.handlers['jobs.startAttack'](config);
    const finished = await waitFor(seen, finishedFor(jobId), 120_000);
    expect(finished.payload).toMatchObject({ state: 'completed' });
    const stored = store.runs.get(runId).result as StoredAttackResult;

    // The same attack, unsplit, in this process, on the kernels the workers use (the native ones
    // where the addon loads, on every core, where each shard's worker had one thread).
    await useBackend('wasm');
    registerNativeKernels('wasm');
    setNativeKernelThreads(availableParallelism());
    const batch = imageBatch(store, dataset, indices);
    const reference = (await runJob(
      {
        kind: 'attack',
        config,
        model: { architecture: model.architecture, inputShape: [28, 28, 1], numClasses: 10 },
        weights: store.models.weights(model.id),
        images: batch.images,
        labels: batch.labels,
        batchOffset: 0,
      },
      { progress: () => {}, metrics: () => {}, cancelled: () => false },
    )) as AttackJobResult;
    expect(stored.examples.map((e) => e.l2Norm)).toEqual(reference.examples.map((e) => e.l2Norm));
    expect(stored.examples.map((e) => e.success)).toEqual(reference.examples.map((e) => e.success));
    expect(stored.robustAccuracy).toBeCloseTo(reference.robustAccuracy, 12);
    stored.lossPerStep.forEach((loss, step) =>
      expect(loss).toBeCloseTo(reference.lossPerStep[step] ?? NaN, 5),
    );
    const last = stored.examples[129];
    const artifact = store.artifacts.get(last?.adversarialArtifactId ?? 0);
    const pixels = new Float32Array(
      artifact.data.buffer.slice(
        artifact.data.byteOffset,
        artifact.data.byteOffset + artifact.data.byteLength,
      ),
    );
    expect(Array.from(pixels)).toEqual(Array.from(reference.adversarial.subarray(129 * 784)));
  });

  it('cancels a running job: the worker itself answers cancelled, and the run is marked cancelled', async () => {
    // The client closes a job that ignores its cancel flag itself, 800 ms later, as cancelled too;
    // so the run's state proves nothing about the worker. The outcome the client records says who
    // answered, and an answer from the worker came before that grace period ran out.
    const outcomes = recordOutcomes();
    try {
      const { jobId, runId } = await workbench.handlers['jobs.startTraining'](
        training({ epochs: 50, trainLimit: null }),
      );
      await waitFor(
        seen,
        (e) => e.event === 'job.metrics' && (e.payload as { runId: number }).runId === runId,
        60_000,
      );
      workbench.handlers['jobs.cancel']({ jobId });
      const finished = await waitFor(seen, finishedFor(jobId), 5_000);
      expect(finished.payload).toMatchObject({ state: 'cancelled' });
      expect(outcomes.get(jobId)).toEqual([{ state: 'cancelled', by: 'worker' }]);
      expect(workbench.projects.requireCurrent().runs.get(runId).status).toBe('cancelled');
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('reports a failing job with its message and goes on with the next one', async () => {
    const store = workbench.projects.requireCurrent();
    // A model whose stored weights do not fit its architecture: the engine must refuse it.
    const brokenModelId = store.models.insert({
      name: 'broken',
      architecture: 'small-cnn',
      inputShape: [28, 28, 1],
      numClasses: 10,
      datasetId,
      trainingRunId: null,
      robust: false,
      parameterCount: 3,
      testAccuracy: null,
      weights: [{ name: 'nonsense', shape: [3], data: new Float32Array(3) }],
    });
    const attack = await workbench.handlers['jobs.startAttack']({
      modelId: brokenModelId,
      datasetId,
      indices: [0, 1],
      method: 'pgd',
      perturbation: {
        constraint: 'linf',
        epsilon: 0.3,
        steps: 2,
        stepSize: 0.1,
        randomStart: true,
      },
      restarts: 1,
      targetClass: null,
      seed: 0,
    });
    const next = await workbench.handlers['jobs.startTraining'](training({ trainLimit: 64 }));
    const failed = await waitFor(seen, finishedFor(attack.jobId), 60_000);
    expect(failed.payload).toMatchObject({ state: 'failed' });
    expect((failed.payload as { error: string }).error.length).toBeGreaterThan(5);
    expect(store.runs.get(attack.runId)).toMatchObject({ status: 'failed' });
    const completed = await waitFor(seen, finishedFor(next.jobId), 120_000);
    expect(completed.payload).toMatchObject({ state: 'completed' });
  });

  it('refuses an attack on an image index out of range without creating a run', () => {
    const store = workbench.projects.requireCurrent();
    const runsBefore = store.runs.list().length;
    const modelId = store.models.list()[0]?.id ?? 0;
    expect(() =>
      workbench.handlers['jobs.startAttack']({
        modelId,
        datasetId,
        indices: [0, 10_000],
        method: 'fgsm',
        perturbation: {
          constraint: 'linf',
          epsilon: 0.1,
          steps: 1,
          stepSize: 0.1,
          randomStart: false,
        },
        restarts: 1,
        targetClass: null,
        seed: 0,
      }),
    ).toThrow('image index 10000 is out of range');
    expect(store.runs.list().length).toBe(runsBefore);
  });

  it('closes a run that is still going when the workbench shuts down, as cancelled', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rfw-shutdown-'));
    const other = workbenchIn(home);
    const otherSeen: Seen[] = [];
    other.subscribe((event, payload) => otherSeen.push({ event, payload }));
    const project = other.projects.openDemo();
    const otherDataset = other.projects.requireCurrent().datasets.list()[0]?.id ?? 0;
    const { runId } = await other.handlers['jobs.startTraining'](
      training({ datasetId: otherDataset, epochs: 50, trainLimit: null }),
    );
    await waitFor(otherSeen, (e) => e.event === 'job.metrics', 60_000);
    await other.dispose();
    const reopened = workbenchIn(home);
    reopened.projects.open(project.path);
    expect(reopened.projects.requireCurrent().runs.get(runId).status).toBe('cancelled');
    await reopened.dispose();
  });
});
