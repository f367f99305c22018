/**
 * Representation distance, per example, for target representations r_t [N,D] given when the
 * loss is made (owned by the caller, kept alive while the loss is in use):
 *   L_n(x') = ‖r(x'_n) − r_t,n‖₂        (labels are not used)
 * Untargeted (maximized) it pushes the representation away from r_t (e.g. r_t = r(x): a
 * feature-space attack); targeted (minimized, through PGD's s = −1) it pulls r(x') onto r_t,
 * the representation-inversion objective.
 *
 * The engine registers no Sqrt gradient, so the norm gives its own through tf.customGrad:
 *   ∂L_n/∂r_n = (r_n − r_t,n) / (‖r_n − r_t,n‖₂ + 1e−12),
 * which is 0 (not 0/0) where r_n = r_t,n.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PerExampleLoss } from './per-example-loss';

const TINY = 1e-12;

/** ‖r_n − r_t,n‖₂, [N,D] × [N,D] → [N]. */
export function representationDistancePerExample(
  representation: tf.Tensor2D,
  target: tf.Tensor2D,
): tf.Tensor1D {
  if (representation.shape[0] !== target.shape[0] || representation.shape[1] !== target.shape[1]) {
    throw new Error(
      `the target representations are [${target.shape.join(', ')}] but the model's are ` +
        `[${representation.shape.join(', ')}]`,
    );
  }
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [r, save] = inputs;
    if (!(r instanceof tf.Tensor) || typeof save !== 'function') {
      throw new Error('the representation distance takes one tensor');
    }
    const difference = tf.sub(r, target);
    const distance = tf.sqrt(tf.sum(tf.square(difference), 1));
    save([tf.div(difference, tf.add(tf.reshape(distance, [-1, 1]), TINY))]);
    return {
      value: distance,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [direction] = saved;
        if (direction === undefined) throw new Error('the distance gradient was not saved');
        return tf.mul(tf.reshape(dy, [-1, 1]), direction);
      },
    };
  });
  return tf.tidy(() => op(representation) as tf.Tensor1D);
}

export function representationDistanceLoss(target: tf.Tensor2D): PerExampleLoss {
  return {
    name: 'representation-distance',
    compute: (output) => representationDistancePerExample(output.representation, target),
  };
}
