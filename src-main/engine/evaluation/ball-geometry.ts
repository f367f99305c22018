/**
 * Where returned points lie: per example the distance ‖x' − x‖ in the attack's norm and the
 * pixel range, so an evaluation can re-check every returned example against S(x).
 */
import * as tf from '@tensorflow/tfjs-core';
import { l2NormPerExample, linfNormPerExample } from '../attacks/constraints/per-example-norm';
import type { BallConstraint } from './evaluation-attack';

export interface BallGeometry {
  /** ‖x'_n − x_n‖ per example, in the constraint's norm. */
  distances: number[];
  /** The smallest and largest pixel of x' over the batch. */
  minPixel: number;
  maxPixel: number;
}

export function ballGeometry(
  constraint: BallConstraint,
  images: tf.Tensor4D,
  adversarial: tf.Tensor4D,
): BallGeometry {
  return tf.tidy(() => {
    const delta = tf.sub(adversarial, images) as tf.Tensor4D;
    const norms = constraint === 'linf' ? linfNormPerExample(delta) : l2NormPerExample(delta);
    return {
      distances: Array.from(norms.dataSync()),
      minPixel: tf.min(adversarial).dataSync()[0] ?? NaN,
      maxPixel: tf.max(adversarial).dataSync()[0] ?? NaN,
    };
  });
}
