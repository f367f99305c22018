import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import type { TrainJobResult, TrainJobSpec } from '../../../../src-main/engine/protocol';
import { RecordingReporter } from '../recording-reporter';
import { useBackend } from '../use-backend';
import { trainSpec } from './training-config-fixture';

const epochEnds = (reporter: RecordingReporter) =>
  reporter.metricEvents.filter((e) => 'test.accuracy' in e.values);

async function train(
  spec: TrainJobSpec,
): Promise<{ result: TrainJobResult; reporter: RecordingReporter }> {
  const reporter = new RecordingReporter();
  const before = tf.memory().numTensors;
  const result = (await runJob(spec, reporter)) as TrainJobResult;
  expect(tf.memory().numTensors).toBe(before);
  return { result, reporter };
}

describe('training recipes', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('TRADES trains: CE falls, the KL term is reported, the model learns', async () => {
    const { result, reporter } = await train(
      trainSpec({
        epochs: 2,
        trainLimit: 320,
        adversarial: {
          constraint: 'linf',
          epsilon: 0.1,
          steps: 3,
          stepSize: 0.04,
          randomStart: true,
        },
        adversarialLoss: 'trades',
        tradesBeta: 6,
      }),
    );
    const withLoss = reporter.metricEvents.filter((e) => 'train.tradesLoss' in e.values);
    const first = withLoss[0]?.values ?? {};
    const last = withLoss.at(-1)?.values ?? {};
    for (const key of ['train.loss', 'train.kl', 'train.tradesLoss', 'train.adversarialAccuracy']) {
      expect(last[key], key).toBeTypeOf('number');
    }
    // total = CE + β·KL, batch by batch, so also for the window means.
    expect(last['train.tradesLoss'] ?? 0).toBeCloseTo(
      (last['train.loss'] ?? 0) + 6 * (last['train.kl'] ?? 0),
      4,
    );
    expect(last['train.tradesLoss'] ?? Infinity).toBeLessThan(
      (first['train.tradesLoss'] ?? 0) * 0.7,
    );
    expect(result.testAccuracy).toBeGreaterThan(0.3); // chance is 0.1; 0.48 measured
    expect(epochEnds(reporter).at(-1)?.values['test.adversarialAccuracy']).toBeTypeOf('number');
  });

  it("logs the rate as 'lr', following the schedule batch by batch", async () => {
    // 64 images, batches of 32: 2 batches per epoch, 3 epochs; drops after epochs 1 and 2.
    const { reporter } = await train(
      trainSpec({
        epochs: 3,
        trainLimit: 64,
        optimizer: 'momentum',
        learningRate: 0.02,
        learningRateSchedule: { kind: 'step', gamma: 0.5, milestones: [1, 2] },
      }),
    );
    expect(epochEnds(reporter).map((e) => e.values['lr'])).toEqual([0.02, 0.01, 0.005]);
  });

  it('validates every N epochs and saves the best checkpoint, the final weights on request', async () => {
    const { result, reporter } = await train(
      trainSpec({
        epochs: 3,
        trainLimit: 96,
        learningRate: 3e-3,
        validation: { size: 60, everyEpochs: 2, attack: null },
        saveFinalModel: true,
      }),
    );
    const ends = epochEnds(reporter).map((e) => e.values);
    // Validation after epoch 2 (every 2) and after the last one.
    expect(ends.map((v) => v['val_accuracy'] !== undefined)).toEqual([false, true, true]);
    expect(ends.some((v) => 'val_robust_accuracy' in v)).toBe(false);
    const scores = ends.map((v) => v['val_accuracy'] ?? -1);
    const bestEpoch = scores.indexOf(Math.max(...scores)) + 1;
    expect(result.bestEpoch).toBe(bestEpoch);
    expect(ends.at(-1)?.['best_epoch']).toBe(bestEpoch);
    expect(result.testAccuracy).toBe(ends[bestEpoch - 1]?.['test.accuracy']);
    if (bestEpoch === 3) {
      expect(result.final).toBeNull();
    } else {
      expect(result.final?.testAccuracy).toBe(ends[2]?.['test.accuracy']);
      expect(result.final?.weights[0]?.data).not.toEqual(result.weights[0]?.data);
    }
  });

  it('picks the best robust validation accuracy for adversarial training', async () => {
    const { result, reporter } = await train(
      trainSpec({
        epochs: 2,
        trainLimit: 96,
        adversarial: {
          constraint: 'linf',
          epsilon: 0.1,
          steps: 2,
          stepSize: 0.05,
          randomStart: true,
        },
        validation: { size: 0.1, everyEpochs: 1, attack: null },
      }),
    );
    const ends = epochEnds(reporter).map((e) => e.values);
    const robust = ends.map((v) => v['val_robust_accuracy'] ?? NaN);
    expect(robust.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(result.bestEpoch).toBe(robust.indexOf(Math.max(...robust)) + 1);
    expect(result.final).toBeNull();
  });

  it("augments 32×32×3 images under 'auto', not 28×28×1 ones, and 'on' changes the weights", async () => {
    const colour = (n: number, seed: number) => ({
      shape: [n, 32, 32, 3] as [number, number, number, number],
      data: Float32Array.from(
        { length: n * 32 * 32 * 3 },
        (_, i) => ((i * 7919 + seed) % 256) / 255,
      ),
    });
    const labels = (n: number) => Int32Array.from({ length: n }, (_, i) => i % 10);
    const base = trainSpec({ epochs: 1, trainLimit: 32 });
    const { result: cifarLike } = await train({
      ...base,
      model: { architecture: 'small-cnn', inputShape: [32, 32, 3], numClasses: 10 },
      trainImages: colour(40, 1),
      trainLabels: labels(40),
      testImages: colour(20, 2),
      testLabels: labels(20),
    });
    expect(cifarLike.augmented).toBe(true);
    const { result: plain } = await train(base);
    expect(plain.augmented).toBe(false);
    const { result: augmented } = await train(
      trainSpec({ epochs: 1, trainLimit: 32, augmentation: 'on' }),
    );
    expect(augmented.augmented).toBe(true);
    expect(Array.from(augmented.weights[0]?.data ?? [])).not.toEqual(
      Array.from(plain.weights[0]?.data ?? []),
    );
  });

  it('refuses bad recipes with clear messages', async () => {
    const reporter = new RecordingReporter();
    await expect(
      runJob(trainSpec({ learningRateSchedule: { kind: 'cosine', floor: 1 } }), reporter),
    ).rejects.toThrow(/cosine floor must be ≥ 0 and below the learning rate/);
    await expect(runJob(trainSpec({ tradesBeta: -1 }), reporter)).rejects.toThrow(
      /TRADES β must be/,
    );
    await expect(
      runJob(trainSpec({ validation: { size: 400, everyEpochs: 1, attack: null } }), reporter),
    ).rejects.toThrow(/leaves none of the 400 training images/);
  });
});
