/**
 * The settings of the saliency methods and the checks on their inputs. As with the attack and
 * inversion options, the engine checks them itself so that every caller (jobs, bench, tests)
 * gets the same clear message instead of a NaN heatmap.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { positiveFinite, wholeAtLeast } from '../attacks/attack-options';
import type { Model } from '../models/model-types';

export interface SmoothGradOptions {
  /** Noisy copies averaged per image (Smilkov et al. 2017: 50). */
  samples: number;
  /**
   * σ as a fraction of the pixel range (max − min = 1 − 0 = 1, so σ = noiseFraction):
   * Smilkov et al. found 10–20 % best.
   */
  noiseFraction: number;
  /** Seeds the noise; the same seed gives the same noise on every backend and for every model. */
  seed: number;
}

/**
 * x', the reference "absence of signal" of integrated gradients: black (all 0), white (all 1) or
 * uniform noise U(0,1) per pixel, seeded by `seed`.
 */
export type IntegratedGradientsBaseline = 'black' | 'white' | 'uniform-noise';

export const integratedGradientsBaselines: readonly IntegratedGradientsBaseline[] = [
  'black',
  'white',
  'uniform-noise',
];

export interface IntegratedGradientsOptions {
  /** m: gradient evaluations along the straight path (Sundararajan et al. 2017: 20–300). */
  steps: number;
  baseline: IntegratedGradientsBaseline;
  /** Seeds the 'uniform-noise' baseline; ignored by the others. Default 0. */
  seed?: number;
}

/** The papers' settings, for the job's defaults. */
export const smoothGradDefaults = { samples: 50, noiseFraction: 0.15 } as const;
export const integratedGradientsDefaults = { steps: 50, baseline: 'black' } as const;

export function validateSmoothGradOptions(options: SmoothGradOptions): SmoothGradOptions {
  const { samples, noiseFraction, seed } = options;
  wholeAtLeast(samples, 1, 'SmoothGrad samples');
  positiveFinite(noiseFraction, 'SmoothGrad noise fraction');
  if (!Number.isInteger(seed)) throw new Error(`seed must be a whole number, got ${String(seed)}`);
  return { samples, noiseFraction, seed };
}

export function validateIntegratedGradientsOptions(
  options: IntegratedGradientsOptions,
): Required<IntegratedGradientsOptions> {
  const { steps, baseline, seed = 0 } = options;
  wholeAtLeast(steps, 1, 'integrated-gradients steps');
  if (!integratedGradientsBaselines.includes(baseline)) {
    throw new Error(
      `unknown integrated-gradients baseline ${String(baseline)}; known: ${integratedGradientsBaselines.join(', ')}`,
    );
  }
  if (!Number.isInteger(seed)) throw new Error(`seed must be a whole number, got ${String(seed)}`);
  return { steps, baseline, seed };
}

/** Images [N,H,W,C] of the model's input size, N ≥ 1. */
export function checkImages(model: Model, images: tf.Tensor4D): void {
  if (images.rank !== 4) {
    throw new Error(
      `images must be [N, height, width, channels], got [${images.shape.join(', ')}]`,
    );
  }
  const [n, h, w, c] = images.shape;
  const [eh, ew, ec] = model.spec.inputShape;
  if (h !== eh || w !== ew || c !== ec) {
    throw new Error(`images are ${h}×${w}×${c} but the model takes ${eh}×${ew}×${ec}`);
  }
  if (n < 1) throw new Error('no images');
}

/** One class per image, each a whole number in 0..classes−1; returned as int32 values. */
export function checkClasses(
  classes: Int32Array | readonly number[],
  imageCount: number,
  numClasses: number,
): Int32Array {
  if (classes.length !== imageCount) {
    throw new Error(`${imageCount} images need ${imageCount} classes, got ${classes.length}`);
  }
  const out = new Int32Array(imageCount);
  for (let i = 0; i < imageCount; i++) {
    const value = classes[i] ?? NaN;
    if (!Number.isInteger(value) || value < 0 || value >= numClasses) {
      throw new Error(`class ${value} of image ${i} is outside 0..${numClasses - 1}`);
    }
    out[i] = value;
  }
  return out;
}
