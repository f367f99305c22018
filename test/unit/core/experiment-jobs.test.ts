/**
 * Experiments as project runs, on the real engine worker (out/main/engine-worker.js, built by
 * `npm run build`, which `npm test` runs first), at tiny settings: what each stores in the
 * project, that the stored result reads back through the contract after a reopen, and that a
 * config that does not fit the project is refused before a run row exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../../src-main/common/experiment-schemas';
import { splitIndices } from '../../../src-main/core/datasets/dataset-reading';
import type { Workbench } from '../../../src-main/core/workbench';
import { workerWorkbench, type WorkerWorkbench } from './worker-workbench';

const training = {
  architecture: 'small-cnn',
  epochs: 1,
  batchSize: 32,
  learningRate: 0.002,
  optimizer: 'adam',
} as const;

describe('experiments on the real engine worker', () => {
  let workbench: Workbench;
  let path: string;
  let datasetId: number;
  const modelIds: number[] = [];
  let end: WorkerWorkbench['end'];

  /** Starts an experiment and resolves with its run id once it completed. */
  async function runExperiment(config: ExperimentConfig): Promise<number> {
    const started = await workbench.handlers['jobs.startExperiment'](config);
    const { state } = await end(started);
    const run = workbench.projects.requireCurrent().runs.get(started.runId);
    expect({ state, error: run.error }).toEqual({ state: 'completed', error: null });
    return started.runId;
  }

  beforeAll(async () => {
    const setup = workerWorkbench(1, 'rfw-experiments-');
    ({ workbench, path, datasetId, end } = setup);
    for (const seed of [1, 2]) modelIds.push(await setup.trainTinyModel(seed));
  }, 180_000);

  afterAll(async () => {
    await workbench.dispose();
  });

  it('non-robust features: stores D_det as a float32 dataset with the original test split, its model and the image grid', async () => {
    const runId = await runExperiment({
      type: 'non-robust-features',
      name: 'b',
      datasetId,
      sourceModelId: modelIds[0] ?? 0,
      variants: ['deterministic'],
      trainLimit: 64,
      attack: { epsilon: 2, steps: 10, stepSize: 0.4 },
      training,
      seed: 5,
    });
    const store = workbench.projects.requireCurrent();
    const original = store.datasets.get(datasetId);
    const { result } = await workbench.handlers['runs.experimentResult']({ runId });
    if (result.type !== 'non-robust-features') throw new Error('wrong result type');
    const variant = result.variants[0];
    if (!variant) throw new Error('no variant');
    const constructed = store.datasets.get(variant.datasetId);
    const testCount = splitIndices(original, 'test').length;
    expect(constructed.dtype).toBe('float32');
    expect(constructed.count).toBe(64 + testCount);
    expect(splitIndices(constructed, 'train').length).toBe(64);
    expect(constructed.classNames).toEqual(original.classNames);
    // The test split is the original test set, exactly.
    const firstTest = splitIndices(original, 'test')[0] ?? 0;
    const originalPixels = store.datasets.readImages(original, [firstTest]);
    const copiedPixels = store.datasets.readImages(constructed, [64]);
    expect(Array.from(copiedPixels)).toEqual(
      Array.from(originalPixels, (v) => Math.fround(v / 255)),
    );
    expect(constructed.labels[64]).toBe(original.labels[firstTest]);
    // D_det labels are (y + 1) mod 10 of the images they were made from.
    for (const example of variant.examples) {
      expect(example.newLabel).toBe((example.originalLabel + 1) % 10);
      expect(store.artifacts.get(example.constructedArtifactId).dtype).toBe('float32');
    }
    expect(variant.examples.length).toBe(12);
    const model = store.models.get(variant.modelId);
    expect(model.datasetId).toBe(variant.datasetId);
    expect(model.trainingRunId).toBe(runId);
    expect(result.sourceTestAccuracy).toBeGreaterThan(0.5);
    expect(result.warnings).toEqual([]);
  }, 180_000);

  it('non-robust features: a D_det ε sweep stores each point, the variant ε reusing the variant', async () => {
    const runId = await runExperiment({
      type: 'non-robust-features',
      name: 'b sweep',
      datasetId,
      sourceModelId: modelIds[0] ?? 0,
      variants: ['deterministic'],
      trainLimit: 32,
      attack: { epsilon: 2, steps: 5, stepSize: 0.8 },
      training,
      detEpsilons: [3, 2, 0.5],
      seed: 5,
    });
    const store = workbench.projects.requireCurrent();
    const { result } = await workbench.handlers['runs.experimentResult']({ runId });
    if (result.type !== 'non-robust-features') throw new Error('wrong result type');
    const sweep = result.detSweep ?? [];
    expect(sweep.map((point) => point.epsilon)).toEqual([0.5, 2, 3]);
    const variant = result.variants[0];
    expect(sweep[1]?.datasetId).toBe(variant?.datasetId);
    expect(sweep[1]?.modelId).toBe(variant?.modelId);
    expect(new Set(sweep.map((point) => point.modelId)).size).toBe(3);
    for (const point of sweep) {
      expect(store.models.get(point.modelId).datasetId).toBe(point.datasetId);
      expect(store.datasets.get(point.datasetId).dtype).toBe('float32');
    }
  }, 180_000);

  it('transfer: a full matrix over the chosen models', async () => {
    const runId = await runExperiment({
      type: 'transfer',
      name: 'd',
      datasetId,
      modelIds,
      count: 64,
      attack: { constraint: 'linf', epsilon: 0.2, steps: 5, stepSize: 0.05, randomStart: true },
      seed: 1,
    });
    const { result } = await workbench.handlers['runs.experimentResult']({ runId });
    if (result.type !== 'transfer') throw new Error('wrong result type');
    expect(result.successRate.length).toBe(2);
    for (const row of result.successRate) {
      expect(row.length).toBe(2);
      for (const rate of row) expect(rate).toBeGreaterThanOrEqual(0);
    }
    // White-box PGD at ε = 0.2 fools a standard MNIST model on most images.
    expect(result.successRate[0]?.[0]).toBeGreaterThan(0.5);
    expect(result.successRate[1]?.[1]).toBeGreaterThan(0.5);
  }, 180_000);

  it('trade-off: one stored model per training ε, each evaluated at every ε', async () => {
    const runId = await runExperiment({
      type: 'robustness-tradeoff',
      name: 'a',
      datasetId,
      constraint: 'linf',
      epsilons: [0.1, 0],
      trainingSteps: 2,
      training,
      trainLimit: 128,
      evaluation: { steps: 3, count: 32 },
      seed: 1,
    });
    const { result } = await workbench.handlers['runs.experimentResult']({ runId });
    if (result.type !== 'robustness-tradeoff') throw new Error('wrong result type');
    expect(result.evaluationEpsilons).toEqual([0, 0.1]);
    expect(result.rows.map((row) => row.trainEpsilon)).toEqual([0, 0.1]);
    const store = workbench.projects.requireCurrent();
    expect(result.rows.map((row) => store.models.get(row.modelId).robust)).toEqual([false, true]);
    for (const row of result.rows) expect(row.robustAccuracy.length).toBe(2);
  }, 180_000);

  it('reopens with every experiment result intact', async () => {
    const before = workbench.projects
      .requireCurrent()
      .runs.list()
      .filter((r) => r.kind === 'experiment');
    workbench.projects.close();
    workbench.projects.open(path);
    const after = workbench.projects
      .requireCurrent()
      .runs.list()
      .filter((r) => r.kind === 'experiment');
    expect(after.map((r) => [r.id, r.status])).toEqual(before.map((r) => [r.id, r.status]));
    for (const run of after) {
      expect(() => workbench.handlers['runs.experimentResult']({ runId: run.id })).not.toThrow();
    }
  });

  it('refuses a source model of another shape before writing anything', () => {
    const store = workbench.projects.requireCurrent();
    const runsBefore = store.runs.list().length;
    expect(() =>
      workbench.handlers['jobs.startExperiment']({
        type: 'non-robust-features',
        name: 'bad',
        datasetId,
        sourceModelId: 999,
        variants: ['random'],
        trainLimit: 8,
        attack: { epsilon: 1, steps: 1, stepSize: 1 },
        training,
        seed: 0,
      }),
    ).toThrow(/no model 999/);
    expect(store.runs.list().length).toBe(runsBefore);
  });
});
