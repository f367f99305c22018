/**
 * Accuracy of a model on a set, in batches (forward only, inference mode), and the PGD (robust)
 * accuracy. Each takes either the first `limit` images of a source or an explicit index list
 * (a validation subset of the training split).
 */
import * as tf from '@tensorflow/tfjs-core';
import { runAttack, type AttackHooks } from '../attacks/pgd';
import type { AttackOptions } from '../attacks/attack-options';
import { indexRange, type ImageSource } from '../data/image-source';
import type { Model } from '../models/model-types';

export const EVALUATION_BATCH = 256;
const ROBUST_BATCH = 128;

/** Number of rows whose argmax equals the label. */
export function correctCount(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() =>
    tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')),
  );
}

export function accuracyOn(model: Model, source: ImageSource, indices: Int32Array): number {
  if (indices.length === 0) throw new Error('accuracy of an empty set');
  let correct = 0;
  for (let start = 0; start < indices.length; start += EVALUATION_BATCH) {
    const { images, labels } = source.take(indices.subarray(start, start + EVALUATION_BATCH));
    correct += tf.tidy(() => correctCount(model.forward(images).logits, labels).dataSync()[0] ?? 0);
    tf.dispose([images, labels]);
  }
  return correct / indices.length;
}

export function accuracy(model: Model, source: ImageSource, limit = source.count): number {
  return accuracyOn(model, source, indexRange(0, Math.min(limit, source.count)));
}

/** Accuracy on PGD examples of the given images (batches of ≤128). */
export function robustAccuracyOn(
  model: Model,
  source: ImageSource,
  indices: Int32Array,
  attack: AttackOptions,
  hooks: AttackHooks = {},
): number {
  if (indices.length === 0) throw new Error('robust accuracy of an empty set');
  let correct = 0;
  for (let start = 0; start < indices.length; start += ROBUST_BATCH) {
    const { images, labels } = source.take(indices.subarray(start, start + ROBUST_BATCH));
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
  return correct / indices.length;
}

/** Accuracy on PGD examples of the first `limit` images. */
export function robustAccuracy(
  model: Model,
  source: ImageSource,
  attack: AttackOptions,
  limit: number,
  hooks: AttackHooks = {},
): number {
  return robustAccuracyOn(
    model,
    source,
    indexRange(0, Math.min(limit, source.count)),
    attack,
    hooks,
  );
}
