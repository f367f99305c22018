/**
 * The Ilyas et al. 2019 §4 experiment: a binary Gaussian problem with robust and non-robust
 * directions; the standard MLE classifier w = Σ̂⁻¹μ̂ against the robust one w_r = Σ̂_r⁻¹μ̂, both
 * estimated from a training sample, compared by clean and ℓ2-robust accuracy (closed form on the
 * true distribution and simulated on a fresh test sample) and by their angle to the true μ — the
 * direction joining the class means, the "human-meaningful" one.
 *
 * The constructed problem (in a random orthonormal basis R, so Σ is not diagonal):
 *   k robust directions:     variance σ_R² (large), mean component a (large)
 *   m non-robust directions: variance σ_N² (small), mean component b (small)
 *   μ = R·(a,…,a, b,…,b),   Σ = R·diag(σ_R²,…, σ_N²,…)·Rᵀ.
 * A non-robust direction is tiny in ℓ2 (b) but predictive (b/σ_N large), so w = Σ⁻¹μ weights it
 * by b/σ_N² and tilts away from μ; an ℓ2 adversary moving x by ε along it flips many margins.
 * The robust covariance adds (1/λ)I-like terms that swamp σ_N², so w_r leans back towards μ.
 */
import { experimentDefaults } from '../../../common/experiment-defaults';
import {
  estimateGaussianModel,
  closedFormAccuracies,
  sampleGaussianModel,
  type GaussianModel,
} from './gaussian-model';
import {
  angleDegrees,
  diagonalMatrix,
  multiplyMatrices,
  multiplyMatrixVector,
  randomOrthogonalMatrix,
  transpose,
  identityMatrix,
} from '../../math/linear-algebra';
import { epsilonGrid, simulatedAccuracies } from './linear-classifier';
import { standardNormalSampler } from '../../math/normal-distribution';
import { robustClassifier, standardClassifier } from './robust-gaussian-mle';
import { symmetricEigen } from '../../math/symmetric-eigen';
import { deriveSeed } from '../../random/seeded-random';

export interface RobustGaussianConfig {
  /** k: directions with large variance and a large mean component. */
  robustDirections: number;
  /** m: directions with small variance and a small mean component; k + m ≤ 100. */
  nonRobustDirections: number;
  /** σ_R²: variance along each robust direction. */
  robustVariance: number;
  /** a: μ's component along each robust direction. */
  robustMean: number;
  /** σ_N²: variance along each non-robust direction. */
  nonRobustVariance: number;
  /** b: μ's component along each non-robust direction. */
  nonRobustMean: number;
  /** Express the problem in a random orthonormal basis (false: the directions are the axes). */
  rotate: boolean;
  /** ℓ2 ε of the robust training (RMS size of the training adversary's δ) and of the attack. */
  epsilon: number;
  /** Points used to estimate (μ̂, Σ̂). */
  trainSamples: number;
  /** Points of the simulation that checks the closed forms. */
  testSamples: number;
  /** Largest attack ε of the accuracy curves, and the number of grid points (from 0). */
  curveEpsilonMax: number;
  curvePoints: number;
  seed: number;
}

/** The clients' defaults (common/experiment-defaults.ts), as the engine's config. */
const { name: _name, ...gaussianDefaults } = experimentDefaults.robustGaussian;
export const defaultRobustGaussianConfig: RobustGaussianConfig = {
  ...gaussianDefaults,
  seed: experimentDefaults.seed,
};

export interface ClassifierReport {
  /** The weight vector w (standard) or w_r (robust), in input coordinates. */
  weights: number[];
  /** ∠(w, μ) in degrees, μ the true mean direction. */
  angleToMeanDegrees: number;
  /** Clean and ℓ2-robust (at config.epsilon) accuracy: Φ of the margin, and simulated. */
  cleanAccuracy: { closedForm: number; simulated: number };
  robustAccuracy: { closedForm: number; simulated: number };
  /** Accuracy at each curve ε (closed form and simulated). */
  curve: { closedForm: number[]; simulated: number[] };
}

export interface RobustGaussianResult {
  config: RobustGaussianConfig;
  dimension: number;
  /** The true problem: μ, and Σ's eigenvalues (σ_N² and σ_R² by construction). */
  trueMean: number[];
  /** λ for the training ε (see robust-gaussian-mle.ts: E‖δ*‖² = ε²). */
  lambda: number;
  /** Eigenvalues of Σ̂ (ascending) and of Σ̂_r (same eigenvectors). */
  estimatedEigenvalues: number[];
  robustEigenvalues: number[];
  standard: ClassifierReport;
  robust: ClassifierReport;
  /** ∠(w, w_r) in degrees. */
  angleBetweenClassifiersDegrees: number;
  /** Attack ε grid of the accuracy curves (ℓ2). */
  curveEpsilons: number[];
  /**
   * Robust training swept over ε (same grid; ε = 0 is the standard classifier): the angle of
   * w_r(ε) to μ, and its closed-form clean accuracy and robust accuracy at that same ε.
   */
  trainingSweep: {
    epsilons: number[];
    angleToMeanDegrees: number[];
    cleanAccuracy: number[];
    robustAccuracy: number[];
  };
}

function checkPositive(value: number, what: string): void {
  if (!(value > 0) || !Number.isFinite(value))
    throw new Error(`${what} must be a finite number > 0, got ${value}`);
}

export function validateRobustGaussianConfig(config: RobustGaussianConfig): void {
  const { robustDirections: k, nonRobustDirections: m } = config;
  if (!Number.isInteger(k) || k < 1)
    throw new Error(`robust directions must be a whole number ≥ 1, got ${k}`);
  if (!Number.isInteger(m) || m < 0)
    throw new Error(`non-robust directions must be a whole number ≥ 0, got ${m}`);
  if (k + m > 100) throw new Error(`dimension k + m must be at most 100, got ${k + m}`);
  checkPositive(config.robustVariance, 'robust variance');
  checkPositive(config.nonRobustVariance, 'non-robust variance');
  if (!Number.isFinite(config.robustMean) || !Number.isFinite(config.nonRobustMean)) {
    throw new Error('mean components must be finite numbers');
  }
  if (config.robustMean === 0 && (config.nonRobustMean === 0 || m === 0)) {
    throw new Error('the class means coincide (μ = 0): there is nothing to classify');
  }
  if (!(config.epsilon >= 0) || !Number.isFinite(config.epsilon)) {
    throw new Error(`ε must be a finite number ≥ 0, got ${config.epsilon}`);
  }
  for (const [what, value] of [
    ['training samples', config.trainSamples],
    ['test samples', config.testSamples],
  ] as const) {
    if (!Number.isInteger(value) || value < 2 * (k + m)) {
      throw new Error(
        `${what} must be a whole number ≥ 2·dimension = ${2 * (k + m)}, got ${value}`,
      );
    }
  }
}

/** (μ, Σ) of the constructed problem (see the file comment). */
export function constructedGaussianModel(config: RobustGaussianConfig): GaussianModel {
  validateRobustGaussianConfig(config);
  const k = config.robustDirections;
  const d = k + config.nonRobustDirections;
  const meanInBasis = Float64Array.from({ length: d }, (_, i) =>
    i < k ? config.robustMean : config.nonRobustMean,
  );
  const variances = Float64Array.from({ length: d }, (_, i) =>
    i < k ? config.robustVariance : config.nonRobustVariance,
  );
  const basis = config.rotate
    ? randomOrthogonalMatrix(d, standardNormalSampler(deriveSeed(config.seed, 'rotation')))
    : identityMatrix(d);
  const covariance = multiplyMatrices(
    multiplyMatrices(basis, diagonalMatrix(variances)),
    transpose(basis),
  );
  // R·D·Rᵀ is symmetric in exact arithmetic; symmetrize away the rounding.
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const average = ((covariance.data[i * d + j] ?? 0) + (covariance.data[j * d + i] ?? 0)) / 2;
      covariance.data[i * d + j] = average;
      covariance.data[j * d + i] = average;
    }
  }
  return { mean: multiplyMatrixVector(basis, meanInBasis), covariance };
}

export function runRobustGaussianExperiment(
  config: RobustGaussianConfig = defaultRobustGaussianConfig,
): RobustGaussianResult {
  const truth = constructedGaussianModel(config);
  const curveEpsilons = epsilonGrid(config.curveEpsilonMax, config.curvePoints);
  const train = sampleGaussianModel(truth, config.trainSamples, deriveSeed(config.seed, 'train'));
  const test = sampleGaussianModel(truth, config.testSamples, deriveSeed(config.seed, 'test'));
  const estimate = estimateGaussianModel(train);
  const eigen = symmetricEigen(estimate.covariance, 'estimated covariance');

  const report = (weights: Float64Array): ClassifierReport => {
    const atEpsilon = [0, config.epsilon];
    const closed = closedFormAccuracies(weights, truth, atEpsilon, 'l2');
    const simulated = simulatedAccuracies(weights, test, atEpsilon, 'l2');
    return {
      weights: Array.from(weights),
      angleToMeanDegrees: angleDegrees(weights, truth.mean),
      cleanAccuracy: { closedForm: closed[0] ?? NaN, simulated: simulated[0] ?? NaN },
      robustAccuracy: { closedForm: closed[1] ?? NaN, simulated: simulated[1] ?? NaN },
      curve: {
        closedForm: closedFormAccuracies(weights, truth, curveEpsilons, 'l2'),
        simulated: simulatedAccuracies(weights, test, curveEpsilons, 'l2'),
      },
    };
  };

  const standardWeights = standardClassifier(estimate);
  const fit = robustClassifier(estimate, config.epsilon, eigen);
  const sweep = curveEpsilons.map((epsilon) => {
    const weights = robustClassifier(estimate, epsilon, eigen).weights;
    const [clean, robust] = closedFormAccuracies(weights, truth, [0, epsilon], 'l2');
    return { angle: angleDegrees(weights, truth.mean), clean: clean ?? NaN, robust: robust ?? NaN };
  });

  return {
    config,
    dimension: truth.mean.length,
    trueMean: Array.from(truth.mean),
    lambda: fit.lambda,
    estimatedEigenvalues: fit.dataEigenvalues,
    robustEigenvalues: fit.robustEigenvalues,
    standard: report(standardWeights),
    robust: report(fit.weights),
    angleBetweenClassifiersDegrees: angleDegrees(standardWeights, fit.weights),
    curveEpsilons,
    trainingSweep: {
      epsilons: curveEpsilons,
      angleToMeanDegrees: sweep.map((s) => s.angle),
      cleanAccuracy: sweep.map((s) => s.clean),
      robustAccuracy: sweep.map((s) => s.robust),
    },
  };
}
