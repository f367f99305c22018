/**
 * Experiments c (D_R / D_NR) and e (data efficiency) in the engine, at tiny settings: shapes,
 * bookkeeping, labels kept, representation distance lowered, no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  DataEfficiencyConfig,
  RobustDatasetsConfig,
} from '../../../../src-main/common/experiment-schemas';
import { TrainingConfig } from '../../../../src-main/common/training-schemas';
import { ImageSource } from '../../../../src-main/engine/data/image-source';
import {
  otherImages,
  reproduceRepresentations,
} from '../../../../src-main/engine/experiments/reproduce-representations';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import { importWeights } from '../../../../src-main/engine/models/model-weights';
import type {
  ExperimentJobResult,
  ExperimentJobSpec,
  TrainJobResult,
} from '../../../../src-main/engine/protocol';
import { mnistDigits } from '../mnist-fixture';
import { RecordingReporter } from '../recording-reporter';
import { useBackend } from '../use-backend';

const train = mnistDigits(30); // 300 digits
const test = mnistDigits(10, 500); // 100 held-out digits
const modelSpec = {
  architecture: 'small-cnn' as const,
  inputShape: [28, 28, 1] as [number, number, number],
  numClasses: 10,
};
const training = {
  architecture: 'small-cnn',
  epochs: 1,
  batchSize: 32,
  learningRate: 2e-3,
  optimizer: 'adam',
} as const;
let weights: TrainJobResult['weights'] = [];

function spec(config: ExperimentJobSpec['config']): ExperimentJobSpec {
  return {
    kind: 'experiment',
    config,
    numClasses: 10,
    trainImages: train.images,
    trainLabels: train.labels,
    testImages: test.images,
    testLabels: test.labels,
    models: [
      { id: 1, spec: modelSpec, weights },
      { id: 2, spec: modelSpec, weights },
    ],
  };
}

describe('training experiments', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    const trained = (await runJob(
      {
        kind: 'train',
        config: TrainingConfig.parse({
          datasetId: 1,
          modelName: 'g',
          ...training,
          epochs: 2,
          seed: 3,
          trainLimit: null,
          adversarial: null,
        }),
        model: modelSpec,
        trainImages: train.images,
        trainLabels: train.labels,
        testImages: test.images,
        testLabels: test.labels,
      },
      new RecordingReporter(),
    )) as TrainJobResult;
    weights = trained.weights;
  }, 120_000);

  it('starts each inversion from a different training image', () => {
    const targets = Int32Array.from({ length: 500 }, (_, i) => i % 7);
    const starts = otherImages(targets, 7, 3);
    starts.forEach((start, i) => {
      expect(start).not.toBe(targets[i]);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(start).toBeLessThan(7);
    });
    expect(() => otherImages(Int32Array.from([0]), 1, 1)).toThrow(/at least 2/);
  });

  it('reproducing a representation lowers its distance from the start', () => {
    const model = importWeights(modelSpec, weights);
    const source = new ImageSource(train.images, train.labels, 10, 'train');
    const indices = Int32Array.from([0, 1, 2, 3]);
    const before = tf.memory().numTensors;
    const few = reproduceRepresentations(
      model,
      source,
      indices,
      { steps: 1, stepSize: 0.5, start: 'image', seed: 1 },
      () => undefined,
    );
    const many = reproduceRepresentations(
      model,
      source,
      indices,
      { steps: 40, stepSize: 0.5, start: 'image', seed: 1 },
      () => undefined,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(many.meanDistance).toBeLessThan(few.meanDistance * 0.7);
    expect(Math.min(...many.images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...many.images)).toBeLessThanOrEqual(1);
    model.dispose();
  });

  it('c: builds D_R and D_NR with the original labels and trains a model on D, D_R and D_NR', async () => {
    const config: RobustDatasetsConfig = {
      type: 'robust-datasets',
      name: 'c',
      datasetId: 1,
      robustModelId: 1,
      standardModelId: 2,
      variants: ['robust', 'standard'],
      trainLimit: 40,
      inversion: { steps: 5, stepSize: 0.5, start: 'noise' },
      training,
      evaluation: { constraint: 'linf', epsilon: 0.1, steps: 2, count: 20 },
      seed: 4,
    };
    const before = tf.memory().numTensors;
    const result = (await runJob(spec(config), new RecordingReporter())) as ExperimentJobResult;
    expect(tf.memory().numTensors).toBe(before);
    if (result.summary.type !== 'robust-datasets') throw new Error('wrong summary');
    expect(result.summary.rows.map((row) => row.dataset)).toEqual([
      'original',
      'robust',
      'standard',
    ]);
    expect(result.datasets.map((d) => d.key)).toEqual(['robust-dataset', 'standard-dataset']);
    for (const output of result.datasets) {
      expect(output.images.length).toBe(40 * 784);
      output.labels.forEach((label, n) =>
        expect(label).toBe(train.labels[output.sourceIndices[n] ?? 0]),
      );
    }
    for (const row of result.summary.rows) {
      expect(row.count).toBe(40);
      // A config stored before the curve (one evaluation ε): a one-point curve.
      expect(row.robustCurve).toHaveLength(1);
      expect(row.robustCurve[0]).toBeLessThanOrEqual(1);
      expect(row.representationDistance === null).toBe(row.dataset === 'original');
    }
    expect(result.models.length).toBe(3);
  }, 120_000);

  it('c: evaluates each model over the curve of ε, one point per ε, all on the same images', async () => {
    const epsilons = [0, 0.05, 0.1, 0.3];
    const config: RobustDatasetsConfig = {
      type: 'robust-datasets',
      name: 'c',
      datasetId: 1,
      robustModelId: 1,
      standardModelId: 2,
      variants: ['standard'],
      trainLimit: 40,
      inversion: { steps: 3, stepSize: 0.5, start: 'noise' },
      training,
      evaluation: { constraint: 'linf', epsilons, steps: 3, count: 30 },
      seed: 4,
    };
    const result = (await runJob(spec(config), new RecordingReporter())) as ExperimentJobResult;
    if (result.summary.type !== 'robust-datasets') throw new Error('wrong summary');
    expect(result.summary.evaluationEpsilons).toEqual(epsilons);
    expect(result.summary.rows.map((row) => row.dataset)).toEqual(['original', 'standard']);
    for (const row of result.summary.rows) {
      expect(row.robustCurve).toHaveLength(epsilons.length);
      // Every point, clean (ε = 0) or attacked, counts the same 30 test images.
      for (const value of row.robustCurve) {
        expect(Math.abs(value * 30 - Math.round(value * 30))).toBeLessThan(1e-6);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  }, 120_000);

  it('e: a standard and a robust model per size, sizes sorted and capped at the training set', async () => {
    const config: DataEfficiencyConfig = {
      type: 'data-efficiency',
      name: 'e',
      datasetId: 1,
      sizes: [64, 32, 100000],
      constraint: 'linf',
      epsilon: 0.1,
      trainingSteps: 2,
      training,
      evaluation: { steps: 2, count: 20 },
      seed: 4,
    };
    const reporter = new RecordingReporter();
    const result = (await runJob(spec(config), reporter)) as ExperimentJobResult;
    if (result.summary.type !== 'data-efficiency') throw new Error('wrong summary');
    // Sizes are sorted and capped at the training set (300 images).
    expect(result.summary.rows.map((row) => [row.size, row.recipe])).toEqual([
      [32, 'standard'],
      [32, 'robust'],
      [64, 'standard'],
      [64, 'robust'],
      [300, 'standard'],
      [300, 'robust'],
    ]);
    expect(result.models.map((m) => m.robust)).toEqual([false, true, false, true, false, true]);
    const fractions = reporter.progressEvents.map((e) => e.fraction);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] ?? 0) - 1e-9)).toBe(true);
  }, 120_000);
});
