/**
 * The inversion loss, per example n, for representations r(x) [N,D] and targets r_t [N,D]:
 *   L_n(x) = ‖r(x_n) − r_t,n‖₂ / s_n,   s_n = ‖r_t,n‖₂ + 1e-12.
 * The 1e-12 only matters for an all-zero target (a representation that is 0 after its ReLU for
 * every unit): there L_n becomes ‖r(x_n)‖₂ · 10¹² — finite, still minimized at r = 0 — instead of
 * a division by zero. For any real target it is far below float32 resolution.
 *
 * The gradient is taken of the squared distance D_n = ‖r(x_n) − r_t,n‖₂², not of L_n:
 *   ∇ₓ L_n = ∇ₓ D_n / (2 · ‖r(x_n) − r_t,n‖₂ · s_n),
 * a positive factor per example, which the per-example normalization of the step divides out
 * (the engine's models have no cross-example layers such as batch norm, so ∇ₓₙ Σ_m L_m = ∇ₓₙ L_n).
 * So the step is the one of L_n exactly, no Sqrt gradient is needed, and at r(x_n) = r_t,n the
 * gradient is 0 rather than 0/0.
 */
import * as tf from '@tensorflow/tfjs-core';

const TINY = 1e-12;

/** s_n = ‖r_t,n‖₂ + 1e-12, [N,D] → [N]. */
export function targetScale(target: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.add(tf.sqrt(tf.sum(tf.square(target), 1)), TINY));
}

/** D_n = ‖r_n − r_t,n‖₂², [N,D] × [N,D] → [N]; differentiable with the engine's gradients. */
export function squaredDistance(representation: tf.Tensor2D, target: tf.Tensor2D): tf.Tensor1D {
  if (representation.shape[1] !== target.shape[1]) {
    throw new Error(
      `the target representations have ${target.shape[1]} features but the model's ` +
        `representation has ${representation.shape[1]}`,
    );
  }
  return tf.sum(tf.square(tf.sub(representation, target)), 1);
}

/** L_n = √D_n / s_n, [N] → [N] (forward only). */
export function relativeDistance(squared: tf.Tensor1D, scale: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.div(tf.sqrt(squared), scale));
}
