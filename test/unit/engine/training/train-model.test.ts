import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import type { TrainJobResult } from '../../../../src-main/engine/protocol';
import { JobCancelledError } from '../../../../src-main/engine/engine-types';
import { RecordingReporter } from '../recording-reporter';
import { useBackend } from '../use-backend';
import { trainSpec } from './training-config-fixture';

const spec = trainSpec;

describe('training', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('standard training lowers the loss and learns MNIST digits', async () => {
    const reporter = new RecordingReporter();
    const before = tf.memory().numTensors;
    const result = (await runJob(spec(), reporter)) as TrainJobResult;
    expect(tf.memory().numTensors).toBe(before);
    const losses = reporter.metricEvents
      .filter((e) => 'train.loss' in e.values)
      .map((e) => e.values['train.loss'] ?? NaN);
    expect(losses.length).toBeGreaterThanOrEqual(3);
    expect(losses[losses.length - 1] ?? Infinity).toBeLessThan((losses[0] ?? 0) * 0.6);
    expect(result.testAccuracy).toBeGreaterThan(0.6);
    expect(result.parameterCount).toBe(206_922);
    const epochEnds = reporter.metricEvents.filter((e) => 'test.accuracy' in e.values);
    expect(epochEnds.map((e) => e.step)).toEqual([13, 26]);
    expect(reporter.progressEvents.some((e) => e.message === 'epoch 2/2 · batch 1/13')).toBe(true);
    expect(reporter.progressEvents.at(-1)?.fraction).toBe(1);
  });

  it('is reproducible from the seed', async () => {
    const a = (await runJob(
      spec({ epochs: 1, trainLimit: 64 }),
      new RecordingReporter(),
    )) as TrainJobResult;
    const b = (await runJob(
      spec({ epochs: 1, trainLimit: 64 }),
      new RecordingReporter(),
    )) as TrainJobResult;
    expect(Array.from(a.weights[0]?.data ?? [])).toEqual(Array.from(b.weights[0]?.data ?? []));
  });

  it('adversarial training reports clean and adversarial metrics', async () => {
    const reporter = new RecordingReporter();
    await runJob(
      spec({
        epochs: 1,
        trainLimit: 160,
        optimizer: 'momentum',
        learningRate: 0.02,
        adversarial: {
          constraint: 'linf',
          epsilon: 0.1,
          steps: 3,
          stepSize: 0.04,
          randomStart: true,
        },
      }),
      reporter,
    );
    const last = reporter.metricEvents.at(-1)?.values ?? {};
    for (const key of [
      'train.loss',
      'train.accuracy',
      'train.adversarialLoss',
      'train.adversarialAccuracy',
      'test.accuracy',
      'test.adversarialAccuracy',
    ]) {
      expect(last[key], key).toBeTypeOf('number');
    }
    // The adversarial batch is harder than the clean one.
    expect(last['train.adversarialLoss'] ?? 0).toBeGreaterThan(last['train.loss'] ?? Infinity);
  });

  it('grows ε linearly over the warm-up epochs, then trains at full ε', async () => {
    const reporter = new RecordingReporter();
    await runJob(
      spec({
        epochs: 2,
        trainLimit: 320, // 10 batches of 32 per epoch
        epsilonWarmupEpochs: 1,
        adversarial: {
          constraint: 'linf',
          epsilon: 0.2,
          steps: 1,
          stepSize: 0.1,
          randomStart: false,
        },
      }),
      reporter,
    );
    // Metrics average the batches since the last report: batches 1–10 of epoch 1 ramp ε from
    // 0.02 to 0.2 (mean 0.11); every batch of epoch 2 uses the full 0.2.
    const epsilons = reporter.metricEvents
      .filter((e) => 'train.epsilon' in e.values)
      .map((e) => e.values['train.epsilon'] ?? NaN);
    expect(epsilons[0]).toBeCloseTo(0.11, 5);
    expect(epsilons.at(-1)).toBeCloseTo(0.2, 5);
  });

  it('stops between batches when cancelled', async () => {
    const reporter = new RecordingReporter();
    reporter.cancelWhen = (r) => r.progressEvents.length > 2;
    const before = tf.memory().numTensors;
    await expect(
      runJob(spec({ optimizer: 'sgd', learningRate: 0.05 }), reporter),
    ).rejects.toBeInstanceOf(JobCancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad input with clear messages', async () => {
    const reporter = new RecordingReporter();
    await expect(runJob(spec({ learningRate: Number.NaN }), reporter)).rejects.toThrow(
      /learning rate must be a finite number/,
    );
    await expect(runJob(spec({ batchSize: 0 }), reporter)).rejects.toThrow(
      /batch size must be a whole number ≥ 1/,
    );
    const badLabels = Int32Array.from(trainSpec().trainLabels, (l, i) => (i === 5 ? 12 : l));
    await expect(runJob({ ...spec(), trainLabels: badLabels }, reporter)).rejects.toThrow(
      /label 12 of image 5 is outside 0..9/,
    );
    await expect(
      runJob({ ...spec(), trainLabels: trainSpec().trainLabels.subarray(1) }, reporter),
    ).rejects.toThrow(/400 images but 399 labels/);
  });
});
