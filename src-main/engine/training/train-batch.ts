/**
 * One training batch of each recipe, and how a batch is cut (and augmented) from the data:
 *   standard:  θ ← step on mean CE(f(x), y)
 *   pgd:       x' = PGD(x) on CE in inference mode; θ ← step on mean CE(f(x'), y)   (Madry et al.)
 *   trades:    x' = PGD(x) on KL; θ ← step on CE(f(x), y) + β·KL(f(x) ‖ f(x'))       (see trades.ts)
 * Weight updates run the model in training mode; attacks and statistics in inference mode.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AdversarialLoss } from '../../common/training-schemas';
import type { AttackOptions } from '../attacks/attack-options';
import { runAttack } from '../attacks/pgd';
import type { ImageSource, LabelledBatch } from '../data/image-source';
import type { Model } from '../models/model-types';
import { augmentationDraws, cropAndFlip } from './augmentation';
import { tradesExamples, tradesStep } from './trades';
import { batchStatistics, trainingStep } from './training-step';

export interface BatchRecipe {
  /** null: standard training. */
  attack: AttackOptions | null;
  loss: AdversarialLoss;
  beta: number;
}

/** The images at `indices`, augmented with the draws of (seed, epoch, batch) when asked. */
export function takeBatch(
  source: ImageSource,
  indices: Int32Array,
  augment: { seed: number; epoch: number; batch: number } | null,
): LabelledBatch {
  if (augment === null) return source.take(indices);
  const [h, w, c] = source.imageShape;
  const shape: [number, number, number, number] = [indices.length, h, w, c];
  const draws = augmentationDraws(indices.length, augment.seed, augment.epoch, augment.batch);
  const pixels = cropAndFlip(source.pixels(indices), shape, draws);
  const labels = Int32Array.from(indices, (index) => source.labels[index] ?? 0);
  return { images: tf.tensor4d(pixels, shape), labels: tf.tensor1d(labels, 'int32') };
}

/** Trains one batch; returns its metric values. */
export function trainBatch(
  model: Model,
  optimizer: tf.Optimizer,
  batch: LabelledBatch,
  recipe: BatchRecipe,
  onAttackStep: () => void,
): Record<string, number> {
  const { images, labels } = batch;
  const attack = recipe.attack;
  if (attack === null) {
    const step = trainingStep(model, optimizer, images, labels);
    return { 'train.loss': step.loss, 'train.accuracy': step.accuracy };
  }
  if (recipe.loss === 'trades') {
    const adversarial = tradesExamples(model, images, attack, onAttackStep);
    try {
      const step = tradesStep(model, optimizer, images, adversarial, labels, recipe.beta);
      return {
        'train.loss': step.crossEntropy,
        'train.accuracy': step.accuracy,
        'train.kl': step.kl,
        'train.tradesLoss': step.loss,
        'train.adversarialAccuracy': step.adversarialAccuracy,
      };
    } finally {
      adversarial.dispose();
    }
  }
  const clean = batchStatistics(model, images, labels);
  const outcome = runAttack(model, images, labels, attack, { beforeStep: onAttackStep });
  try {
    const step = trainingStep(model, optimizer, outcome.adversarial, labels);
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
