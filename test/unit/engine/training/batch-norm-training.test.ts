/**
 * Training a model with BatchNorm (preact-resnet): the weight update runs in training mode, so
 * the running statistics (buffers, not trainable) move; the optimizer never touches them; and a
 * resumed run, whose checkpoint carries the buffers with the weights, ends where the
 * uninterrupted one does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import type { TrainJobResult } from '../../../../src-main/engine/protocol';
import type { TrainingCheckpoint } from '../../../../src-main/engine/engine-types';
import { RecordingReporter } from '../recording-reporter';
import { useBackend } from '../use-backend';
import { trainSpec } from './training-config-fixture';

class CheckpointReporter extends RecordingReporter {
  readonly checkpoints: TrainingCheckpoint[] = [];
  checkpoint(checkpoint: TrainingCheckpoint): void {
    this.checkpoints.push(checkpoint);
  }
}

const spec = () => {
  const base = trainSpec({
    architecture: 'preact-resnet',
    epochs: 2,
    trainLimit: 64,
    optimizer: 'momentum',
    learningRate: 0.05,
  });
  return { ...base, model: { ...base.model, architecture: 'preact-resnet' as const } };
};

const flat = (weights: TrainJobResult['weights']) => weights.flatMap((w) => Array.from(w.data));

describe('training with BatchNorm', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('updates the running statistics in training mode, and resumes exactly', async () => {
    const whole = new CheckpointReporter();
    const result = (await runJob(spec(), whole)) as TrainJobResult;
    const [checkpoint] = whole.checkpoints;
    if (checkpoint === undefined) throw new Error('no checkpoint after epoch 1');
    // Running means start at 0; after training on batches of digits they are not.
    const means = result.weights.filter((w) => /running.?mean/i.test(w.name));
    expect(means.length).toBeGreaterThan(0);
    expect(means.some((w) => w.data.some((v) => v !== 0))).toBe(true);
    // The optimizer keeps one momentum slot per trainable weight only.
    expect(checkpoint.optimizer.slots.length).toBeLessThan(checkpoint.weights.length);

    const resumed = (await runJob(
      { ...spec(), resume: checkpoint },
      new RecordingReporter(),
    )) as TrainJobResult;
    expect(flat(resumed.weights)).toEqual(flat(result.weights));
  });
});
