/**
 * Resuming from a checkpoint gives the weights of the uninterrupted run: the data order, the
 * augmentation, the attack starts, the rate and ε schedules all come from (seed, epoch, step),
 * and the checkpoint carries the weights, the optimizer's slots and step, and the best so far.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../../../../src-main/common/training-schemas';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import type { TrainJobResult } from '../../../../src-main/engine/protocol';
import {
  JobCancelledError,
  type TrainingCheckpoint,
} from '../../../../src-main/engine/engine-types';
import { copyWeights } from '../../../../src-main/engine/training/training-checkpoint';
import { RecordingReporter } from '../recording-reporter';
import { useBackend } from '../use-backend';
import { trainSpec } from './training-config-fixture';

class CheckpointReporter extends RecordingReporter {
  readonly checkpoints: TrainingCheckpoint[] = [];
  checkpoint(checkpoint: TrainingCheckpoint): void {
    this.checkpoints.push(checkpoint);
  }
}

/** A deep copy, as the checkpoint arrives on the main thread after a transfer. */
function copy(checkpoint: TrainingCheckpoint): TrainingCheckpoint {
  return {
    ...checkpoint,
    weights: copyWeights(checkpoint.weights),
    optimizer: { ...checkpoint.optimizer, slots: copyWeights(checkpoint.optimizer.slots) },
    best: checkpoint.best && { ...checkpoint.best, weights: copyWeights(checkpoint.best.weights) },
  };
}

const flat = (result: TrainJobResult): number[] =>
  result.weights.flatMap((w) => Array.from(w.data));

/** Every recipe feature that draws random numbers or depends on the step, on a tiny run. */
const everything: Partial<TrainingConfig> = {
  epochs: 3,
  trainLimit: 96, // 3 batches of 32 per epoch
  optimizer: 'adam',
  learningRate: 3e-3,
  learningRateSchedule: { kind: 'cosine', floor: 0 },
  adversarial: { constraint: 'linf', epsilon: 0.1, steps: 2, stepSize: 0.05, randomStart: true },
  adversarialLoss: 'trades',
  epsilonWarmupEpochs: 1,
  augmentation: 'on',
  validation: { size: 40, everyEpochs: 1, attack: null },
  saveFinalModel: true,
};

const plainMomentum: Partial<TrainingConfig> = {
  epochs: 3,
  trainLimit: 96,
  optimizer: 'momentum',
  learningRate: 0.02,
  learningRateSchedule: { kind: 'step', gamma: 0.5, milestones: [2] },
  adversarial: { constraint: 'l2', epsilon: 1, steps: 2, stepSize: 0.5, randomStart: true },
  adversarialLoss: 'pgd',
};

describe('resuming training', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const [name, patch] of [
    ['TRADES, Adam, cosine rate, augmentation, validation', everything],
    ['PGD L2, momentum, step rate', plainMomentum],
  ] as const) {
    it(`ends with the uninterrupted run's weights: ${name}`, async () => {
      const spec = trainSpec(patch);
      const whole = new CheckpointReporter();
      const before = tf.memory().numTensors;
      const expected = (await runJob(spec, whole)) as TrainJobResult;
      expect(whole.checkpoints.map((c) => [c.epoch, c.step])).toEqual([
        [1, 3],
        [2, 6],
      ]);

      // Interrupted during epoch 2 (at the first cancel check after the epoch-1 checkpoint; a
      // progress message would not do: the throttle drops some when batches are fast): resume
      // from the checkpoint after epoch 1.
      const interrupted = new CheckpointReporter();
      interrupted.cancelWhen = () => interrupted.checkpoints.length >= 1;
      await expect(runJob(spec, interrupted)).rejects.toBeInstanceOf(JobCancelledError);
      expect(interrupted.checkpoints.length).toBe(1);
      const checkpoint = copy(interrupted.checkpoints[0] as TrainingCheckpoint);

      const resumed = new CheckpointReporter();
      const result = (await runJob({ ...spec, resume: checkpoint }, resumed)) as TrainJobResult;
      expect(tf.memory().numTensors).toBe(before);
      expect(resumed.progressEvents.some((e) => e.message === 'resuming after epoch 1')).toBe(true);
      expect(resumed.progressEvents.some((e) => e.message.startsWith('epoch 1/3'))).toBe(false);
      expect(flat(result)).toEqual(flat(expected));
      expect(result.testAccuracy).toBe(expected.testAccuracy);
      expect(result.bestEpoch).toBe(expected.bestEpoch);
      expect(result.final?.weights.flatMap((w) => Array.from(w.data))).toEqual(
        expected.final?.weights.flatMap((w) => Array.from(w.data)),
      );
      // The metrics after the checkpoint are the uninterrupted run's, step for step.
      const after = (r: RecordingReporter) => r.metricEvents.filter((e) => e.step > 3);
      expect(after(resumed)).toEqual(after(whole));
    });
  }

  it('refuses a checkpoint that does not fit the run', async () => {
    const spec = trainSpec({ epochs: 2, trainLimit: 64 });
    const reporter = new CheckpointReporter();
    await runJob(spec, reporter);
    const checkpoint = reporter.checkpoints[0] as TrainingCheckpoint;
    await expect(
      runJob(
        { ...trainSpec({ epochs: 2, trainLimit: 64, batchSize: 16 }), resume: copy(checkpoint) },
        reporter,
      ),
    ).rejects.toThrow(/made with other data or another batch size/);
    await expect(
      runJob(
        { ...trainSpec({ epochs: 2, trainLimit: 64, optimizer: 'sgd' }), resume: copy(checkpoint) },
        reporter,
      ),
    ).rejects.toThrow(/checkpoint's optimizer is adam, the config asks for sgd/);
  });
});
