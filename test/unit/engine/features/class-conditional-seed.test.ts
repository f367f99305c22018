/**
 * Class-conditional seeds: a fit recovers the Gaussian its data came from, draws from a fitted
 * Gaussian have its mean and covariance, the downsampling is block means, and seeds are
 * upsampled, clipped, seeded and refused for classes without a fit.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { choleskyFactor } from '../../../../src-main/engine/math/cholesky';
import { standardNormalSampler } from '../../../../src-main/engine/math/normal-distribution';
import {
  classGaussianOf,
  defaultSeedFactor,
  fitClassGaussians,
  sampleClassVectors,
  sampleSeeds,
} from '../../../../src-main/engine/features/class-conditional-seed';
import { mnistDigits } from '../mnist-fixture';
import { useBackend } from '../use-backend';

/** A 3-dimensional Gaussian with correlations of both signs (positive definite). */
const mu = [0.5, 0.3, 0.7];
const sigma = [
  [0.01, 0.004, -0.002],
  [0.004, 0.0064, 0.001],
  [-0.002, 0.001, 0.0049],
];

function sampleMoments(values: Float64Array, size: number): { mean: number[]; cov: number[][] } {
  const count = values.length / size;
  const mean = Array.from({ length: size }, (_, j) => {
    let sum = 0;
    for (let s = 0; s < count; s++) sum += values[s * size + j] ?? NaN;
    return sum / count;
  });
  const cov = mean.map((mi, i) =>
    mean.map((mj, j) => {
      let sum = 0;
      for (let s = 0; s < count; s++)
        sum += ((values[s * size + i] ?? NaN) - mi) * ((values[s * size + j] ?? NaN) - mj);
      return sum / (count - 1);
    }),
  );
  return { mean, cov };
}

/**
 * Tolerances for n = 20 000 draws, at ~5 standard errors: the mean's is σ_i/√n ≤ 0.1/141 = 7e-4;
 * a covariance entry's is √((σ_ii σ_jj + σ_ij²)/n) ≤ √(2·10⁻⁴/20000) = 1e-4.
 */
const meanTolerance = 0.0035;
const covarianceTolerance = 5e-4;

describe('class-conditional seeds', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('draws with the mean and covariance of the Gaussian they come from', () => {
    const gaussian = classGaussianOf(1, Float64Array.from(mu), Float64Array.from(sigma.flat()));
    const draws = sampleClassVectors(gaussian, 20_000, 7);
    const { mean, cov } = sampleMoments(draws, 3);
    mean.forEach((m, i) => expect(Math.abs(m - (mu[i] ?? NaN))).toBeLessThan(meanTolerance));
    cov.forEach((row, i) =>
      row.forEach((value, j) =>
        expect(Math.abs(value - (sigma[i]?.[j] ?? NaN))).toBeLessThan(covarianceTolerance),
      ),
    );
    // And the draws are not merely right on average: a different seed gives other draws.
    expect(sampleClassVectors(gaussian, 1, 8)[0]).not.toBe(draws[0]);
  });

  it('recovers a known Gaussian from data drawn from it, with the ridge on the diagonal', () => {
    // 20 000 "images" of 1×3×1 pixels from N(μ, Σ) (class 1), with 50 of class 0 besides.
    const lower = choleskyFactor({ size: 3, data: Float64Array.from(sigma.flat()) }).data;
    const normal = standardNormalSampler(11);
    const count = 20_050;
    const data = new Float32Array(count * 3);
    const labels = new Int32Array(count);
    for (let s = 0; s < count; s++) {
      const xi = [normal(), normal(), normal()];
      for (let r = 0; r < 3; r++) {
        let value = mu[r] ?? NaN;
        for (let c = 0; c <= r; c++) value += (lower[r * 3 + c] ?? NaN) * (xi[c] ?? NaN);
        data[s * 3 + r] = value;
      }
      labels[s] = s < 50 ? 0 : 1;
    }
    const ridge = 1e-4;
    const fit = fitClassGaussians({ shape: [count, 1, 3, 1], data }, labels, 3, {
      factor: 1,
      ridge,
    });
    expect(fit.lowShape).toEqual([1, 3, 1]);
    expect(fit.classes[2]).toBeNull(); // no images of class 2
    const gaussian = fit.classes[1];
    if (!gaussian) throw new Error('class 1 was not fitted');
    expect(gaussian.count).toBe(20_000);
    gaussian.mean.forEach((m, i) =>
      expect(Math.abs(m - (mu[i] ?? NaN))).toBeLessThan(meanTolerance),
    );
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const expected = (sigma[i]?.[j] ?? NaN) + (i === j ? ridge : 0);
        expect(Math.abs((gaussian.covariance[i * 3 + j] ?? NaN) - expected)).toBeLessThan(
          covarianceTolerance,
        );
      }
    }
    // The stored factor is the Cholesky factor of the stored covariance.
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let product = 0;
        for (let k = 0; k < 3; k++)
          product += (gaussian.cholesky[i * 3 + k] ?? NaN) * (gaussian.cholesky[j * 3 + k] ?? NaN);
        expect(product).toBeCloseTo(gaussian.covariance[i * 3 + j] ?? NaN, 12);
      }
    }
  });

  it('fits block means: the downsampled images, their mean and their unbiased covariance', () => {
    // Two 4×4 single-channel images of one class, downsampled 2× to 2×2 block means:
    //   image 0 blocks (0.1, 0.2, 0.3, 0.4), image 1 blocks (0.3, 0.2, 0.1, 0.0) → mean 0.2 each,
    //   deviations ±d, d = (−0.1, 0, 0.1, 0.2): covariance (d·dᵀ + d·dᵀ)/(n − 1) = 2·d·dᵀ.
    const blocks = [
      [0.1, 0.2, 0.3, 0.4],
      [0.3, 0.2, 0.1, 0],
    ];
    const data = new Uint8Array(2 * 16);
    blocks.forEach((values, i) => {
      for (let y = 0; y < 4; y++) {
        for (let x = 0; x < 4; x++) {
          const block = Math.floor(y / 2) * 2 + Math.floor(x / 2);
          // Pixel = 20 + 200·value ± 5 (0..255): the pixels of a block differ but average to it.
          const jitter = (y % 2 === 0 ? 5 : -5) * (x % 2 === 0 ? 1 : -1);
          data[i * 16 + y * 4 + x] = 20 + Math.round((values[block] ?? NaN) * 200) + jitter;
        }
      }
    });
    const fit = fitClassGaussians({ shape: [2, 4, 4, 1], data }, [0, 0], 1, {
      factor: 2,
      ridge: 0.5,
    });
    const gaussian = fit.classes[0];
    if (!gaussian) throw new Error('class 0 was not fitted');
    const scale = 200 / 255;
    gaussian.mean.forEach((m) => expect(m).toBeCloseTo((20 + 0.2 * 200) / 255, 10));
    const deviation = [-0.1, 0, 0.1, 0.2].map((d) => d * scale);
    deviation.forEach((di, i) =>
      deviation.forEach((dj, j) =>
        expect(gaussian.covariance[i * 4 + j]).toBeCloseTo(2 * di * dj + (i === j ? 0.5 : 0), 10),
      ),
    );
  });

  it('fits real digits and samples upsampled, clipped, seeded seeds', () => {
    const digits = mnistDigits(12);
    const factor = defaultSeedFactor(28, 28);
    expect(factor).toBe(4);
    const fit = fitClassGaussians(digits.images, digits.labels, 10, { factor, ridge: 1e-4 });
    expect(fit.lowShape).toEqual([7, 7, 1]);
    const before = tf.memory().numTensors;
    const seeds = sampleSeeds(fit, [3, 3, 7], 5);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(seeds.shape).toEqual([3, 28, 28, 1]);
    const pixels = seeds.arraySync();
    const flat = pixels.flat(3);
    expect(Math.min(...flat)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...flat)).toBeLessThanOrEqual(1);
    // Nearest-neighbour upsampling: constant on each 4×4 block.
    let offBlock = 0;
    for (const image of pixels) {
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          if (image[y]?.[x]?.[0] !== image[y - (y % 4)]?.[x - (x % 4)]?.[0]) offBlock++;
        }
      }
    }
    expect(offBlock).toBe(0);
    expect(new Set(flat).size).toBeGreaterThan(20);
    // Same seed, same seeds; the first seed does not depend on the classes after it.
    const again = sampleSeeds(fit, [3], 5);
    expect(Array.from(again.dataSync())).toEqual(flat.slice(0, 784));
    // The two class-3 seeds are independent draws, not copies.
    expect(flat.slice(0, 784)).not.toEqual(flat.slice(784, 1568));
    tf.dispose([seeds, again]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad input with clear messages', () => {
    const data = new Float32Array(4 * 28 * 28);
    const images = { shape: [4, 28, 28, 1] as [number, number, number, number], data };
    expect(() => fitClassGaussians(images, [0, 1, 0, 1], 2, { factor: 3, ridge: 1e-4 })).toThrow(
      /the seed downsampling factor 3 does not divide the image size 28×28/,
    );
    expect(() => fitClassGaussians(images, [0, 1, 0, 2], 2, { factor: 4, ridge: 1e-4 })).toThrow(
      /label 2 \(image 3\) is out of range for 2 classes/,
    );
    expect(() => fitClassGaussians(images, [0, 1], 2, { factor: 4, ridge: 1e-4 })).toThrow(
      /4 images but 2 labels/,
    );
    expect(() => fitClassGaussians(images, [0, 0, 0, 1], 2, { factor: 4, ridge: -1 })).toThrow(
      /the ridge must be a finite number ≥ 0/,
    );
    // All-zero images and no ridge: Σ̂ = 0 is not positive definite.
    expect(() => fitClassGaussians(images, [0, 0, 1, 1], 2, { factor: 4, ridge: 0 })).toThrow(
      /class 0's covariance \(raise the ridge\) is not positive definite/,
    );
    const fit = fitClassGaussians(images, [0, 0, 0, 1], 3, { factor: 4, ridge: 1e-4 });
    expect(() => sampleSeeds(fit, [1], 0)).toThrow(/class 1 has no seed distribution/);
    expect(() => sampleSeeds(fit, [3], 0)).toThrow(/class 3 is out of range/);
    expect(() => sampleSeeds(fit, [], 0)).toThrow(/at least one seed/);
  });
});
