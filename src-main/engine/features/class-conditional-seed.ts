/**
 * Class-conditional seeds for generation (Santurkar et al. 2019, §3.1): the starting point of
 * "make this a y" is a draw from a Gaussian fitted to the class's images,
 *   x⁰ ~ N(μ_y, Σ_y),   μ_y = E[x | y],   Σ_y = E[(x − μ_y)(x − μ_y)ᵀ | y],
 * fitted — as in the paper, for tractability — on images downsampled by block means (factor f:
 * [H,W,C] → [H/f,W/f,C], d = H·W·C/f² dimensions), then drawn, upsampled by nearest neighbour
 * (block-resample.ts) and clipped to [0,1]. A seed is only a rough, blurry class prior; the
 * robust classifier's gradient does the rest.
 *
 * Estimates, per class c with n_c ≥ 2 images (float64, two passes for accuracy):
 *   μ̂ = (1/n_c) Σ_i v_i,   Σ̂ = (1/(n_c − 1)) Σ_i (v_i − μ̂)(v_i − μ̂)ᵀ + ridge · I
 * The ridge keeps Σ̂ positive definite where the data do not span ℝ^d (fewer images than
 * dimensions, or pixels that never change, like MNIST's empty border), so its Cholesky factor L
 * (Σ̂ = L·Lᵀ) exists; a draw is v = μ̂ + L·ξ, ξ ~ N(0, I), from the seeded Box–Muller stream.
 *
 * The fit is plain typed arrays, so it crosses a worker boundary (structured clone) and can be
 * saved as it is: d = 49 for MNIST at f = 4 (10 classes: ~0.4 MB), d = 192 for 32×32×3 at f = 4
 * (~6 MB).
 */
import * as tf from '@tensorflow/tfjs-core';
import { choleskyFactor } from '../math/cholesky';
import { standardNormalSampler } from '../math/normal-distribution';
import type { ImageBatch } from '../engine-types';
import { deriveSeed } from '../random/seeded-random';
import { checkFactor, upsampleBlocks } from './block-resample';

export interface SeedFitOptions {
  /** f: the images are downsampled by f×f block means before the fit (f divides H and W). */
  factor: number;
  /** Added to the covariance's diagonal, in squared pixel units (≥ 0). */
  ridge: number;
}

/**
 * The paper's ridge (10⁻⁴ on the diagonal in [0,1] pixel units): invisible next to real pixel
 * variances (~10⁻²), enough for a Cholesky factor in float64.
 */
export const defaultSeedRidge = 1e-4;

/** The largest of 4, 2, 1 that divides both sides: 7×7 seeds for MNIST, 8×8 for 32×32 images. */
export function defaultSeedFactor(height: number, width: number): number {
  return [4, 2, 1].find((f) => height % f === 0 && width % f === 0) ?? 1;
}

export interface ClassGaussian {
  /** n_c: the images of the class the fit saw. */
  count: number;
  /** μ̂ [d], the downsampled image in NHWC order ((y·w + x)·C + channel). */
  mean: Float64Array;
  /** Σ̂ [d·d], row-major, ridge included. */
  covariance: Float64Array;
  /** L [d·d], row-major lower triangular, L·Lᵀ = Σ̂. */
  cholesky: Float64Array;
}

export interface ClassGaussians {
  /** [H, W, C] of the images the seeds are for. */
  imageShape: [number, number, number];
  factor: number;
  ridge: number;
  /** [H/f, W/f, C]: where the Gaussians live. */
  lowShape: [number, number, number];
  /** One per class 0..K−1; null for a class with fewer than 2 images. */
  classes: (ClassGaussian | null)[];
}

/** A Gaussian from its moments (the covariance is used as given, ridge and all). */
export function classGaussianOf(
  count: number,
  mean: Float64Array,
  covariance: Float64Array,
  what = 'covariance',
): ClassGaussian {
  const size = mean.length;
  if (covariance.length !== size * size) {
    throw new Error(`a ${size}-dimensional Gaussian needs ${size * size} covariance entries`);
  }
  const lower = choleskyFactor({ size, data: covariance }, what);
  return { count, mean, covariance, cholesky: lower.data };
}

function validateFitOptions(options: SeedFitOptions, height: number, width: number): void {
  checkFactor(options.factor, height, width, 'seed downsampling');
  if (!Number.isFinite(options.ridge) || options.ridge < 0) {
    throw new Error(`the ridge must be a finite number ≥ 0, got ${String(options.ridge)}`);
  }
}

export function fitClassGaussians(
  images: ImageBatch,
  labels: ArrayLike<number>,
  numClasses: number,
  options: SeedFitOptions,
): ClassGaussians {
  const [n, height, width, channels] = images.shape;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`the class count must be a whole number ≥ 1, got ${String(numClasses)}`);
  }
  if (images.data.length !== n * height * width * channels) {
    throw new Error(
      `image shape [${images.shape.join(', ')}] needs ${n * height * width * channels} values, got ${images.data.length}`,
    );
  }
  if (labels.length !== n) throw new Error(`${n} images but ${labels.length} labels`);
  validateFitOptions(options, height, width);
  const { factor, ridge } = options;
  const lowHeight = height / factor;
  const lowWidth = width / factor;
  const size = lowHeight * lowWidth * channels;
  const scale = (images.data instanceof Uint8Array ? 1 / 255 : 1) / (factor * factor);

  /** Block means of image i into `out` [d]. */
  const downsample = (i: number, out: Float64Array): void => {
    out.fill(0);
    const base = i * height * width * channels;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const low = (Math.floor(y / factor) * lowWidth + Math.floor(x / factor)) * channels;
        const high = base + (y * width + x) * channels;
        for (let c = 0; c < channels; c++) {
          out[low + c] = (out[low + c] ?? 0) + (images.data[high + c] ?? NaN) * scale;
        }
      }
    }
  };

  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (label === undefined || !Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new Error(
        `label ${String(label)} (image ${i}) is out of range for ${numClasses} classes`,
      );
    }
    counts[label] = (counts[label] ?? 0) + 1;
  }
  const means = counts.map(() => new Float64Array(size));
  const vector = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    const mean = means[labels[i] ?? 0];
    if (!mean) continue;
    downsample(i, vector);
    for (let j = 0; j < size; j++) mean[j] = (mean[j] ?? 0) + (vector[j] ?? 0);
  }
  means.forEach((mean, c) => {
    for (let j = 0; j < size; j++) mean[j] = (mean[j] ?? 0) / Math.max(1, counts[c] ?? 1);
  });
  // Second pass: Σ_i (v_i − μ̂)(v_i − μ̂)ᵀ, lower triangle only, mirrored afterwards.
  const scatters = counts.map((count) => (count >= 2 ? new Float64Array(size * size) : null));
  for (let i = 0; i < n; i++) {
    const label = labels[i] ?? 0;
    const scatter = scatters[label];
    const mean = means[label];
    if (!scatter || !mean) continue;
    downsample(i, vector);
    for (let j = 0; j < size; j++) vector[j] = (vector[j] ?? 0) - (mean[j] ?? 0);
    for (let r = 0; r < size; r++) {
      const vr = vector[r] ?? 0;
      if (vr === 0) continue;
      for (let c = 0; c <= r; c++)
        scatter[r * size + c] = (scatter[r * size + c] ?? 0) + vr * (vector[c] ?? 0);
    }
  }
  for (const [label, scatter] of scatters.entries()) {
    if (!scatter) continue;
    const denominator = (counts[label] ?? 2) - 1;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c <= r; c++) {
        const value = (scatter[r * size + c] ?? 0) / denominator + (r === c ? ridge : 0);
        if (!Number.isFinite(value)) {
          throw new Error(`class ${label}: the images hold a value that is not a finite number`);
        }
        scatter[r * size + c] = value;
        scatter[c * size + r] = value;
      }
    }
  }
  return {
    imageShape: [height, width, channels],
    factor,
    ridge,
    lowShape: [lowHeight, lowWidth, channels],
    classes: scatters.map((covariance, c) =>
      covariance === null
        ? null
        : classGaussianOf(
            counts[c] ?? 0,
            means[c] ?? new Float64Array(size),
            covariance,
            `class ${c}'s covariance (raise the ridge)`,
          ),
    ),
  };
}

/** `count` draws v = μ + L·ξ, one after the other in one array [count·d] (not clipped). */
export function sampleClassVectors(
  gaussian: ClassGaussian,
  count: number,
  seed: number,
): Float64Array {
  const size = gaussian.mean.length;
  const normal = standardNormalSampler(seed);
  const out = new Float64Array(count * size);
  const xi = new Float64Array(size);
  for (let s = 0; s < count; s++) {
    for (let j = 0; j < size; j++) xi[j] = normal();
    for (let r = 0; r < size; r++) {
      let value = gaussian.mean[r] ?? 0;
      for (let c = 0; c <= r; c++) value += (gaussian.cholesky[r * size + c] ?? 0) * (xi[c] ?? 0);
      out[s * size + r] = value;
    }
  }
  return out;
}

/**
 * One seed per entry of `classes`: [n,H,W,C] in [0,1], drawn at the fit's low resolution,
 * upsampled by nearest neighbour and clipped. Seed i uses its own stream (deriveSeed(seed, i)),
 * so it does not change when other entries do.
 */
export function sampleSeeds(
  fit: ClassGaussians,
  classes: ArrayLike<number>,
  seed: number,
): tf.Tensor4D {
  const count = classes.length;
  if (count < 1) throw new Error('ask for at least one seed');
  const [lowHeight, lowWidth, channels] = fit.lowShape;
  const size = lowHeight * lowWidth * channels;
  const values = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const label = classes[i];
    if (
      label === undefined ||
      !Number.isInteger(label) ||
      label < 0 ||
      label >= fit.classes.length
    ) {
      throw new Error(
        `class ${String(label)} is out of range: the seeds were fitted for ${fit.classes.length} classes`,
      );
    }
    const gaussian = fit.classes[label];
    if (!gaussian) {
      throw new Error(`class ${label} has no seed distribution: it had fewer than 2 images`);
    }
    values.set(sampleClassVectors(gaussian, 1, deriveSeed(seed, 'class-seed', i)), i * size);
  }
  return tf.tidy(() =>
    tf.clipByValue(
      upsampleBlocks(tf.tensor4d(values, [count, lowHeight, lowWidth, channels]), fit.factor),
      0,
      1,
    ),
  );
}
