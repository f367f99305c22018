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
import { indicator, logitLoss, pick } from './logit-selection';

export interface PerExampleLoss {
  name: string;
  compute(output: ModelOutput, labels: tf.Tensor1D): tf.Tensor1D;
}

/**
 * CE_n = −log softmax(z_n)[y_n] = log(1 + Σ_{j≠y} e^{d_j}),  d_j = z_j − z_y   ([N,K], [N] → [N]),
 * computed without saturating. The textbook form logsumexp(z) − z_y rounds to exactly 0 in
 * float32 once the logit margin exceeds ~16.6 (1 + e^−16.6 = 1), and its gradient
 * softmax(z) − e_y loses the true class's entry the same way (p_y − 1 = 0 instead of −Σ_{j≠y} p_j).
 * A confident image then has a loss that ties at 0 across an attack's iterates, so best-loss
 * tracking cannot tell progress from none. Here, with M = max(0, max_{j≠y} d_j):
 *   CE = M + log1p(e^−M − 1 + Σ_{j≠y} e^{d_j − M})        (M = 0: log1p(Σ e^{d_j}), exact to float32)
 *   ∂CE/∂z_j = p_j = e^{d_j − CE} (j ≠ y),   ∂CE/∂z_y = −Σ_{j≠y} p_j
 * so the loss and every entry of its gradient keep their relative precision at any margin.
 */
export function crossEntropyPerExample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() =>
    logitLoss(logits, (z) => {
      const own = indicator(labels, z.shape[1]);
      const isOwn = tf.cast(own, 'bool');
      // d_j = z_j − z_y, with the true class itself at −∞ so that e^{d_y} contributes 0.
      const others = tf.where(
        isOwn,
        tf.fill(z.shape, -Infinity),
        tf.sub(z, tf.reshape(pick(z, own), [-1, 1])),
      );
      const shift = tf.relu(tf.max(others, 1));
      const shifted = tf.sum(tf.exp(tf.sub(others, tf.reshape(shift, [-1, 1]))), 1);
      const value = tf.add(
        shift,
        tf.log1p(tf.add(tf.sub(tf.exp(tf.neg(shift)), 1), shifted)),
      ) as tf.Tensor1D;
      const probabilities = tf.exp(tf.sub(others, tf.reshape(value, [-1, 1])));
      const jacobian = tf.sub(
        probabilities,
        tf.mul(own, tf.sum(probabilities, 1, true)),
      ) as tf.Tensor2D;
      return { value, jacobian };
    }),
  );
}

export const crossEntropyLoss: PerExampleLoss = {
  name: 'cross-entropy',
  compute: (output, labels) => crossEntropyPerExample(output.logits, labels),
};
