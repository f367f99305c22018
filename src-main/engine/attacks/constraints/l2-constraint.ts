/**
 * L2 ball: S(x) = {x' : ‖x' − x‖₂ ≤ ε} ∩ [0,1]^d, per example.
 *   randomStart: x + ε · u^(1/d) · z/‖z‖, z ~ N(0, I), u ~ U(0,1): uniform in the ball; then clipped
 *   step:        x' + α · ∇/‖∇‖₂               (steepest ascent under L2; 0 where ∇ = 0)
 *   project:     δ = x' − x; δ ← δ · min(1, ε/‖δ‖₂); clip(x + δ, 0, 1)
 * Clipping after the ball projection cannot leave the ball: with x ∈ [0,1] clipping only
 * shrinks each |δ_i|. (It is the exact projection onto the ball, then onto the box — not the
 * exact projection onto their intersection, as in Madry et al. and robustness.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../../random/seeded-random';
import type { Constraint } from './constraint';
import { clipToPixelRange, l2NormPerExample, unitDirectionPerExample } from './per-example-norm';

/** Guards the division for an all-zero random draw or perturbation. */
const TINY = 1e-12;

export const l2Constraint: Constraint = {
  name: 'l2',
  randomStart: (x, epsilon, seed) =>
    tf.tidy(() => {
      const [n] = x.shape;
      const dimensions = x.size / n;
      const direction = tf.randomNormal(x.shape, 0, 1, 'float32', seed) as tf.Tensor4D;
      const unit = tf.div(direction, tf.add(l2NormPerExample(direction), TINY));
      const radius = tf.mul(
        tf.pow(
          tf.randomUniform([n, 1, 1, 1], 0, 1, 'float32', deriveSeed(seed, 'radius')),
          1 / dimensions,
        ),
        epsilon,
      );
      return clipToPixelRange(tf.add(x, tf.mul(unit, radius)) as tf.Tensor4D);
    }),
  direction: (gradient) => unitDirectionPerExample(gradient),
  step: (xAdv, gradient, stepSize) =>
    tf.tidy(() => tf.add(xAdv, tf.mul(unitDirectionPerExample(gradient), stepSize))),
  project: (x, xAdv, epsilon) =>
    tf.tidy(() => {
      const delta = tf.sub(xAdv, x) as tf.Tensor4D;
      const scale = tf.minimum(tf.div(epsilon, tf.add(l2NormPerExample(delta), TINY)), 1);
      return clipToPixelRange(tf.add(x, tf.mul(delta, scale)) as tf.Tensor4D);
    }),
};
