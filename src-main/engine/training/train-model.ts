/**
 * Standard and PGD adversarial training (Madry et al. 2018):
 *   standard:     min_θ E[ L(f_θ(x), y) ]
 *   adversarial:  min_θ E[ max_{x' ∈ S(x)} L(f_θ(x'), y) ]; the inner max is PGD run with the
 *                 current weights in inference mode (these models have no dropout or batch norm,
 *                 so inference mode is the same forward pass), and each batch is replaced by
 *                 its adversarial version for the weight update.
 * Data order: a seeded shuffle picks the training subset (trainLimit), another seeded shuffle
 * per epoch orders it, so a run is reproducible from (seed, data, config, backend).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../protocol';
import type { TrainingConfig } from '../../common/schemas';
import type { AttackOptions } from '../attacks/attack-options';
import { runAttack } from '../attacks/pgd';
import type { ImageSource } from '../data/image-source';
import type { ProgressThrottle } from '../jobs/progress-throttle';
import { createModel } from '../models/create-model';
import type { Model } from '../models/model-types';
import { deriveSeed, range, seededPermutation } from '../random/seeded-random';
import { accuracy, robustAccuracy } from './evaluate';
import { MetricWindow } from './metric-window';
import { createOptimizer } from './optimizers';
import { batchStatistics, trainingStep } from './training-step';
import { validateTrainingConfig } from './training-options';

/** Batches between two metric reports. */
export const METRICS_EVERY = 10;
/** Test images attacked at each epoch end to measure robust accuracy. */
export const ROBUST_EVALUATION_LIMIT = 500;

export interface TrainingRun {
  config: TrainingConfig;
  spec: ModelSpec;
  train: ImageSource;
  test: ImageSource;
  progress: ProgressThrottle;
  metrics(step: number, values: Record<string, number>): void;
}

export interface TrainingOutcome {
  model: Model;
  testAccuracy: number;
}

/**
 * The training attack at a given point of training. With an ε warm-up of W epochs of B batches,
 * batch number s (0-based) trains at ε·min(1, (s+1)/(W·B)), the step size scaled alike, so the
 * ratio step/ε that the PGD schedule was tuned for is kept. `ramp` 1 is the full threat model.
 */
function trainingAttack(config: TrainingConfig, seed: number, ramp = 1): AttackOptions | null {
  const set = config.adversarial;
  if (set === null) return null;
  return {
    constraint: set.constraint,
    epsilon: set.epsilon * ramp,
    steps: set.steps,
    stepSize: set.stepSize * ramp,
    randomStart: set.randomStart,
    restarts: 1,
    targetClass: null,
    seed,
  };
}

/** Trains one batch; returns its metric values. */
function trainBatch(
  run: TrainingRun,
  model: Model,
  optimizer: tf.Optimizer,
  batch: { images: tf.Tensor4D; labels: tf.Tensor1D },
  attack: AttackOptions | null,
  onAttackStep: () => void,
): Record<string, number> {
  if (attack === null) {
    const step = trainingStep(model, optimizer, batch.images, batch.labels);
    return { 'train.loss': step.loss, 'train.accuracy': step.accuracy };
  }
  const clean = batchStatistics(model, batch.images, batch.labels);
  const outcome = runAttack(model, batch.images, batch.labels, attack, {
    beforeStep: onAttackStep,
  });
  try {
    const step = trainingStep(model, optimizer, outcome.adversarial, batch.labels);
    return {
      'train.loss': clean.loss,
      'train.accuracy': clean.accuracy,
      'train.adversarialLoss': step.loss,
      'train.adversarialAccuracy': step.accuracy,
    };
  } finally {
    outcome.adversarial.dispose();
    outcome.loss.dispose();
  }
}

export function trainModel(run: TrainingRun): TrainingOutcome {
  const { config } = run;
  validateTrainingConfig(config);
  const subset = seededPermutation(range(run.train.count), deriveSeed(config.seed, 'subset'));
  const used =
    config.trainLimit === null
      ? subset
      : subset.subarray(0, Math.min(config.trainLimit, subset.length));
  const batchesPerEpoch = Math.ceil(used.length / config.batchSize);
  const totalBatches = batchesPerEpoch * config.epochs;

  const model = createModel(run.spec, deriveSeed(config.seed, 'weights'));
  const optimizer = createOptimizer(config.optimizer, config.learningRate);
  const window = new MetricWindow();
  let testAccuracy = NaN;
  let step = 0;
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const order = seededPermutation(used, deriveSeed(config.seed, 'epoch', epoch));
      for (let b = 0; b < batchesPerEpoch; b++) {
        run.progress.throwIfCancelled();
        const where = `epoch ${epoch + 1}/${config.epochs} · batch ${b + 1}/${batchesPerEpoch}`;
        run.progress.report(step / totalBatches, where, b === 0);
        const batch = run.train.take(
          order.subarray(b * config.batchSize, (b + 1) * config.batchSize),
        );
        try {
          const warmupBatches = config.epsilonWarmupEpochs * batchesPerEpoch;
          const ramp = warmupBatches > 0 ? Math.min(1, (step + 1) / warmupBatches) : 1;
          const attack = trainingAttack(config, deriveSeed(config.seed, 'attack', step), ramp);
          const values = trainBatch(run, model, optimizer, batch, attack, () => {
            run.progress.throwIfCancelled();
            run.progress.report(step / totalBatches, `${where} · attack`);
          });
          if (attack !== null) values['train.epsilon'] = attack.epsilon;
          window.add(values, batch.labels.shape[0]);
        } finally {
          batch.images.dispose();
          batch.labels.dispose();
        }
        step++;
        if (step % METRICS_EVERY === 0 && b < batchesPerEpoch - 1)
          run.metrics(step, window.flush());
      }
      run.progress.report(
        step / totalBatches,
        `epoch ${epoch + 1}/${config.epochs} · evaluating`,
        true,
      );
      const values = window.empty ? {} : window.flush();
      testAccuracy = accuracy(model, run.test);
      values['test.accuracy'] = testAccuracy;
      const attack = trainingAttack(config, deriveSeed(config.seed, 'evaluation', epoch));
      if (attack !== null) {
        values['test.adversarialAccuracy'] = robustAccuracy(
          model,
          run.test,
          attack,
          ROBUST_EVALUATION_LIMIT,
          {
            beforeStep: () => run.progress.throwIfCancelled(),
          },
        );
      }
      run.metrics(step, values);
    }
    run.progress.report(1, 'training finished', true);
    return { model, testAccuracy };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
