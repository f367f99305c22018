/**
 * Synthesis with one robust classifier (Santurkar et al. 2019, §3): three uses of the same
 * targeted L2 ascent on the target class's score (class-score-ascent.ts), differing only in where
 * they start and what may move.
 *
 *   generateClass  x⁰ = a class-conditional seed (class-conditional-seed.ts); ball of radius ε
 *                  around the seed.
 *   superResolve   x⁰ = up(x_low), the low-resolution image upsampled by nearest neighbour
 *                  (block-resample.ts says why nearest); ball of radius ε around x⁰, so the
 *                  result stays an image whose block means are close to x_low.
 *   inpaint        x⁰ = the image with the masked region replaced by a fill; only the masked
 *                  pixels move. The paper instead lets every pixel move and adds
 *                  λ·mean(((x − x⁰)·(1 − m))²) (λ = 10) to the loss, which keeps the outside close
 *                  but not equal; here the outside must stay exactly as it was (a user painted a
 *                  region and expects the rest untouched), so the step is restricted to the mask
 *                  and the outside is selected from x⁰ bit for bit. That makes λ unnecessary, and
 *                  the ball too (ε = ∞): the mask bounds the edit.
 *
 * Every function returns x^T, the mean cross-entropy of the target class at x⁰ … x^T and the
 * model's target probability and top-1 class at each of those points, and reports through
 * FeatureStepHooks. Defaults scaled to the input size: common/features-defaults.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { mulberry32 } from '../random/seeded-random';
import { checkFactor, upsampleBlocks } from './block-resample';
import {
  ascendClassScore,
  checkModelInput,
  validateClassAscentOptions,
  type ClassAscentOptions,
  type ClassAscentOutcome,
} from './class-score-ascent';
import type { FeatureStepHooks } from './feature-hooks';

/** Class-conditional generation from seeds [N,H,W,C] (e.g. sampleSeeds for these classes). */
export function generateClass(
  model: Model,
  seeds: tf.Tensor4D,
  targetClasses: ArrayLike<number>,
  options: ClassAscentOptions,
  hooks: FeatureStepHooks = {},
): ClassAscentOutcome {
  return ascendClassScore(model, seeds, targetClasses, options, hooks);
}

export interface SuperResolutionOptions extends ClassAscentOptions {
  /** f: the low-resolution images are [N,H/f,W/f,C]. Default: H / h of the images given. */
  factor?: number;
}

export interface SuperResolutionOutcome extends ClassAscentOutcome {
  /** up(x_low) [N,H,W,C], the start and the ball's centre (the plain upsampling, for comparison). */
  upsampled: tf.Tensor4D;
}

export function superResolve(
  model: Model,
  lowResolution: tf.Tensor4D,
  targetClasses: ArrayLike<number>,
  options: SuperResolutionOptions,
  hooks: FeatureStepHooks = {},
): SuperResolutionOutcome {
  const settings = validateClassAscentOptions(options);
  const [, h, w, c] = lowResolution.shape;
  const [height, width, channels] = model.spec.inputShape;
  const factor = options.factor ?? height / h;
  checkFactor(factor, height, width, 'super-resolution');
  if (h * factor !== height || w * factor !== width || c !== channels) {
    throw new Error(
      `low-resolution images of ${h}×${w}×${c} upsampled ${factor}× give ` +
        `${h * factor}×${w * factor}×${c}, but the model takes ${height}×${width}×${channels}`,
    );
  }
  const upsampled = upsampleBlocks(lowResolution, factor);
  try {
    return { ...ascendClassScore(model, upsampled, targetClasses, settings, hooks), upsampled };
  } catch (error) {
    upsampled.dispose();
    throw error;
  }
}

/** What the masked region holds before the model fills it. */
export type InpaintingFill =
  /** 0.5 everywhere. */
  | { kind: 'grey' }
  /** The per-channel mean of the image's unmasked pixels (the paper's fill); 0.5 if none. */
  | { kind: 'image-mean' }
  /** U(0,1) per pixel, drawn in JavaScript from `seed` (identical on every backend). */
  | { kind: 'noise'; seed: number }
  /** Given images [N,H,W,C], e.g. sampleSeeds for the target classes (a class-conditional seed). */
  | { kind: 'images'; images: tf.Tensor4D };

export interface InpaintingOptions {
  /** T: gradient steps. */
  steps: number;
  /** α: the L2 length of each step within the masked region. */
  stepSize: number;
  fill: InpaintingFill;
}

export interface InpaintingOutcome extends ClassAscentOutcome {
  /** x⁰ [N,H,W,C]: the images with the fill in the masked region. */
  filled: tf.Tensor4D;
}

/** Mask [N,H,W] of 0/1 → bool [N,H,W,C]. Throws unless the shape fits and every value is 0 or 1. */
function maskOf(mask: tf.Tensor3D, images: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  if (mask.rank !== 3 || mask.shape[0] !== n || mask.shape[1] !== h || mask.shape[2] !== w) {
    throw new Error(
      `the mask is [${mask.shape.join(', ')}] but the images need [${n}, ${h}, ${w}] (1 = fill)`,
    );
  }
  const values = mask.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (v !== 0 && v !== 1) throw new Error(`mask values must be 0 or 1, found ${v}`);
  }
  return tf.tidy(
    () => tf.broadcastTo(tf.expandDims(tf.cast(mask, 'bool'), 3), [n, h, w, c]) as tf.Tensor4D,
  );
}

function fillValues(fill: InpaintingFill, images: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor4D {
  const shape = images.shape;
  switch (fill.kind) {
    case 'grey':
      return tf.fill(shape, 0.5) as tf.Tensor4D;
    case 'image-mean':
      return tf.tidy(() => {
        const outside = tf.logicalNot(mask);
        const kept = tf.sum(tf.where(outside, images, 0), [1, 2], true);
        const counted = tf.sum(tf.cast(outside, 'float32'), [1, 2], true);
        const mean = tf.where(tf.greater(counted, 0), tf.div(kept, tf.maximum(counted, 1)), 0.5);
        return tf.broadcastTo(mean, shape) as tf.Tensor4D;
      });
    case 'noise': {
      const random = mulberry32(fill.seed);
      const values = new Float32Array(images.size);
      for (let i = 0; i < values.length; i++) values[i] = random();
      return tf.tensor4d(values, shape);
    }
    case 'images': {
      const given = fill.images;
      if (given.rank !== 4 || given.shape.some((size, i) => size !== shape[i])) {
        throw new Error(
          `fill images are [${given.shape.join(', ')}] but the images are [${shape.join(', ')}]`,
        );
      }
      return tf.clipByValue(given, 0, 1);
    }
  }
}

export function inpaint(
  model: Model,
  images: tf.Tensor4D,
  mask: tf.Tensor3D,
  targetClasses: ArrayLike<number>,
  options: InpaintingOptions,
  hooks: FeatureStepHooks = {},
): InpaintingOutcome {
  const settings = validateClassAscentOptions({ ...options, epsilon: Infinity });
  checkModelInput(model, images, 'images');
  const region = maskOf(mask, images);
  try {
    const filled = tf.tidy(() => {
      const fill = fillValues(options.fill, images, region);
      return tf.where(region, fill, images) as tf.Tensor4D;
    });
    try {
      const outcome = ascendClassScore(model, filled, targetClasses, settings, hooks, {
        mask: region,
      });
      return { ...outcome, filled };
    } catch (error) {
      filled.dispose();
      throw error;
    }
  } finally {
    region.dispose();
  }
}
