import { experimentDefaults } from '@common/experiment-defaults';
import type { RobustGaussianConfig } from '@common/experiment-schemas';

const d = experimentDefaults.robustGaussian;

/**
 * Experiment f, Ilyas et al. 2019 §4: the constructed Gaussian problem of
 * robust-gaussian-experiment.ts. The defaults are the CLI's (and the engine's): 5 robust
 * directions (σ_R² = 1, mean component a = 0.4) and 5 non-robust ones (σ_N² = 0.01, b = 0.05),
 * in a random orthonormal basis, ℓ2 ε = 0.5.
 */
export class RobustGaussianForm {
  name = $state<string>(d.name);
  /** k: directions with large variance and a large mean component. */
  robustDirections = $state<number | null>(d.robustDirections);
  /** m: directions with small variance and a small mean component. */
  nonRobustDirections = $state<number | null>(d.nonRobustDirections);
  robustVariance = $state<number | null>(d.robustVariance);
  robustMean = $state<number | null>(d.robustMean);
  nonRobustVariance = $state<number | null>(d.nonRobustVariance);
  nonRobustMean = $state<number | null>(d.nonRobustMean);
  rotate = $state<boolean>(d.rotate);
  /** ℓ2 ε of the robust training and of the reported attack. */
  epsilon = $state<number | null>(d.epsilon);
  trainSamples = $state<number | null>(d.trainSamples);
  testSamples = $state<number | null>(d.testSamples);
  curveEpsilonMax = $state<number | null>(d.curveEpsilonMax);
  curvePoints = $state<number | null>(d.curvePoints);
  seed = $state<number | null>(experimentDefaults.seed);

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
