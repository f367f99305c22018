/**
 * L∞ ball: S(x) = {x' : max_i |x'_i − x_i| ≤ ε} ∩ [0,1]^d.
 *   randomStart: x + U(−ε, ε)^d, clipped to [0,1]
 *   step:        x' + α · sign(∇)            (steepest ascent under L∞)
 *   project:     clip(x + clip(x' − x, −ε, ε), 0, 1)   (exact: the set is a box)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from './constraint';
import { clipToPixelRange } from './per-example-norm';

export const linfConstraint: Constraint = {
  name: 'linf',
  randomStart: (x, epsilon, seed) =>
    tf.tidy(() =>
      clipToPixelRange(tf.add(x, tf.randomUniform(x.shape, -epsilon, epsilon, 'float32', seed))),
    ),
  direction: (gradient) => tf.sign(gradient),
  step: (xAdv, gradient, stepSize) =>
    tf.tidy(() => tf.add(xAdv, tf.mul(tf.sign(gradient), stepSize))),
  project: (x, xAdv, epsilon) =>
    tf.tidy(() => clipToPixelRange(tf.add(x, tf.clipByValue(tf.sub(xAdv, x), -epsilon, epsilon)))),
};
