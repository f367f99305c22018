import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NonRobustFeaturesConfig } from '../../../../src-main/common/experiment-schemas';
import { TrainingConfig } from '../../../../src-main/common/training-schemas';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import type {
  ExperimentJobResult,
  ExperimentJobSpec,
  TrainJobResult,
} from '../../../../src-main/engine/protocol';
import { JobCancelledError } from '../../../../src-main/engine/engine-types';
import { sweepEpsilons } from '../../../../src-main/engine/experiments/run-non-robust-experiment';
import { mnistDigits } from '../mnist-fixture';
import { RecordingReporter } from '../recording-reporter';
import { useBackend } from '../use-backend';

const train = mnistDigits(40); // 400 digits
const test = mnistDigits(20, 500); // 200 held-out digits
const modelSpec = { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 } as const;

const config: NonRobustFeaturesConfig = {
  type: 'non-robust-features',
  name: 'b',
  datasetId: 1,
  sourceModelId: 5,
  variants: ['random', 'deterministic'],
  trainLimit: 96,
  attack: { epsilon: 2.5, steps: 20, stepSize: 0.3 },
  training: {
    architecture: 'small-cnn',
    epochs: 2,
    batchSize: 32,
    learningRate: 2e-3,
    optimizer: 'adam',
  },
  seed: 11,
};

let sourceWeights: TrainJobResult['weights'] = [];

function experiment(patch: Partial<NonRobustFeaturesConfig> = {}): ExperimentJobSpec {
  return {
    kind: 'experiment',
    config: { ...config, ...patch },
    numClasses: 10,
    trainImages: train.images,
    trainLabels: train.labels,
    testImages: test.images,
    testLabels: test.labels,
    models: [{ id: 5, spec: { ...modelSpec, inputShape: [28, 28, 1] }, weights: sourceWeights }],
  };
}

describe('experiment b: non-robust features', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    const trained = (await runJob(
      {
        kind: 'train',
        config: TrainingConfig.parse({
          datasetId: 1,
          modelName: 'source',
          architecture: 'small-cnn',
          epochs: 2,
          batchSize: 32,
          learningRate: 2e-3,
          optimizer: 'adam',
          seed: 3,
          trainLimit: null,
          adversarial: null,
        }),
        model: { ...modelSpec, inputShape: [28, 28, 1] },
        trainImages: train.images,
        trainLabels: train.labels,
        testImages: test.images,
        testLabels: test.labels,
      },
      new RecordingReporter(),
    )) as TrainJobResult;
    sourceWeights = trained.weights;
  }, 120_000);

  it('plants the targets with small L2 perturbations, relabels, and trains a fresh model per variant', async () => {
    const before = tf.memory().numTensors;
    const reporter = new RecordingReporter();
    const result = (await runJob(experiment(), reporter)) as ExperimentJobResult;
    expect(tf.memory().numTensors).toBe(before);
    if (result.summary.type !== 'non-robust-features') throw new Error('wrong summary');
    expect(result.summary.sourceTestAccuracy).toBeGreaterThan(0.6);
    expect(result.summary.variants.map((v) => v.variant)).toEqual(['random', 'deterministic']);
    for (const variant of result.summary.variants) {
      expect(variant.count).toBe(96);
      // A standard model is easy to fool: most images reach their target within ε = 2.5.
      expect(variant.attackSuccessRate).toBeGreaterThan(0.8);
      expect(variant.meanPerturbationL2).toBeGreaterThan(0);
      expect(variant.meanPerturbationL2).toBeLessThanOrEqual(2.5 + 1e-4);
      expect(variant.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(variant.testAccuracy).toBeLessThanOrEqual(1);
      const dataset = result.datasets.find((d) => d.key === variant.datasetKey);
      const model = result.models.find((m) => m.key === variant.modelKey);
      expect(dataset?.images.length).toBe(96 * 784);
      expect(model?.trainedOn).toBe(variant.datasetKey);
      // Every new label differs from the image's true class, and every pixel stays in [0,1].
      dataset?.labels.forEach((target, n) => {
        expect(target).not.toBe(train.labels[dataset.sourceIndices[n] ?? 0]);
      });
      expect(Math.min(...(dataset?.images ?? [NaN]))).toBeGreaterThanOrEqual(0);
      expect(Math.max(...(dataset?.images ?? [NaN]))).toBeLessThanOrEqual(1);
    }
    const det = result.datasets.find((d) => d.key === 'deterministic-dataset');
    det?.labels.forEach((target, n) => {
      expect(target).toBe(((train.labels[det.sourceIndices[n] ?? 0] ?? 0) + 1) % 10);
    });
    // Each variant's training curves have their own namespace.
    const keys = new Set(reporter.metricEvents.flatMap((e) => Object.keys(e.values)));
    expect(keys.has('random.test.accuracy')).toBe(true);
    expect(keys.has('deterministic.test.accuracy')).toBe(true);
    const fractions = reporter.progressEvents.map((e) => e.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] ?? 0) - 1e-9)).toBe(true);
  }, 120_000);

  it('draws D_rand targets as the config says and reports the draw; a config without one draws as before', async () => {
    const small = { trainLimit: 48 };
    const uniform = (await runJob(
      experiment({ ...small, variants: ['random'], targetDraw: 'uniform' }),
      new RecordingReporter(),
    )) as ExperimentJobResult;
    if (uniform.summary.type !== 'non-robust-features') throw new Error('wrong summary');
    expect(uniform.summary.targetDraw).toBe('uniform');
    expect(uniform.datasets[0]?.description).toMatch(/over all classes/);
    const legacy = (await runJob(
      experiment({ ...small, variants: ['random'] }),
      new RecordingReporter(),
    )) as ExperimentJobResult;
    if (legacy.summary.type !== 'non-robust-features') throw new Error('wrong summary');
    expect(legacy.summary.targetDraw).toBe('other-classes');
    const dataset = legacy.datasets[0];
    dataset?.labels.forEach((target, n) => {
      expect(target).not.toBe(train.labels[dataset.sourceIndices[n] ?? 0]);
    });
  }, 120_000);

  it('a D_det ε sweep: one point per distinct ε, the variant ε built once, by ascending ε', async () => {
    const epsilons = [3, 1, 2.5, 1];
    expect(
      sweepEpsilons({ ...config, variants: ['deterministic'], detEpsilons: epsilons }),
    ).toEqual([1, 3]);
    expect(sweepEpsilons({ ...config, variants: ['random'], detEpsilons: epsilons })).toEqual([
      1, 2.5, 3,
    ]);
    const result = (await runJob(
      experiment({ variants: ['deterministic'], trainLimit: 48, detEpsilons: epsilons }),
      new RecordingReporter(),
    )) as ExperimentJobResult;
    if (result.summary.type !== 'non-robust-features') throw new Error('wrong summary');
    const sweep = result.summary.detSweep;
    expect(sweep.map((point) => point.epsilon)).toEqual([1, 2.5, 3]);
    expect(sweep[1]?.datasetKey).toBe('deterministic-dataset');
    expect(result.datasets).toHaveLength(3);
    expect(result.models).toHaveLength(3);
    for (const point of sweep) {
      const dataset = result.datasets.find((d) => d.key === point.datasetKey);
      expect(result.models.find((m) => m.key === point.modelKey)?.trainedOn).toBe(point.datasetKey);
      expect(point.meanPerturbationL2).toBeLessThanOrEqual(point.epsilon + 1e-4);
      expect(dataset?.description).toContain(`ε ${point.epsilon}`);
      expect(point.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(point.testAccuracy).toBeLessThanOrEqual(1);
    }
    // A larger ε can only move the images further: the mean perturbation does not shrink.
    expect(sweep[0]?.meanPerturbationL2 ?? NaN).toBeLessThanOrEqual(
      (sweep[2]?.meanPerturbationL2 ?? NaN) + 1e-4,
    );
  }, 180_000);

  it('stops with JobCancelledError when cancelled during the attack, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const reporter = new RecordingReporter();
    reporter.cancelWhen = (r) => r.progressEvents.length >= 3;
    await expect(runJob(experiment(), reporter)).rejects.toBeInstanceOf(JobCancelledError);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('refuses a source model it was not sent', async () => {
    await expect(
      runJob(experiment({ sourceModelId: 99 }), new RecordingReporter()),
    ).rejects.toThrow(/source model 99 was not sent/);
  });
});
