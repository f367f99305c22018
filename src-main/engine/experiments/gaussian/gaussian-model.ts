/**
 * The binary Gaussian model of Ilyas et al. 2019 §4: y uniform on {−1, +1}, x | y ~ N(y·μ, Σ).
 * Sampling, maximum-likelihood estimation of (μ, Σ), and the closed-form accuracy of a linear
 * classifier on it.
 *
 * Closed form: the margin y·wᵀx ~ N(wᵀμ, wᵀΣw) for either label, and an ε-bounded adversary
 * lowers it by exactly ε‖w‖_q (linear-classifier.ts), so
 *   accuracy(w, ε) = Φ( (wᵀμ − ε‖w‖_q) / √(wᵀΣw) ).
 */
import { choleskyFactor } from '../../math/cholesky';
import { dot, quadraticForm, zeroMatrix, type SquareMatrix } from '../../math/linear-algebra';
import { dualNorm, type LabelledSample, type ThreatNorm } from './linear-classifier';
import { normalCdf, standardNormalSampler } from '../../math/normal-distribution';
import { deriveSeed, mulberry32 } from '../../random/seeded-random';

export interface GaussianModel {
  /** μ: the class means are ±μ. */
  mean: Float64Array;
  /** Σ: shared covariance, symmetric positive definite. */
  covariance: SquareMatrix;
}

/** N labelled points: y from one seeded stream, x = y·μ + L·ξ (Σ = L·Lᵀ, ξ ~ N(0, I)). */
export function sampleGaussianModel(
  model: GaussianModel,
  count: number,
  seed: number,
): LabelledSample {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`sample size must be a whole number ≥ 1, got ${count}`);
  const d = model.mean.length;
  if (model.covariance.size !== d) {
    throw new Error(
      `mean has ${d} coordinates but the covariance is ${model.covariance.size}×${model.covariance.size}`,
    );
  }
  const lower = choleskyFactor(model.covariance, 'covariance');
  const labelRandom = mulberry32(deriveSeed(seed, 'labels'));
  const normal = standardNormalSampler(deriveSeed(seed, 'noise'));
  const points = new Float64Array(count * d);
  const labels = new Int8Array(count);
  const noise = new Float64Array(d);
  for (let n = 0; n < count; n++) {
    const label = labelRandom() < 0.5 ? -1 : 1;
    labels[n] = label;
    for (let i = 0; i < d; i++) noise[i] = normal();
    for (let i = 0; i < d; i++) {
      let value = label * (model.mean[i] ?? 0);
      for (let k = 0; k <= i; k++) value += (lower.data[i * d + k] ?? 0) * (noise[k] ?? 0);
      points[n * d + i] = value;
    }
  }
  return { dimension: d, points, labels };
}

/**
 * Maximum-likelihood (μ̂, Σ̂) of the model from a sample:
 *   μ̂ = (1/N)·Σ_n y_n·x_n                      (the class means are ±μ̂)
 *   Σ̂ = (1/N)·Σ_n (x_n − y_n·μ̂)(x_n − y_n·μ̂)ᵀ   (pooled covariance about each point's class mean)
 */
export function estimateGaussianModel(sample: LabelledSample): GaussianModel {
  const { dimension: d, points, labels } = sample;
  const count = labels.length;
  if (count < 2) throw new Error(`estimating a covariance needs at least 2 points, got ${count}`);
  const mean = new Float64Array(d);
  for (let n = 0; n < count; n++) {
    const label = labels[n] ?? 0;
    for (let i = 0; i < d; i++) mean[i] = (mean[i] ?? 0) + label * (points[n * d + i] ?? 0);
  }
  for (let i = 0; i < d; i++) mean[i] = (mean[i] ?? 0) / count;
  const covariance = zeroMatrix(d);
  const centred = new Float64Array(d);
  for (let n = 0; n < count; n++) {
    const label = labels[n] ?? 0;
    for (let i = 0; i < d; i++) centred[i] = (points[n * d + i] ?? 0) - label * (mean[i] ?? 0);
    for (let i = 0; i < d; i++) {
      const ci = centred[i] ?? 0;
      for (let j = i; j < d; j++)
        covariance.data[i * d + j] = (covariance.data[i * d + j] ?? 0) + ci * (centred[j] ?? 0);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const value = (covariance.data[i * d + j] ?? 0) / count;
      covariance.data[i * d + j] = value;
      covariance.data[j * d + i] = value;
    }
  }
  return { mean, covariance };
}

/** Φ((wᵀμ − ε‖w‖_q)/√(wᵀΣw)) for each ε (see the file comment). */
export function closedFormAccuracies(
  weights: ArrayLike<number>,
  model: GaussianModel,
  epsilons: readonly number[],
  norm: ThreatNorm,
): number[] {
  const signal = dot(weights, model.mean);
  const spread = Math.sqrt(quadraticForm(model.covariance, weights));
  if (!(spread > 0)) throw new Error('the classifier has zero weights: its accuracy is undefined');
  const reach = dualNorm(weights, norm);
  return epsilons.map((epsilon) => normalCdf((signal - epsilon * reach) / spread));
}
