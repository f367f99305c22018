import { experimentDefaults } from '@common/experiment-defaults';
import type { TsiprasConfig } from '@common/experiment-schemas';

const d = experimentDefaults.tsipras;

/**
 * Experiment f, Tsipras et al. 2019 §2: the toy model of tsipras-experiment.ts. The defaults are
 * the CLI's: d = 100 weak features, p = 0.9, η = 2/√d and ℓ∞ ε = 2η (left empty: the engine
 * resolves them and records the values it used in the result).
 */
export class TsiprasForm {
  name = $state<string>(d.name);
  /** d: the weak features x₂…x_{d+1}. */
  weakFeatures = $state<number | null>(d.weakFeatures);
  /** p: probability that the robust feature x₁ equals y. */
  robustFeatureAccuracy = $state<number | null>(d.robustFeatureAccuracy);
  /** η; null: 2/√d. */
  weakFeatureMean = $state<number | null>(d.weakFeatureMean);
  /** ℓ∞ ε; null: 2η. */
  epsilon = $state<number | null>(d.epsilon);
  samples = $state<number | null>(d.samples);
  curveEpsilonMax = $state<number | null>(d.curveEpsilonMax);
  curvePoints = $state<number | null>(d.curvePoints);
  seed = $state<number | null>(experimentDefaults.seed);

  /** η as the engine will use it: the field, or 2/√d when it is empty. */
  get resolvedMean(): number | null {
    if (this.weakFeatureMean !== null) return this.weakFeatureMean;
    const d = this.weakFeatures;
    return d !== null && d > 0 ? 2 / Math.sqrt(d) : null;
  }

  /** ε as the engine will use it: the field, or 2η when it is empty. */
  get resolvedEpsilon(): number | null {
    if (this.epsilon !== null) return this.epsilon;
    const eta = this.resolvedMean;
    return eta === null ? null : 2 * eta;
  }

  toConfig(): TsiprasConfig {
    return {
      type: 'tsipras-toy',
      name: this.name,
      weakFeatures: this.weakFeatures ?? Number.NaN,
      robustFeatureAccuracy: this.robustFeatureAccuracy ?? Number.NaN,
      weakFeatureMean: this.weakFeatureMean,
      epsilon: this.epsilon,
      samples: this.samples ?? Number.NaN,
      curveEpsilonMax: this.curveEpsilonMax ?? Number.NaN,
      curvePoints: this.curvePoints ?? Number.NaN,
      seed: this.seed ?? 0,
    };
  }

  load(config: TsiprasConfig): void {
    this.name = config.name;
    this.weakFeatures = config.weakFeatures;
    this.robustFeatureAccuracy = config.robustFeatureAccuracy;
    this.weakFeatureMean = config.weakFeatureMean;
    this.epsilon = config.epsilon;
    this.samples = config.samples;
    this.curveEpsilonMax = config.curveEpsilonMax;
    this.curvePoints = config.curvePoints;
    this.seed = config.seed;
  }
}
