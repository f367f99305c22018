/**
 * The toy model of Tsipras et al. 2019, "Robustness may be at odds with accuracy" (§2):
 *   y uniform on {−1, +1};
 *   x₁ = +y with probability p, −y otherwise           (one robust, moderately predictive feature);
 *   x₂, …, x_{d+1} ~ N(η·y, 1) independently           (d weakly correlated, non-robust features),
 * with η = 2/√d by default. Three linear classifiers sign(wᵀx), written w = (a, b, …, b):
 *   robust:   a = 1, b = 0        — uses x₁ only;
 *   standard: a = 0, b = 1/d      — averages the weak features;
 *   bayes:    a = ln(p/(1−p)), b = 2η — the log-likelihood ratio, the best standard classifier.
 *
 * Closed form under an ℓ∞ adversary of size ε (linear-classifier.ts: the margin drops by
 * ε‖w‖₁ = ε(|a| + d|b|)). With s = y·x₁ (+1 w.p. p) and y·Σᵢ b·xᵢ ~ N(b·d·η, b²·d):
 *   b ≠ 0:  acc = p·Φ((a + bdη − ε‖w‖₁)/(|b|√d)) + (1−p)·Φ((−a + bdη − ε‖w‖₁)/(|b|√d))
 *   b = 0:  acc = p·[a − ε|a| > 0] + (1−p)·[−a − ε|a| > 0]
 * So the standard classifier has clean accuracy Φ(η√d) (Φ(2) ≈ 97.7% at η = 2/√d) and robust
 * accuracy Φ((η − ε)√d) (Φ(−2) ≈ 2.3% at ε = 2η), while the robust one has accuracy p at every
 * ε < 1 and 0 from ε = 1 on (x₁ can then be zeroed or flipped).
 */
import { normalCdf, standardNormalSampler } from '../../math/normal-distribution';
import { epsilonGrid, simulatedAccuracies, type LabelledSample } from './linear-classifier';
import { deriveSeed, mulberry32 } from '../../random/seeded-random';

export interface TsiprasConfig {
  /** d: number of weak features x₂…x_{d+1}. */
  weakFeatures: number;
  /** p: probability that x₁ = y, in [0.5, 1). */
  robustFeatureAccuracy: number;
  /** η: mean of each weak feature times y; null = 2/√d. */
  weakFeatureMean: number | null;
  /** ℓ∞ ε of the reported robust accuracy; null = 2η. */
  epsilon: number | null;
  /** Points of the simulation. */
  samples: number;
  /** Largest ε of the accuracy curves and their number of points (from 0). */
  curveEpsilonMax: number;
  curvePoints: number;
  seed: number;
}

export const defaultTsiprasConfig: TsiprasConfig = {
  weakFeatures: 100,
  robustFeatureAccuracy: 0.9,
  weakFeatureMean: null,
  epsilon: null,
  samples: 10_000,
  curveEpsilonMax: 1.2,
  curvePoints: 25,
  seed: 0,
};

export type TsiprasClassifierName = 'robust' | 'standard' | 'bayes';

export interface TsiprasClassifierReport {
  name: TsiprasClassifierName;
  /** Weight on x₁ (a) and on each weak feature (b). */
  robustWeight: number;
  weakWeight: number;
  cleanAccuracy: { closedForm: number; simulated: number };
  robustAccuracy: { closedForm: number; simulated: number };
  curve: { closedForm: number[]; simulated: number[] };
}

export interface TsiprasResult {
  config: TsiprasConfig;
  /** The η and ε actually used (defaults resolved). */
  weakFeatureMean: number;
  epsilon: number;
  curveEpsilons: number[];
  classifiers: TsiprasClassifierReport[];
}

export function validateTsiprasConfig(config: TsiprasConfig): void {
  const d = config.weakFeatures;
  if (!Number.isInteger(d) || d < 1 || d > 10_000) {
    throw new Error(`weak features must be a whole number in 1..10000, got ${d}`);
  }
  const p = config.robustFeatureAccuracy;
  if (!(p >= 0.5 && p < 1))
    throw new Error(`robust feature accuracy p must lie in [0.5, 1), got ${p}`);
  if (
    config.weakFeatureMean !== null &&
    !(config.weakFeatureMean > 0 && Number.isFinite(config.weakFeatureMean))
  ) {
    throw new Error(
      `weak feature mean η must be a finite number > 0, got ${config.weakFeatureMean}`,
    );
  }
  if (config.epsilon !== null && !(config.epsilon >= 0 && Number.isFinite(config.epsilon))) {
    throw new Error(`ε must be a finite number ≥ 0, got ${config.epsilon}`);
  }
  if (!Number.isInteger(config.samples) || config.samples < 1) {
    throw new Error(`samples must be a whole number ≥ 1, got ${config.samples}`);
  }
  if (config.samples * (d + 1) > 50_000_000) {
    throw new Error(
      `samples × (d + 1) must be at most 50,000,000, got ${config.samples * (d + 1)}`,
    );
  }
}

/** The closed form of the file comment for w = (a, b, …, b). */
export function tsiprasClosedFormAccuracy(
  robustWeight: number,
  weakWeight: number,
  weakFeatures: number,
  robustFeatureAccuracy: number,
  weakFeatureMean: number,
  epsilon: number,
): number {
  const a = robustWeight;
  const b = weakWeight;
  const d = weakFeatures;
  const p = robustFeatureAccuracy;
  const reach = epsilon * (Math.abs(a) + d * Math.abs(b));
  if (b === 0) {
    return p * (a - reach > 0 ? 1 : 0) + (1 - p) * (-a - reach > 0 ? 1 : 0);
  }
  const spread = Math.abs(b) * Math.sqrt(d);
  const shift = b * d * weakFeatureMean - reach;
  return p * normalCdf((a + shift) / spread) + (1 - p) * normalCdf((-a + shift) / spread);
}

/** N points of the model: x₁ from one seeded stream, the weak features from a normal stream. */
export function sampleTsipras(config: TsiprasConfig, weakFeatureMean: number): LabelledSample {
  const d = config.weakFeatures;
  const dimension = d + 1;
  const random = mulberry32(deriveSeed(config.seed, 'labels'));
  const normal = standardNormalSampler(deriveSeed(config.seed, 'weak-features'));
  const points = new Float64Array(config.samples * dimension);
  const labels = new Int8Array(config.samples);
  for (let n = 0; n < config.samples; n++) {
    const label = random() < 0.5 ? -1 : 1;
    labels[n] = label;
    points[n * dimension] = random() < config.robustFeatureAccuracy ? label : -label;
    for (let i = 1; i <= d; i++) points[n * dimension + i] = weakFeatureMean * label + normal();
  }
  return { dimension, points, labels };
}

export function runTsiprasExperiment(config: TsiprasConfig = defaultTsiprasConfig): TsiprasResult {
  validateTsiprasConfig(config);
  const d = config.weakFeatures;
  const p = config.robustFeatureAccuracy;
  const eta = config.weakFeatureMean ?? 2 / Math.sqrt(d);
  const epsilon = config.epsilon ?? 2 * eta;
  const curveEpsilons = epsilonGrid(config.curveEpsilonMax, config.curvePoints);
  const sample = sampleTsipras(config, eta);
  const weightsOf: Record<TsiprasClassifierName, [number, number]> = {
    robust: [1, 0],
    standard: [0, 1 / d],
    bayes: [Math.log(p / (1 - p)), 2 * eta],
  };
  const classifiers = (['robust', 'standard', 'bayes'] as const).map(
    (name): TsiprasClassifierReport => {
      const [a, b] = weightsOf[name];
      const weights = new Float64Array(d + 1).fill(b);
      weights[0] = a;
      const closed = (eps: number): number => tsiprasClosedFormAccuracy(a, b, d, p, eta, eps);
      const simulated = simulatedAccuracies(weights, sample, [0, epsilon], 'linf');
      return {
        name,
        robustWeight: a,
        weakWeight: b,
        cleanAccuracy: { closedForm: closed(0), simulated: simulated[0] ?? NaN },
        robustAccuracy: { closedForm: closed(epsilon), simulated: simulated[1] ?? NaN },
        curve: {
          closedForm: curveEpsilons.map(closed),
          simulated: simulatedAccuracies(weights, sample, curveEpsilons, 'linf'),
        },
      };
    },
  );
  return { config, weakFeatureMean: eta, epsilon, curveEpsilons, classifiers };
}
