/**
 * FAB-T: attacks/fab-targeted.ts. FAB finds the closest misclassified point it can; an image is
 * broken at ε when that point is within ε, and then the method returns it, else the clean image.
 * "Within" allows ‖δ‖ ≤ ε + 1e-5, the evaluation's own tolerance for returned points
 * (checkInsideBall), so a point FAB places on the sphere up to float32 rounding still counts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { fabT } from '../../../common/attacks/fab-t';
import { runFabTargeted } from '../fab-targeted';
import { ballConstraint, type EngineMethod, type OptionsOf } from './method-run';

/** Slack on ‖δ‖ ≤ ε: the evaluation's ball check allows the same. */
export const fabNormTolerance = 1e-5;

export const fabTargetedMethod: EngineMethod<OptionsOf<typeof fabT>> = {
  run: (model, images, labels, request, hooks) => {
    const constraint = ballConstraint(request);
    const epsilon = request.epsilon;
    // At ε = 0 only the clean image is allowed: nothing for FAB to search (and no steps).
    if (epsilon === 0) {
      return { adversarial: tf.clone(images), lossPerStep: [], queries: null, stalled: null };
    }
    const outcome = runFabTargeted(
      model,
      images,
      labels,
      {
        norm: constraint,
        iterations: request.options.iterations,
        targets: request.options.targets,
        epsilon,
      },
      hooks,
    );
    const within = tf.tensor1d(
      outcome.norms.map((norm) => (norm <= epsilon + fabNormTolerance ? 1 : 0)),
      'bool',
    );
    const adversarial = tf.tidy(
      () => tf.where(tf.reshape(within, [-1, 1, 1, 1]), outcome.adversarial, images) as tf.Tensor4D,
    );
    tf.dispose([within, outcome.adversarial]);
    return { adversarial, lossPerStep: [], queries: null, stalled: outcome.stalled };
  },
};
