/**
 * Accuracy of a model on a set, in batches (forward only), and the PGD (robust) accuracy.
 */
import * as tf from '@tensorflow/tfjs-core';
import { runAttack, type AttackHooks } from '../attacks/pgd';
import type { AttackOptions } from '../attacks/attack-options';
import { indexRange, type ImageSource } from '../data/image-source';
import type { Model } from '../models/model-types';

export const EVALUATION_BATCH = 256;

/** Number of rows whose argmax equals the label. */
export function correctCount(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() =>
    tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')),
  );
}

export function accuracy(model: Model, source: ImageSource, limit = source.count): number {
  const count = Math.min(limit, source.count);
  let correct = 0;
  for (let start = 0; start < count; start += EVALUATION_BATCH) {
    const { images, labels } = source.take(
      indexRange(start, Math.min(count, start + EVALUATION_BATCH)),
    );
    correct += tf.tidy(() => correctCount(model.forward(images).logits, labels).dataSync()[0] ?? 0);
    tf.dispose([images, labels]);
  }
  return correct / count;
}

/** Accuracy on PGD examples of the first `limit` images (batches of ≤128). */
export function robustAccuracy(
  model: Model,
  source: ImageSource,
  attack: AttackOptions,
  limit: number,
  hooks: AttackHooks = {},
): number {
  const count = Math.min(limit, source.count);
  const batch = 128;
  let correct = 0;
  for (let start = 0; start < count; start += batch) {
    const { images, labels } = source.take(indexRange(start, Math.min(count, start + batch)));
    try {
      const outcome = runAttack(model, images, labels, attack, hooks);
      correct += tf.tidy(
        () => correctCount(model.forward(outcome.adversarial).logits, labels).dataSync()[0] ?? 0,
      );
      tf.dispose([outcome.adversarial, outcome.loss]);
    } finally {
      tf.dispose([images, labels]);
    }
  }
  return correct / count;
}
