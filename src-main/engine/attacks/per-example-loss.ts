/**
 * Per-example losses an attack can maximize (untargeted, true labels) or minimize (targeted,
 * target labels). Pluggable: anything mapping the model output and int32 labels [N] to [N].
 *
 * Sign convention: an attack maximizes s · L(f(x'), ℓ) per example — untargeted s = +1 and
 * ℓ = the true label, targeted s = −1 and ℓ = the target class. So a loss is written as "large
 * when the model is wrong about ℓ" and serves both directions. A custom loss is any object
 * with this interface, passed as AttackOptions.loss. Its compute() must be differentiable with
 * the engine's registered gradients (or bring its own through tf.customGrad, as the margin
 * losses do), return [N] without mixing examples (each example's step must depend on its own
 * loss only), and may run inside a gradient tape: allocate no tensors it keeps.
 * Losses by name: loss-registry.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelOutput } from '../models/model-types';

export interface PerExampleLoss {
  name: string;
  compute(output: ModelOutput, labels: tf.Tensor1D): tf.Tensor1D;
}

/** CE_n = −log softmax(z_n)[y_n]  ([N, K] logits, [N] labels → [N]). */
export function crossEntropyPerExample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    return tf.neg(
      tf.sum(tf.mul(tf.cast(oneHot, 'float32'), tf.logSoftmax(logits)), 1),
    ) as tf.Tensor1D;
  });
}

export const crossEntropyLoss: PerExampleLoss = {
  name: 'cross-entropy',
  compute: (output, labels) => crossEntropyPerExample(output.logits, labels),
};
