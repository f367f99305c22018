/**
 * A threat model as three small methods (after MadryLab/robustness attack_steps.py). Every
 * method returns a point of S(x) = {x' : ‖x' − x‖ ≤ ε} ∩ [0,1]^d, except `step`, which may leave
 * it (project brings it back). All tensors are NHWC [N,H,W,C]; norms are per example.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ConstraintName } from '../../../common/attacks/threat-models';

export interface Constraint {
  name: ConstraintName;
  /** A random point of S(x), the start of one PGD restart. */
  randomStart(x: tf.Tensor4D, epsilon: number, seed: number): tf.Tensor4D;
  /** The steepest-ascent direction for this norm, of unit norm per example (0 where ∇ = 0). */
  direction(gradient: tf.Tensor4D): tf.Tensor4D;
  /** One ascent step of size α along the steepest direction: x' + α · direction(∇). */
  step(xAdv: tf.Tensor4D, gradient: tf.Tensor4D, stepSize: number): tf.Tensor4D;
  /** The point of S(x) this constraint maps xAdv to (the ball, then the [0,1] box). */
  project(x: tf.Tensor4D, xAdv: tf.Tensor4D, epsilon: number): tf.Tensor4D;
}
