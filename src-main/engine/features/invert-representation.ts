/**
 * Representation inversion (Engstrom et al. 2019, "Adversarial Robustness as a Prior for Learned
 * Representations"): find an image whose representation is a given one, by normalized-L2
 * gradient descent from a start image, kept in the pixel box [0,1].
 *
 * For start x⁰ [N,H,W,C] in [0,1], targets r_t [N,D] and the loss L_n of
 * representation-distance.ts (‖r(x_n) − r_t,n‖₂ / ‖r_t,n‖₂):
 *   g_n     = ∇ₓ L_n(x^t)                           (per example; [H,W,C])
 *   x^{t+1} = clip(x^t − α · g_n / ‖g_n‖₂, 0, 1),   t = 0..T−1
 * An all-zero gradient (r(x_n) already equal to r_t,n, or every ReLU off) gives a zero step:
 * that example then stays where it is. The unit direction is computed at any scale of g_n
 * (unitDirectionPerExample), so a tiny gradient still takes a full step.
 * Returned: x^T, L(x^T) per example, and the batch mean of L at x⁰, x¹, …, x^T (T + 1 values;
 * the last costs one forward pass without gradient).
 *
 * Memory: each step runs in tf.tidy and the current point is swapped tensor-for-tensor, so
 * tf.memory().numTensors is the same at every step and, after the caller disposes the outcome,
 * the same as before the call.
 */
import * as tf from '@tensorflow/tfjs-core';
import { clipToPixelRange, unitDirectionPerExample } from '../attacks/constraints/per-example-norm';
import type { Model } from '../models/model-types';
import { validateInversionOptions, type InversionOptions } from './inversion-options';
import { relativeDistance, squaredDistance, targetScale } from './representation-distance';

export interface InversionHooks {
  /**
   * The cancel check: called before step t (t = 0..T; at T only the final loss is left to
   * compute). Throw (e.g. JobCancelledError) to stop; nothing is returned and nothing leaks.
   */
  beforeStep?(step: number): void;
  /** Progress: the batch mean of L at x^t, once it is known (t = 0..T). */
  onStep?(step: number, meanLoss: number): void;
  /** After step t (t = 0..T−1): x^{t+1}, disposed after the call (see FeatureStepHooks). */
  onFrame?(step: number, images: tf.Tensor4D): void;
}

export interface InversionOutcome {
  /** x^T [N,H,W,C] in [0,1]; the caller disposes it. */
  images: tf.Tensor4D;
  /** L_n(x^T) [N]; the caller disposes it. */
  loss: tf.Tensor1D;
  /** Mean of L over the batch at x⁰ … x^T (T + 1 values). */
  lossPerStep: number[];
}

function checkInputs(model: Model, start: tf.Tensor4D, target: tf.Tensor2D): void {
  const [n, h, w, c] = start.shape;
  const [eh, ew, ec] = model.spec.inputShape;
  if (h !== eh || w !== ew || c !== ec) {
    throw new Error(`images are ${h}×${w}×${c} but the model takes ${eh}×${ew}×${ec}`);
  }
  if (target.rank !== 2 || target.shape[0] !== n) {
    throw new Error(
      `${n} start images need target representations [${n}, features], got [${target.shape.join(', ')}]`,
    );
  }
}

function meanOf(values: tf.Tensor1D): number {
  return tf.tidy(() => tf.mean(values).dataSync()[0] ?? NaN);
}

/** x − α · g / ‖g‖₂ per example, clipped to [0,1]. */
function descend(point: tf.Tensor4D, gradient: tf.Tensor4D, stepSize: number): tf.Tensor4D {
  return tf.tidy(() => {
    const unit = unitDirectionPerExample(gradient);
    return clipToPixelRange(tf.sub(point, tf.mul(unit, stepSize)) as tf.Tensor4D);
  });
}

export function invertRepresentation(
  model: Model,
  start: tf.Tensor4D,
  target: tf.Tensor2D,
  options: InversionOptions,
  hooks: InversionHooks = {},
): InversionOutcome {
  const { steps, stepSize } = validateInversionOptions(options);
  checkInputs(model, start, target);

  /** D_n(x) [N], whose gradient points where L_n's does (see representation-distance.ts). */
  const distance = (point: tf.Tensor4D): tf.Tensor1D =>
    squaredDistance(model.forward(point).representation, target);
  const distanceAndGradient = tf.valueAndGrad<tf.Tensor, tf.Tensor1D>((point) =>
    distance(point as tf.Tensor4D),
  );

  const scale = targetScale(target);
  // dy = 1 for every example: the gradient of Σ_n D_n, whose slice n is ∇ₓₙ D_n.
  const ones = tf.ones([start.shape[0]]) as tf.Tensor1D;
  const lossPerStep: number[] = [];
  let point = tf.clone(start);
  let loss: tf.Tensor1D | null = null;
  try {
    for (let t = 0; t < steps; t++) {
      hooks.beforeStep?.(t);
      let mean = NaN;
      const next = tf.tidy(() => {
        const { value, grad } = distanceAndGradient(point, ones);
        mean = meanOf(relativeDistance(value, scale));
        return descend(point, grad as tf.Tensor4D, stepSize);
      });
      point.dispose();
      point = next;
      lossPerStep.push(mean);
      hooks.onStep?.(t, mean);
      hooks.onFrame?.(t, point);
    }
    hooks.beforeStep?.(steps);
    loss = tf.tidy(() => relativeDistance(distance(point), scale));
    const mean = meanOf(loss);
    lossPerStep.push(mean);
    hooks.onStep?.(steps, mean);
    return { images: point, loss, lossPerStep };
  } catch (error) {
    tf.dispose(loss === null ? [point] : [point, loss]);
    throw error;
  } finally {
    tf.dispose([scale, ones]);
  }
}
