/**
 * Interpolation through representation space (Engstrom et al. 2019, "Adversarial Robustness as a
 * Prior for Learned Representations", §4.1): between images x_a and x_b, K frames
 *   α_k = k / (K − 1),   r_k = (1 − α_k) · r(x_a) + α_k · r(x_b),   k = 0..K−1,
 * each frame the inversion of r_k (invert-representation.ts: normalized L2 descent on
 * ‖r(x) − r_k‖₂ / ‖r_k‖₂ in the pixel box). For a robust model the strip morphs one image into the
 * other through plausible images; for a standard one the middle frames are noise-like.
 *
 * Start of frame k: the pixel blend (1 − α_k) · x_a + α_k · x_b, not x_a for every frame. Starting
 * all frames from x_a would pull every frame towards x_a (the descent stops at the nearest image
 * with the target representation, and "nearest" would be measured from x_a), skewing the strip;
 * the blend is an unbiased start, and it makes the end frames exact: at α = 0 and 1 the start
 * already has its target representation (r_0 = r(x_a) exactly in floating point), its gradient
 * is 0, and x_a and x_b come back as they were.
 *
 * All frames of all pairs are inverted together, as one batch of N·K (the inversion treats
 * examples independently), so a step moves the whole strip and every hook sees all of it:
 * onFrame's images are the strip, pair-major (frame k of pair n at n·K + k); onStep's value is the
 * mean relative distance over the strip.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { checkModelInput } from './class-score-ascent';
import type { FeatureStepHooks } from './feature-hooks';
import { validateInversionOptions } from './inversion-options';
import { invertRepresentation } from './invert-representation';
import { relativeDistance, squaredDistance, targetScale } from './representation-distance';

export interface InterpolationOptions {
  /** K: frames of the strip, both ends included (≥ 2). */
  frames: number;
  /** T: inversion steps per frame (all frames step together). */
  steps: number;
  /** α: the L2 length of each inversion step. */
  stepSize: number;
}

export interface InterpolationOutcome {
  /** [N·K,H,W,C] in [0,1], pair-major (frame k of pair n at n·K + k); the caller disposes it. */
  frames: tf.Tensor4D;
  /** α_k, k = 0..K−1. */
  alphas: number[];
  /** ‖r(frame) − r_k‖₂ / ‖r_k‖₂ per frame at the end, in the order of `frames`. */
  distance: number[];
  /** The same distance at the start (the pixel blend), in the order of `frames`. */
  startDistance: number[];
  /** Mean distance over the strip at x⁰ … x^T (T + 1 values). */
  lossPerStep: number[];
}

/** FeatureStepHooks over the whole strip: step t moves every frame (see the file comment). */
export type InterpolationHooks = FeatureStepHooks;

export function interpolateRepresentations(
  model: Model,
  from: tf.Tensor4D,
  to: tf.Tensor4D,
  options: InterpolationOptions,
  hooks: InterpolationHooks = {},
): InterpolationOutcome {
  const { frames } = options;
  if (!Number.isInteger(frames) || frames < 2) {
    throw new Error(`an interpolation needs a whole number ≥ 2 of frames, got ${String(frames)}`);
  }
  const { steps, stepSize } = validateInversionOptions(options);
  checkModelInput(model, from, 'the first images');
  checkModelInput(model, to, 'the second images');
  if (from.shape[0] !== to.shape[0]) {
    throw new Error(`${from.shape[0]} first images but ${to.shape[0]} second images`);
  }
  const [n, h, w, c] = from.shape;
  const alphas = Array.from({ length: frames }, (_, k) => k / (frames - 1));

  const { starts, targets } = tf.tidy(() => {
    const alpha = tf.tensor1d(alphas);
    const keep = tf.sub(1, alpha);
    /** (1 − α_k)·u_n + α_k·v_n for every n, k, pair-major: [N,…] × [N,…] → [N·K,…]. */
    const blend = (u: tf.Tensor, v: tf.Tensor, inner: number[]): tf.Tensor => {
      const along = [1, frames, ...inner.map(() => 1)];
      const [uu, vv] = [u, v].map((t) => tf.reshape(t, [n, 1, ...inner]));
      return tf.reshape(
        tf.add(
          tf.mul(uu as tf.Tensor, tf.reshape(keep, along)),
          tf.mul(vv as tf.Tensor, tf.reshape(alpha, along)),
        ),
        [n * frames, ...inner],
      );
    };
    const ra = model.forward(from).representation;
    const rb = model.forward(to).representation;
    return {
      starts: tf.clipByValue(blend(from, to, [h, w, c]), 0, 1) as tf.Tensor4D,
      targets: blend(ra, rb, [ra.shape[1]]) as tf.Tensor2D,
    };
  });

  try {
    const startDistance = relativeDistances(model, starts, targets);
    const outcome = invertRepresentation(
      model,
      starts,
      targets,
      { steps, stepSize },
      {
        beforeStep: (t) => {
          // The inversion also checks before its final read-out (t = T); FeatureStepHooks
          // promises t = 0..T−1 only.
          if (t < steps) hooks.beforeStep?.(t);
        },
        // The inversion reports the loss at x^t (t = 0..T); FeatureStepHooks.onStep(t) is the
        // value after step t, i.e. at x^{t+1}.
        onStep: (t, mean) => {
          if (t > 0) hooks.onStep?.(t - 1, mean);
        },
        onFrame: (t, images) => hooks.onFrame?.(t, images),
      },
    );
    const distance = Array.from(outcome.loss.dataSync());
    outcome.loss.dispose();
    return {
      frames: outcome.images,
      alphas,
      distance,
      startDistance,
      lossPerStep: outcome.lossPerStep,
    };
  } finally {
    tf.dispose([starts, targets]);
  }
}

/** ‖r(x_k) − r_k‖₂ / (‖r_k‖₂ + 1e-12) per frame, as the inversion measures it. */
function relativeDistances(model: Model, images: tf.Tensor4D, targets: tf.Tensor2D): number[] {
  const values = tf.tidy(() =>
    relativeDistance(
      squaredDistance(model.forward(images).representation, targets),
      targetScale(targets),
    ),
  );
  try {
    return Array.from(values.dataSync());
  } finally {
    values.dispose();
  }
}
