import type { RobustGaussianConfig } from '@common/experiment-schemas';

/**
 * Experiment f, Ilyas et al. 2019 §4: the constructed Gaussian problem of
 * robust-gaussian-experiment.ts. The defaults are the CLI's (and the engine's): 5 robust
 * directions (σ_R² = 1, mean component a = 0.4) and 5 non-robust ones (σ_N² = 0.01, b = 0.05),
 * in a random orthonormal basis, ℓ2 ε = 0.5.
 */
export class RobustGaussianForm {
  name = $state('Robust Gaussian classification');
  /** k: directions with large variance and a large mean component. */
  robustDirections = $state<number | null>(5);
  /** m: directions with small variance and a small mean component. */
  nonRobustDirections = $state<number | null>(5);
  robustVariance = $state<number | null>(1);
  robustMean = $state<number | null>(0.4);
  nonRobustVariance = $state<number | null>(0.01);
  nonRobustMean = $state<number | null>(0.05);
  rotate = $state(true);
  /** ℓ2 ε of the robust training and of the reported attack. */
  epsilon = $state<number | null>(0.5);
  trainSamples = $state<number | null>(5000);
  testSamples = $state<number | null>(20000);
  curveEpsilonMax = $state<number | null>(1);
  curvePoints = $state<number | null>(21);
  seed = $state<number | null>(0);

  /** k + m; the engine solves problems of at most 100 dimensions. */
  get dimension(): number | null {
    if (this.robustDirections === null || this.nonRobustDirections === null) return null;
    return this.robustDirections + this.nonRobustDirections;
  }

  toConfig(): RobustGaussianConfig {
    return {
      type: 'robust-gaussian',
      name: this.name,
      robustDirections: this.robustDirections ?? Number.NaN,
      nonRobustDirections: this.nonRobustDirections ?? Number.NaN,
      robustVariance: this.robustVariance ?? Number.NaN,
      robustMean: this.robustMean ?? Number.NaN,
      nonRobustVariance: this.nonRobustVariance ?? Number.NaN,
      nonRobustMean: this.nonRobustMean ?? Number.NaN,
      rotate: this.rotate,
      epsilon: this.epsilon ?? Number.NaN,
      trainSamples: this.trainSamples ?? Number.NaN,
      testSamples: this.testSamples ?? Number.NaN,
      curveEpsilonMax: this.curveEpsilonMax ?? Number.NaN,
      curvePoints: this.curvePoints ?? Number.NaN,
      seed: this.seed ?? 0,
    };
  }

  load(config: RobustGaussianConfig): void {
    this.name = config.name;
    this.robustDirections = config.robustDirections;
    this.nonRobustDirections = config.nonRobustDirections;
    this.robustVariance = config.robustVariance;
    this.robustMean = config.robustMean;
    this.nonRobustVariance = config.nonRobustVariance;
    this.nonRobustMean = config.nonRobustMean;
    this.rotate = config.rotate;
    this.epsilon = config.epsilon;
    this.trainSamples = config.trainSamples;
    this.testSamples = config.testSamples;
    this.curveEpsilonMax = config.curveEpsilonMax;
    this.curvePoints = config.curvePoints;
    this.seed = config.seed;
  }
}
