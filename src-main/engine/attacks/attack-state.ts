/**
 * Bookkeeping shared by the attack loops: a loop's state is a record of tensors replaced
 * wholesale after each step (computed in tf.tidy), so the tensor count stays constant.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { cwMarginPerExample } from './margin-losses';

export type TensorRecord = Record<string, tf.Tensor>;

/** Frees the tensors of `old` that `next` does not reuse; returns `next`. */
export function swapRecord<T extends TensorRecord>(old: T, next: T): T {
  const keep = new Set(Object.values(next).map((t) => t.id));
  tf.dispose(Object.values(old).filter((t) => !keep.has(t.id)));
  return next;
}

/**
 * The record with every tensor that appears under two keys cloned (a clone shares the data, not
 * the tensor), so that each key owns its own tensor and the count does not depend on which keys
 * happen to alias. Call inside the step's tf.tidy.
 */
export function distinctTensors<T extends TensorRecord>(state: T): T {
  const seen = new Set<number>();
  const out: TensorRecord = {};
  for (const [key, tensor] of Object.entries(state)) {
    out[key] = seen.has(tensor.id) ? tf.clone(tensor) : tensor;
    seen.add(tensor.id);
  }
  return out as T;
}

export function disposeRecord(state: TensorRecord): void {
  tf.dispose(Object.values(state));
}

export function checkAttackInputs(model: Model, images: tf.Tensor4D, labels: tf.Tensor1D): void {
  const [, h, w, c] = images.shape;
  const [eh, ew, ec] = model.spec.inputShape;
  if (h !== eh || w !== ew || c !== ec) {
    throw new Error(`images are ${h}×${w}×${c} but the model takes ${eh}×${ew}×${ec}`);
  }
  if (labels.shape[0] !== images.shape[0]) {
    throw new Error(`${images.shape[0]} images but ${labels.shape[0]} labels`);
  }
}

/** mask ? a : b per example: mask [N] (bool or 0/1), a and b [N,…]. */
export function choosePerExample<T extends tf.Tensor>(mask: tf.Tensor1D, a: T, b: T): T {
  return tf.tidy(() => {
    const shape = [mask.shape[0], ...a.shape.slice(1).map(() => 1)];
    return tf.where(tf.reshape(tf.cast(mask, 'bool'), shape), a, b) as T;
  });
}

/** The CW margin max_{j≠y} z_j − z_y at x' ([N]): > 0 exactly where x' is misclassified. */
export function marginAt(model: Model, points: tf.Tensor4D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => cwMarginPerExample(model.forward(points).logits, labels));
}

/**
 * Per example, the better of two candidate adversarial points: the one with the larger CW
 * margin (misclassified beats correct; among either, the one further over the boundary).
 * Losses of different runs (targets, restarts) are not comparable; the margin always is.
 */
export function keepLargerMargin(
  best: { point: tf.Tensor4D; margin: tf.Tensor1D },
  candidate: { point: tf.Tensor4D; margin: tf.Tensor1D },
): { point: tf.Tensor4D; margin: tf.Tensor1D } {
  return tf.tidy(() => {
    const better = tf.greater(candidate.margin, best.margin) as tf.Tensor1D;
    return {
      point: choosePerExample(better, candidate.point, best.point),
      margin: tf.maximum(candidate.margin, best.margin) as tf.Tensor1D,
    };
  });
}

/** True when every example's margin is > 0 (all misclassified: no further run can help). */
export function allFooled(margin: tf.Tensor1D): boolean {
  return tf.tidy(() => tf.all(tf.greater(margin, 0)).dataSync()[0] === 1);
}
