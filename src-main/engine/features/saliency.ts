/**
 * Saliency: which pixels the chosen class's score is most sensitive to, for images x [N,H,W,C]
 * in [0,1] and one class c_n per image.
 *
 * The score is the logit z_c(x), not the softmax probability p_c(x) (Simonyan et al. 2013,
 * "Deep inside convolutional networks"; Smilkov et al. 2017, "SmoothGrad"): p_c can rise by
 * lowering the other classes' logits, so ∇p_c = p_c · (∇z_c − Σ_j p_j ∇z_j) mixes in every other
 * class's evidence, and it vanishes where the softmax saturates (p_c ≈ 1 for a confident model),
 * leaving a map of numerical noise. ∇z_c is the class's own evidence and does not saturate.
 *
 *   vanilla gradient:      G_n = ∇ₓ z_{c_n}(x_n)
 *   SmoothGrad:            G_n = (1/S) Σ_s ∇ₓ z_{c_n}(x_n + ε_s),   ε_s ~ N(0, σ² I),
 *                          σ = noiseFraction · (max − min of the pixel range) = noiseFraction.
 *                          The noisy images are not clipped to [0,1] (as in Smilkov et al.):
 *                          clipping would cut half the noise off every black or white pixel.
 *   integrated gradients:  A_n = (x_n − x'_n) ⊙ (1/m) Σ_{k=0}^{m−1} ∇ₓ z_{c_n}(x'_n + α_k (x_n − x'_n)),
 *                          α_k = (k + ½)/m  — the midpoint Riemann sum of Sundararajan et al. 2017's
 *                          path integral. Midpoints take m gradients (the trapezoid rule needs
 *                          m + 1 for the same O(1/m²) error on smooth paths) and never evaluate
 *                          exactly at the baseline, where an all-black image sits on ReLU kinks.
 *                          Completeness: Σ_i A_n,i → z_c(x_n) − z_c(x'_n) as m grows (exact for
 *                          any m when ∇z_c is affine along the path, e.g. a linear model).
 *
 * The models have no cross-example layers in inference mode, so one backward pass of
 * Σ_n z_{c_n}(x_n) gives every example's own gradient. Memory: each sample (SmoothGrad) or path
 * point (integrated gradients) is one forward and backward pass over the N images, summed into a
 * running total swapped tensor-for-tensor, so the S noisy copies are never held together and
 * tf.memory().numTensors is the same at every step; callers with many images pass them in
 * batches. Cancel: hooks.beforeStep(s) before each sample or path point; hooks.onStep(s, value)
 * after it, with the batch mean of z_c at the point just evaluated.
 *
 * saliencyMap turns an attribution [N,H,W,C] into a heatmap [N,H,W] in [0,1] (see there).
 */
import * as tf from '@tensorflow/tfjs-core';
import { indicator, pick } from '../attacks/logit-selection';
import type { Model } from '../models/model-types';
import { deriveSeed } from '../random/seeded-random';
import type { FeatureStepHooks } from './feature-hooks';
import {
  checkClasses,
  checkImages,
  validateIntegratedGradientsOptions,
  validateSmoothGradOptions,
  type IntegratedGradientsOptions,
  type SmoothGradOptions,
} from './saliency-options';

/** The hooks a saliency method calls: there are no intermediate images to stream. */
export type SaliencyHooks = Pick<FeatureStepHooks, 'beforeStep' | 'onStep'>;

export type ClassIndices = Int32Array | readonly number[];

/** z_{c_n}(x_n) [N] and its input gradient [N,H,W,C], for a fixed one-hot of the classes. */
type ClassLogitAndGradient = (images: tf.Tensor4D) => { value: tf.Tensor1D; grad: tf.Tensor4D };

function classLogitAndGradient(model: Model, oneHot: tf.Tensor2D): ClassLogitAndGradient {
  const valueAndGrad = tf.valueAndGrad<tf.Tensor, tf.Tensor1D>((images) =>
    pick(model.forward(images as tf.Tensor4D).logits, oneHot),
  );
  return (images) => {
    // dy = 1 per example: the gradient of Σ_n z_{c_n}, whose slice n is ∇ₓₙ z_{c_n}.
    const ones = tf.ones([images.shape[0]]) as tf.Tensor1D;
    const { value, grad } = valueAndGrad(images, ones);
    return { value, grad: grad as tf.Tensor4D };
  };
}

/** The checked classes as a float one-hot [N,K]; the caller disposes it. */
function classOneHot(model: Model, images: tf.Tensor4D, classes: ClassIndices): tf.Tensor2D {
  checkImages(model, images);
  const checked = checkClasses(classes, images.shape[0], model.spec.numClasses);
  return tf.tidy(() => indicator(tf.tensor1d(checked, 'int32'), model.spec.numClasses));
}

function meanOf(values: tf.Tensor1D): number {
  return tf.tidy(() => tf.mean(values).dataSync()[0] ?? NaN);
}

/**
 * (1/T) Σ_t ∇ₓ z_c(point(t)) for t = 0..T−1, one forward/backward pass per t, with the hooks
 * called around each. `point` returns a new tensor (made inside the step's tidy).
 */
function averageGradient(
  images: tf.Tensor4D,
  count: number,
  point: (t: number) => tf.Tensor4D,
  gradientAt: ClassLogitAndGradient,
  hooks: SaliencyHooks,
): tf.Tensor4D {
  let sum = tf.zerosLike(images);
  try {
    for (let t = 0; t < count; t++) {
      hooks.beforeStep?.(t);
      let mean = NaN;
      const next = tf.tidy(() => {
        const { value, grad } = gradientAt(point(t));
        mean = meanOf(value);
        return tf.add(sum, grad) as tf.Tensor4D;
      });
      sum.dispose();
      sum = next;
      hooks.onStep?.(t, mean);
    }
    return tf.tidy(() => tf.div(sum, count));
  } finally {
    sum.dispose();
  }
}

/** ∇ₓ z_{c_n}(x_n) [N,H,W,C]: the plain input gradient of each image's class logit. */
export function vanillaGradient(
  model: Model,
  images: tf.Tensor4D,
  classes: ClassIndices,
): tf.Tensor4D {
  const oneHot = classOneHot(model, images, classes);
  try {
    const gradientAt = classLogitAndGradient(model, oneHot);
    return tf.tidy(() => gradientAt(images).grad);
  } finally {
    oneHot.dispose();
  }
}

/**
 * SmoothGrad [N,H,W,C]: the mean gradient over `samples` noisy copies. Sample s draws its noise
 * with the seed deriveSeed(seed, 'smoothgrad', s), so two models given the same seed and images
 * see exactly the same noisy copies (the side-by-side comparison is not blurred by chance).
 */
export function smoothGrad(
  model: Model,
  images: tf.Tensor4D,
  classes: ClassIndices,
  options: SmoothGradOptions,
  hooks: SaliencyHooks = {},
): tf.Tensor4D {
  const { samples, noiseFraction, seed } = validateSmoothGradOptions(options);
  const oneHot = classOneHot(model, images, classes);
  try {
    const sigma = noiseFraction * (1 - 0);
    const noisy = (s: number): tf.Tensor4D =>
      tf.add(
        images,
        tf.randomNormal(images.shape, 0, sigma, 'float32', deriveSeed(seed, 'smoothgrad', s)),
      );
    return averageGradient(images, samples, noisy, classLogitAndGradient(model, oneHot), hooks);
  } finally {
    oneHot.dispose();
  }
}

export interface IntegratedGradientsOutcome {
  /** A [N,H,W,C]; the caller disposes it. */
  attributions: tf.Tensor4D;
  /** z_c(x_n) per image. */
  inputLogits: number[];
  /** z_c(x'_n) per image. */
  baselineLogits: number[];
  /** Σ_i A_n,i per image; completeness says it approaches inputLogits − baselineLogits. */
  attributionSums: number[];
}

/** x' [N,H,W,C] for the named baseline. */
function baselineFor(
  images: tf.Tensor4D,
  options: Required<IntegratedGradientsOptions>,
): tf.Tensor4D {
  switch (options.baseline) {
    case 'black':
      return tf.zerosLike(images);
    case 'white':
      return tf.onesLike(images);
    case 'uniform-noise':
      return tf.randomUniform(
        images.shape,
        0,
        1,
        'float32',
        deriveSeed(options.seed, 'integrated-gradients-baseline'),
      );
  }
}

/** Integrated gradients along the straight path from the baseline x' to x (midpoint rule). */
export function integratedGradients(
  model: Model,
  images: tf.Tensor4D,
  classes: ClassIndices,
  options: IntegratedGradientsOptions,
  hooks: SaliencyHooks = {},
): IntegratedGradientsOutcome {
  const validated = validateIntegratedGradientsOptions(options);
  const { steps } = validated;
  const oneHot = classOneHot(model, images, classes);
  const baseline = baselineFor(images, validated);
  const difference = tf.sub(images, baseline) as tf.Tensor4D;
  let meanGradient: tf.Tensor4D | null = null;
  let attributions: tf.Tensor4D | null = null;
  try {
    const along = (k: number): tf.Tensor4D =>
      tf.add(baseline, tf.mul(difference, (k + 0.5) / steps));
    meanGradient = averageGradient(
      images,
      steps,
      along,
      classLogitAndGradient(model, oneHot),
      hooks,
    );
    const gradient = meanGradient;
    const attributed = tf.tidy(() => tf.mul(difference, gradient) as tf.Tensor4D);
    attributions = attributed;
    return {
      attributions: attributed,
      inputLogits: read(() => pick(model.forward(images).logits, oneHot)),
      baselineLogits: read(() => pick(model.forward(baseline).logits, oneHot)),
      attributionSums: read(() => tf.sum(tf.reshape(attributed, [images.shape[0], -1]), 1)),
    };
  } catch (error) {
    if (attributions !== null) attributions.dispose();
    throw error;
  } finally {
    tf.dispose([oneHot, baseline, difference]);
    if (meanGradient !== null) meanGradient.dispose();
  }
}

/** The values of a tensor made by `make`, which is disposed. */
function read(make: () => tf.Tensor): number[] {
  const tensor = tf.tidy(make);
  try {
    return Array.from(tensor.dataSync());
  } finally {
    tensor.dispose();
  }
}

/** The percentile of each heatmap that maps to 1 (see saliencyMap). */
const ROBUST_PERCENTILE = 99;

/**
 * A heatmap [N,H,W] in [0,1] from an attribution or gradient g [N,H,W,C]:
 *   m_n(h,w) = max_c |g_n(h,w,c)|            (a pixel is as salient as its most salient channel;
 *                                             the sign is dropped: for the colormap, a pixel that
 *                                             lowers the score matters as much as one that raises it)
 *   q_n      = the 99th percentile of m_n's H·W values: v_(⌊0.99·(P−1)⌋) in ascending order,
 *              P = H·W (falling back to max m_n when that is 0, and to 1 when m_n is all 0)
 *   map_n    = clip(m_n / q_n, 0, 1)
 * Dividing by the 99th percentile instead of the maximum keeps a few extreme pixels (gradients
 * are heavy-tailed) from pushing the rest of the map to black; the top 1 % saturate at 1.
 */
export function saliencyMap(gradient: tf.Tensor4D, percentile = ROBUST_PERCENTILE): tf.Tensor3D {
  if (gradient.rank !== 4) {
    throw new Error(
      `a saliency map needs a gradient [N, height, width, channels], got [${gradient.shape.join(', ')}]`,
    );
  }
  if (!(percentile > 0 && percentile <= 100)) {
    throw new Error(`the percentile must be in (0, 100], got ${String(percentile)}`);
  }
  const [n, h, w] = gradient.shape;
  const pixels = h * w;
  // Ascending index of the percentile, and how many of the largest values reach down to it.
  const fromTop = pixels - Math.floor((percentile / 100) * (pixels - 1));
  return tf.tidy(() => {
    const magnitude = tf.max(tf.abs(gradient), 3);
    const flat = tf.reshape(magnitude, [n, pixels]);
    const largest = tf.topk(flat, fromTop).values;
    const quantile = tf.slice(largest, [0, fromTop - 1], [n, 1]);
    const maximum = tf.slice(largest, [0, 0], [n, 1]);
    const positive = tf.where(tf.greater(quantile, 0), quantile, maximum);
    const scale = tf.where(tf.greater(positive, 0), positive, tf.onesLike(positive));
    return tf.reshape(tf.clipByValue(tf.div(flat, scale), 0, 1), [n, h, w]) as tf.Tensor3D;
  });
}
