/**
 * ∇ₓ CE(f(x), y) per example, summarized for the gradient sanity check: the L2 norm of each
 * example's gradient and how many entries are NaN or ±∞. A norm of exactly 0 means the loss
 * is flat around x (saturated softmax in float32, a non-differentiable layer, a shattered
 * gradient) and gradient attacks cannot move from there.
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyPerExample } from '../attacks/per-example-loss';
import type { Model } from '../models/model-types';

export function inputGradientSummary(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
): { norms: number[]; nonFinite: number } {
  return tf.tidy(() => {
    const intLabels = tf.cast(labels, 'int32') as tf.Tensor1D;
    const gradient = tf.grad((x: tf.Tensor) =>
      crossEntropyPerExample(model.forward(x as tf.Tensor4D).logits, intLabels),
    )(images, tf.ones([images.shape[0]]));
    const values = gradient.dataSync();
    let nonFinite = 0;
    for (const v of values) if (!Number.isFinite(v)) nonFinite++;
    const norms = tf.sqrt(tf.sum(tf.square(tf.reshape(gradient, [images.shape[0], -1])), 1));
    return { norms: Array.from(norms.dataSync()), nonFinite };
  });
}
