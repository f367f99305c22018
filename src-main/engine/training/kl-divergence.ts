/**
 * KL(P_n ‖ Q_n) per example between the softmax distributions of two logit rows:
 *   KL_n = Σ_k p_nk (log p_nk − log q_nk),  p = softmax(z_p), q = softmax(z_q)
 * computed from log-softmax, so a probability that underflows to 0 contributes 0·(finite) = 0
 * instead of 0·(−∞). [N, K], [N, K] → [N].
 * Its gradient is written out (tf.customGrad), for both arguments, per example with upstream g_n:
 *   ∂KL_n/∂z_q = g_n · (q_n − p_n)
 *   ∂KL_n/∂z_p = g_n · p_n ⊙ ((log p_n − log q_n) − KL_n)
 * so training needs no registered gradient for Exp (the engine registers only the kernels its
 * models use), and the backward pass costs a few elementwise ops.
 */
import * as tf from '@tensorflow/tfjs-core';

const klWithGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [pLogits, qLogits, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  const logP = tf.logSoftmax(pLogits);
  const logQ = tf.logSoftmax(qLogits);
  const p = tf.exp(logP);
  const logRatio = tf.sub(logP, logQ);
  const value = tf.sum(tf.mul(p, logRatio), 1);
  save([p, logQ, logRatio, value]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedP, savedLogQ, savedRatio, savedValue] = saved as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const upstream = tf.reshape(dy, [-1, 1]);
      const kl = tf.reshape(savedValue, [-1, 1]);
      const gradP = tf.mul(upstream, tf.mul(savedP, tf.sub(savedRatio, kl)));
      const gradQ = tf.mul(upstream, tf.sub(tf.exp(savedLogQ), savedP));
      return [gradP, gradQ];
    },
  };
});

export function klDivergencePerExample(pLogits: tf.Tensor2D, qLogits: tf.Tensor2D): tf.Tensor1D {
  if (pLogits.shape.join('x') !== qLogits.shape.join('x')) {
    throw new Error(
      `KL divergence of logits [${pLogits.shape.join(', ')}] and [${qLogits.shape.join(', ')}]`,
    );
  }
  return klWithGradient(pLogits, qLogits) as tf.Tensor1D;
}
