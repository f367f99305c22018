/**
 * No ε-ball, only the pixel box: S(x) = [0,1]^d (robustness's UnconstrainedStep). For
 * representation inversion, feature visualization and generation, where x' may go anywhere.
 *   randomStart: x + ε · u^(1/d) · z/‖z‖₂ (uniform in the L2 ball of radius ε), clipped:
 *                ε is only the size of the random start here, never a bound on x' − x
 *   step:        x' + α · ∇/‖∇‖₂            (L2-normalized, so α is the L2 length of a step)
 *   project:     clip(x', 0, 1)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from './constraint';
import { l2Constraint } from './l2-constraint';
import { clipToPixelRange } from './per-example-norm';

export const unconstrainedConstraint: Constraint = {
  name: 'unconstrained',
  randomStart: (x, epsilon, seed) => l2Constraint.randomStart(x, epsilon, seed),
  direction: (gradient) => l2Constraint.direction(gradient),
  step: (xAdv, gradient, stepSize) => l2Constraint.step(xAdv, gradient, stepSize),
  project: (_x, xAdv) => tf.tidy(() => clipToPixelRange(xAdv)),
};
