/**
 * The one primitive of "Image synthesis with a single (robust) classifier" (Santurkar et al.
 * 2019): raise a target class's score by targeted L2 PGD. Generation, super-resolution,
 * in-painting and counterfactual edits differ only in the start, the ball's centre and which
 * pixels may move (synthesize.ts, counterfactual.ts).
 *
 * For a start x⁰ [N,H,W,C] in [0,1], a centre a [N,H,W,C] (default x⁰), target classes y [N],
 * an optional mask m [N,H,W,C] (1 = may change) and the loss
 *   L_n(x) = CE(f(x_n), y_n) = −log softmax(f(x_n))_{y_n}
 * each step t = 0..T−1 is
 *   g_n     = −∇ₓ L_n(x^t) ⊙ m_n                                  (steepest ascent of log p_y)
 *   x'      = x^t + α · g_n / ‖g_n‖₂  (0 where g_n = 0)              (l2Constraint.step)
 *   x^{t+1} = clip(a + δ · min(1, ε/‖δ‖₂), 0, 1),  δ = x' − a         (l2Constraint.project)
 * and, with a mask, x^{t+1} = x⁰ outside it, selected (tf.where), so those pixels are x⁰'s bit for
 * bit. ε = Infinity leaves only the pixel box. Normalizing after masking makes α the L2 length of
 * the step inside the region that moves.
 *
 * Read-out: after every step, one forward pass at x^{t+1} (about a third of a step's cost) gives
 * the mean cross-entropy for onStep and each model's target probability and top-1 class — the
 * gradient model's and those of `observed` models, which are only watched (the counterfactual
 * view's second model). x⁰ is read the same way, so the curves have T + 1 points.
 *
 * Memory: the step runs in tf.tidy and the point is swapped tensor-for-tensor, so
 * tf.memory().numTensors is the same before every step and, once the caller disposes the
 * returned images, the same as before the call. A throw from a hook (cancel) frees everything.
 */
import * as tf from '@tensorflow/tfjs-core';
import { l2Constraint } from '../attacks/constraints/l2-constraint';
import { crossEntropyPerExample } from '../attacks/per-example-loss';
import type { Model } from '../models/model-types';
import {
  checkTargetClasses,
  logitsOf,
  predictionsOf,
  readLogits,
  type ClassPredictions,
} from './class-predictions';
import type { FeatureStepHooks } from './feature-hooks';

export interface ClassAscentOptions {
  /** ε: the L2 radius of the ball around the centre, in [0,1] pixel units; Infinity = no ball. */
  epsilon: number;
  /** T: gradient steps. */
  steps: number;
  /** α: the L2 length of each step per example (before the projection). */
  stepSize: number;
}

export interface ClassAscentOutcome {
  /** x^T [N,H,W,C] in [0,1]; the caller disposes it. */
  images: tf.Tensor4D;
  /** The gradient model's mean cross-entropy of the target class at x⁰ … x^T (T + 1 values). */
  lossPerStep: number[];
  /**
   * At x⁰ … x^T (T + 1 entries), one entry per model — the gradient model first, then the
   * observed ones — each with per-example target probability and top-1 class.
   */
  predictionsPerStep: ClassPredictions[][];
}

export interface ClassAscentRegion {
  /** The ball's centre a [N,H,W,C] (default: the start). */
  centre?: tf.Tensor4D;
  /** [N,H,W,C] booleans, true where pixels may change; elsewhere they keep the start's values. */
  mask?: tf.Tensor4D;
  /** Models that are only read out at every point, never differentiated. */
  observed?: readonly Model[];
}

/** Guards the checks every caller gets; ε may be Infinity (box only). */
export function validateClassAscentOptions(options: ClassAscentOptions): ClassAscentOptions {
  const { epsilon, steps, stepSize } = options;
  if (typeof epsilon !== 'number' || Number.isNaN(epsilon) || epsilon <= 0) {
    throw new Error(`ε must be a number greater than 0, got ${String(epsilon)}`);
  }
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`steps must be a whole number ≥ 1, got ${String(steps)}`);
  }
  if (typeof stepSize !== 'number' || !Number.isFinite(stepSize) || stepSize <= 0) {
    throw new Error(`step size must be a finite number greater than 0, got ${String(stepSize)}`);
  }
  return { epsilon, steps, stepSize };
}

/** Throws unless `images` is a batch the model takes. */
export function checkModelInput(model: Model, images: tf.Tensor4D, what: string): void {
  if (images.rank !== 4) {
    throw new Error(`${what} must be [N,H,W,C], got [${images.shape.join(', ')}]`);
  }
  const [n, h, w, c] = images.shape;
  const [eh, ew, ec] = model.spec.inputShape;
  if (h !== eh || w !== ew || c !== ec) {
    throw new Error(`${what} are ${h}×${w}×${c} but the model takes ${eh}×${ew}×${ec}`);
  }
  if (n < 1) throw new Error(`${what}: the batch is empty`);
}

function sameShape(a: tf.Tensor, b: tf.Tensor): boolean {
  return a.rank === b.rank && a.shape.every((size, i) => size === b.shape[i]);
}

export function ascendClassScore(
  model: Model,
  start: tf.Tensor4D,
  targetClasses: ArrayLike<number>,
  options: ClassAscentOptions,
  hooks: FeatureStepHooks = {},
  region: ClassAscentRegion = {},
): ClassAscentOutcome {
  const { epsilon, steps, stepSize } = validateClassAscentOptions(options);
  checkModelInput(model, start, 'images');
  const count = start.shape[0];
  const { numClasses } = model.spec;
  checkTargetClasses(targetClasses, count, numClasses);
  const centre = region.centre ?? start;
  if (!sameShape(centre, start)) {
    throw new Error(
      `the ball's centre is [${centre.shape.join(', ')}] but the images are [${start.shape.join(', ')}]`,
    );
  }
  const { mask } = region;
  if (mask !== undefined && (!sameShape(mask, start) || mask.dtype !== 'bool')) {
    throw new Error(`the mask must be a bool tensor [${start.shape.join(', ')}]`);
  }
  const observed = region.observed ?? [];

  const labels = tf.tensor1d(Int32Array.from(targetClasses), 'int32');
  // dy = 1 per example: the gradient of Σ_n L_n, whose slice n is ∇ₓₙ L_n (no cross-example
  // layers in evaluation mode).
  const ones = tf.ones([count]) as tf.Tensor1D;
  const lossAndGradient = tf.valueAndGrad<tf.Tensor, tf.Tensor1D>((point) =>
    crossEntropyPerExample(model.forward(point as tf.Tensor4D).logits, labels),
  );

  const lossPerStep: number[] = [];
  const predictionsPerStep: ClassPredictions[][] = [];
  /** Reads x^t out; returns the mean cross-entropy. */
  const readOut = (point: tf.Tensor4D): number => {
    const { crossEntropy, targetProbability, predictedClass } = readLogits(
      logitsOf(model, point),
      numClasses,
      targetClasses,
    );
    const mean = crossEntropy.reduce((a, b) => a + b, 0) / count;
    lossPerStep.push(mean);
    predictionsPerStep.push([
      { targetProbability, predictedClass },
      ...predictionsOf(observed, point, targetClasses),
    ]);
    return mean;
  };

  let point = tf.clone(start);
  try {
    readOut(point);
    for (let t = 0; t < steps; t++) {
      hooks.beforeStep?.(t);
      const next = tf.tidy(() => {
        const { grad } = lossAndGradient(point, ones);
        const ascent = tf.neg(grad) as tf.Tensor4D;
        const direction = mask === undefined ? ascent : (tf.where(mask, ascent, 0) as tf.Tensor4D);
        const moved = l2Constraint.project(
          centre,
          l2Constraint.step(point, direction, stepSize),
          epsilon,
        );
        return mask === undefined ? moved : (tf.where(mask, moved, start) as tf.Tensor4D);
      });
      point.dispose();
      point = next;
      const mean = readOut(point);
      hooks.onStep?.(t, mean);
      hooks.onFrame?.(t, point);
    }
    return { images: point, lossPerStep, predictionsPerStep };
  } catch (error) {
    point.dispose();
    throw error;
  } finally {
    tf.dispose([labels, ones]);
  }
}
